// The values this apiserver has just written, kept until its watch cache receives them back from
// the store. The write path already holds each object parsed; without this the cache would parse
// the same bytes again for every event (JSON.parse was a tenth of a write's cost). A value is
// used only when its key and revision match the event exactly, so the cache holds what it would
// have parsed; anything else (another apiserver's write, an event that came before the write's
// answer) is parsed as before.
import type { StoredValue } from './stored-value.ts';

export class RecentWrites {
  private readonly byKey = new Map<string, StoredValue>();

  remember(key: string, value: StoredValue): void {
    this.byKey.set(key, value);
  }

  /**
   * The value written to `key` at `revision`, if this apiserver wrote it. Every event for a key
   * clears what was kept for it, so the map holds at most one value per key written since.
   */
  take(key: string, revision: number): StoredValue | undefined {
    const value = this.byKey.get(key);
    if (value === undefined) return undefined;
    this.byKey.delete(key);
    return value.revision === revision ? value : undefined;
  }
}
