import { describe, expect, it } from 'vitest';
import { ProtobufDecodeError } from './errors.ts';
import { readFields, unpackVarints, varintToBigInt, varintToInt32, varintToInt64 } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));

describe('varints', () => {
  it('writes the encodings the protobuf spec gives', () => {
    const w = new WireWriter();
    w.int32(1, 150); // the spec's own example: 08 96 01
    w.int32(2, -1); // negative int32s are sign-extended to ten bytes
    w.int64(3, 2 ** 40);
    w.bool(4, true);
    expect(hex(w.finish())).toBe('089601' + '10ffffffffffffffffff01' + '18808080808020' + '2001');
  });

  it('reads back int32, int64 and bigint values across the 32-bit boundary', () => {
    const values = [0, 1, 127, 128, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), -1];
    const w = new WireWriter();
    for (const v of values) w.int64(1, v);
    const read = readFields([w.finish()]).get(1)!;
    expect(read.map((v) => (v.wireType === 0 ? varintToInt64(v) : NaN))).toEqual(values);
    const last = read[read.length - 1];
    expect(last.wireType === 0 && varintToBigInt(last)).toBe(-1n);
    expect(last.wireType === 0 && varintToInt32(last)).toBe(-1);
    const big = new WireWriter();
    big.int64Big(1, -(2n ** 63n));
    const [min] = readFields([big.finish()]).get(1)!;
    expect(min.wireType === 0 && varintToBigInt(min)).toBe(-(2n ** 63n));
  });

  it('reads a packed run of varints', () => {
    expect(unpackVarints(fromHex('03 8e02 9ea705')).map(varintToInt64)).toEqual([3, 270, 86942]);
  });
});

describe('records', () => {
  it('groups records by field number in wire order and merges chunks', () => {
    const fields = readFields([fromHex('0a0161 1001'), fromHex('0a0162')]);
    expect(fields.get(1)!.map((v) => (v.wireType === 2 ? Buffer.from(v.bytes).toString() : ''))).toEqual(['a', 'b']);
    expect(fields.get(2)).toEqual([{ wireType: 0, lo: 1, hi: 0 }]);
  });

  it('skips groups and fixed-width values of unknown fields', () => {
    // field 5 as a group holding field 6 = 1, then field 7 fixed32, field 8 fixed64, field 1 = 2
    const fields = readFields([fromHex('2b 3001 2c 3d01020304 41 0102030405060708 0802')]);
    expect(fields.get(5)).toEqual([{ wireType: 3 }]);
    expect(fields.get(1)).toEqual([{ wireType: 0, lo: 2, hi: 0 }]);
  });

  it.each([
    ['a varint cut short', '0880', /unexpected end of data inside a varint/],
    ['an 11-byte varint', '08ffffffffffffffffffff01', /longer than 10 bytes/],
    ['a length past the end', '0a05616263', /length 5 runs past the end/],
    ['a 4 GiB length', '0a8080808010', /over 4 GiB/],
    ['field number 0', '0001', /illegal tag 0/],
    ['wire type 6', '0e', /illegal wire type 6/],
    ['a stray end-group', '0c', /unexpected end of group/],
    ['an unterminated group', '0b0801', /unterminated group/],
    ['a group closed by another field', '0b14', /group 1 ended by field 2/],
    ['a truncated fixed64', '09010203', /unexpected end of data/],
  ])('rejects %s with a ProtobufDecodeError', (_name, bytes, message) => {
    expect(() => readFields([fromHex(bytes)])).toThrow(ProtobufDecodeError);
    expect(() => readFields([fromHex(bytes)])).toThrow(message);
  });

  it('refuses groups nested without bound', () => {
    expect(() => readFields([fromHex('0b'.repeat(1000))])).toThrow(/nested deeper than 100 levels/);
  });

  it('adopts nested messages with their length prefix', () => {
    const inner = new WireWriter();
    inner.string(1, 'héllo');
    inner.double(2, 1.5);
    const outer = new WireWriter();
    outer.message(3, inner);
    outer.bytes(4, new Uint8Array([0, 255]));
    expect(hex(outer.finish())).toBe('1a11' + '0a0668c3a96c6c6f' + '11000000000000f83f' + '220200ff');
  });
});
