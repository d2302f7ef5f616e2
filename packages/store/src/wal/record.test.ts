import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable } from './crc32.ts';
import { encodeRecords, RecordType, scanRecords } from './record.ts';

describe('crc32', () => {
  it('matches the standard check value for both implementations', () => {
    const check = Buffer.from('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Portable(check)).toBe(0xcbf43926);
  });

  it('continues from a seed as if the buffers were concatenated', () => {
    const a = Buffer.from('write-ahead ');
    const b = Buffer.from('log');
    const whole = crc32Portable(Buffer.concat([a, b]));
    expect(crc32Portable(b, crc32Portable(a))).toBe(whole);
    expect(crc32(b, crc32(a))).toBe(whole);
  });
});

describe('record framing', () => {
  const records = [
    { type: RecordType.metadata, payload: Buffer.from('meta') },
    { type: RecordType.entry, payload: Buffer.from('first entry') },
    { type: RecordType.hardState, payload: Buffer.alloc(0) },
    { type: RecordType.snapshot, payload: Buffer.from([0, 1, 2]) },
  ];

  it('lays out [length][checksum][type][payload] and scans back what it encoded', () => {
    const { bytes, lastCrc } = encodeRecords(records, 0);
    expect(bytes.readUInt32LE(0)).toBe(4);
    expect(bytes[8]).toBe(RecordType.metadata);
    expect(bytes.subarray(9, 13).toString()).toBe('meta');

    const scan = scanRecords(bytes);
    expect(scan.damage).toBeUndefined();
    expect(scan.validBytes).toBe(bytes.length);
    expect(scan.lastCrc).toBe(lastCrc);
    expect(scan.records.map(({ type, payload }) => ({ type, payload: Buffer.from(payload) }))).toEqual(records);
  });

  it('chains checksums: a batch only verifies with the seed it was written after', () => {
    const first = encodeRecords(records.slice(0, 2), 0);
    const second = encodeRecords(records.slice(2), first.lastCrc);
    expect(scanRecords(Buffer.concat([first.bytes, second.bytes])).damage).toBeUndefined();
    // The same bytes alone, or spliced after a different history, fail at their first record.
    expect(scanRecords(second.bytes).damage).toMatchObject({ offset: 0, problem: expect.stringMatching(/checksum/) });
  });

  it('covers the type byte and the length field with the checksum', () => {
    const retyped = encodeRecords(records.slice(1, 2), 0).bytes;
    retyped[8] = RecordType.hardState;
    expect(scanRecords(retyped).damage).toMatchObject({ offset: 0, problem: expect.stringMatching(/checksum mismatch/) });

    const shortened = encodeRecords(records.slice(1, 2), 0).bytes;
    shortened.writeUInt32LE(5, 0);
    expect(scanRecords(shortened).damage).toMatchObject({ offset: 0, problem: expect.stringMatching(/checksum mismatch/) });
  });

  it('refuses an unknown record type even when its checksum is right', () => {
    const { bytes } = encodeRecords([{ type: 9 as RecordType, payload: Buffer.from('x') }], 0);
    expect(scanRecords(bytes).damage).toMatchObject({ offset: 0, problem: 'unknown record type 9', looksTorn: false });
  });
});
