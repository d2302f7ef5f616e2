// Segment file names: `<sequence>-<first index>.wal`, both 16 lower-case hex digits, as etcd
// names them. The sequence orders the files and reveals a missing one; the first index is the
// index of the first entry that may follow in that file (the log's last index + 1 when the
// segment was started), which lets open() and purge() pick files without reading them.
import { readdir } from 'node:fs/promises';

export interface SegmentName {
  seq: number;
  firstIndex: number;
  /** The bare file name, e.g. 0000000000000002-00000000000004d3.wal */
  file: string;
}

const SEGMENT_PATTERN = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;

export function segmentFileName(seq: number, firstIndex: number): string {
  return `${hex16(seq)}-${hex16(firstIndex)}.wal`;
}

export function parseSegmentFileName(file: string): SegmentName | undefined {
  const match = SEGMENT_PATTERN.exec(file);
  if (!match) return undefined;
  return { seq: parseInt(match[1], 16), firstIndex: parseInt(match[2], 16), file };
}

/** The segments in dir, oldest first. Other files (including *.tmp leftovers) are ignored. */
export async function listSegments(dir: string): Promise<SegmentName[]> {
  const names: SegmentName[] = [];
  for (const file of await readdir(dir)) {
    const name = parseSegmentFileName(file);
    if (name) names.push(name);
  }
  return names.sort((a, b) => a.seq - b.seq);
}

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}
