// The WAL's record framing. A segment file is a sequence of records:
//
//   [u32 LE payload length][u32 LE checksum][u8 record type][payload]
//
// The checksum is CRC-32 over the length field, the type byte and the payload, seeded with the
// previous record's checksum (0 for a segment's first record). Chaining means a record that was
// moved, duplicated or spliced in from elsewhere fails its check even if its own bytes are intact;
// covering the length means a damaged length cannot pass as a shorter record. Each segment starts
// its own chain so that older segments can be deleted without breaking the newer ones.
import { crc32 } from './crc32.ts';

/** Record types, numbered as in etcd's walpb (4, etcd's CRC carrier, is not needed here). */
export const RecordType = {
  metadata: 1,
  entry: 2,
  hardState: 3,
  snapshot: 5,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(RecordType));

export const RECORD_HEADER_BYTES = 9;

export interface RecordToWrite {
  type: RecordType;
  payload: Uint8Array;
}

/**
 * Frames records into one buffer (one allocation, one write). Returns the bytes and the checksum
 * of the last record, which seeds the next batch in the same segment.
 */
export function encodeRecords(records: RecordToWrite[], seed: number): { bytes: Buffer; lastCrc: number } {
  let total = 0;
  for (const record of records) total += RECORD_HEADER_BYTES + record.payload.length;
  const bytes = Buffer.allocUnsafe(total);
  let offset = 0;
  let crc = seed;
  for (const { type, payload } of records) {
    bytes.writeUInt32LE(payload.length, offset);
    bytes[offset + 8] = type;
    bytes.set(payload, offset + RECORD_HEADER_BYTES);
    crc = recordChecksum(bytes, offset, payload.length, crc);
    bytes.writeUInt32LE(crc, offset + 4);
    offset += RECORD_HEADER_BYTES + payload.length;
  }
  return { bytes, lastCrc: crc };
}

export interface DecodedRecord {
  type: RecordType;
  /** A view into the scanned buffer. */
  payload: Buffer;
  /** Byte offset of the record's header in its file. */
  offset: number;
}

/** Where and why a scan stopped before the end of the buffer. */
export interface Damage {
  offset: number;
  problem: string;
  /**
   * True when the damage has the shape of an interrupted append: the bad record is the last
   * thing in the file (it runs past the end, or only zero bytes follow it). Whether that may be
   * repaired also depends on the file being the newest segment; the caller decides.
   */
  looksTorn: boolean;
}

export interface SegmentScan {
  /** The valid records before any damage. */
  records: DecodedRecord[];
  /** Bytes covered by those records: where a repair would truncate. */
  validBytes: number;
  /** Checksum of the last valid record (the seed when this is also the start). */
  lastCrc: number;
  damage?: Damage;
}

/** Reads records from the start of buf until its end or the first damaged record. */
export function scanRecords(buf: Buffer, seed = 0): SegmentScan {
  const records: DecodedRecord[] = [];
  let offset = 0;
  let crc = seed;
  const stop = (damage: Damage): SegmentScan => ({ records, validBytes: offset, lastCrc: crc, damage });

  while (offset < buf.length) {
    if (isAllZero(buf, offset)) {
      return stop({ offset, problem: 'only zero bytes from here to the end of the file', looksTorn: true });
    }
    const remaining = buf.length - offset;
    if (remaining < RECORD_HEADER_BYTES) {
      return stop({ offset, problem: `a partial record header (${remaining} bytes)`, looksTorn: true });
    }
    const length = buf.readUInt32LE(offset);
    const storedCrc = buf.readUInt32LE(offset + 4);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (end > buf.length) {
      // Usually the tail of a write that never finished. But a damaged length field in an older
      // record looks the same, so look for an intact record after it before calling it torn.
      const next = findChainedRecord(buf, offset + 1, storedCrc);
      const problem = `record declares ${length} payload bytes but only ${remaining - RECORD_HEADER_BYTES} remain`;
      return next === undefined
        ? stop({ offset, problem, looksTorn: true })
        : stop({ offset, problem: `${problem}, yet an intact record follows at byte ${next}`, looksTorn: false });
    }
    const actualCrc = recordChecksum(buf, offset, length, crc);
    if (actualCrc !== storedCrc) {
      return stop({
        offset,
        problem: `checksum mismatch (stored ${hex32(storedCrc)}, computed ${hex32(actualCrc)})`,
        looksTorn: isAllZero(buf, end),
      });
    }
    const type = buf[offset + 8];
    if (!KNOWN_TYPES.has(type)) {
      return stop({ offset, problem: `unknown record type ${type}`, looksTorn: false });
    }
    records.push({ type: type as RecordType, payload: buf.subarray(offset + RECORD_HEADER_BYTES, end), offset });
    crc = storedCrc;
    offset = end;
  }
  return { records, validBytes: offset, lastCrc: crc };
}

function recordChecksum(buf: Uint8Array, offset: number, length: number, seed: number): number {
  const overLength = crc32(buf.subarray(offset, offset + 4), seed);
  // The type byte sits right before the payload, so one call covers both.
  return crc32(buf.subarray(offset + 8, offset + RECORD_HEADER_BYTES + length), overLength);
}

/** The offset of the first complete, correctly chained record at or after `from`, if any. */
function findChainedRecord(buf: Buffer, from: number, seed: number): number | undefined {
  for (let offset = from; offset + RECORD_HEADER_BYTES <= buf.length; offset++) {
    const length = buf.readUInt32LE(offset);
    if (offset + RECORD_HEADER_BYTES + length > buf.length) continue;
    if (!KNOWN_TYPES.has(buf[offset + 8])) continue;
    if (recordChecksum(buf, offset, length, seed) === buf.readUInt32LE(offset + 4)) return offset;
  }
  return undefined;
}

function isAllZero(buf: Uint8Array, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
