// Byte accounting for entries, used to cap message and Ready sizes.
import type { Entry } from './types.ts';

/**
 * Approximate encoded size of an entry: its payload plus a fixed allowance for the protobuf
 * header (term, index, type). Exactness does not matter — the limits are soft budgets.
 */
export function entrySize(entry: Entry): number {
  return entry.data.byteLength + 24;
}

/**
 * The longest prefix of `entries` whose total size stays within `maxBytes`, but always at
 * least one entry: an oversized entry must still make progress, alone.
 */
export function limitSize(entries: Entry[], maxBytes: number): Entry[] {
  if (entries.length === 0) return entries;
  let total = entrySize(entries[0]);
  let count = 1;
  while (count < entries.length) {
    total += entrySize(entries[count]);
    if (total > maxBytes) break;
    count++;
  }
  return count === entries.length ? entries : entries.slice(0, count);
}
