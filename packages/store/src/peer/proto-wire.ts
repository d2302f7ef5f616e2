// The protobuf wire format (varints, length-delimited fields; protobuf.dev "Encoding") at the
// level the Raft message codec needs: a writer that grows one buffer and a reader over a byte
// range. 64-bit member IDs are read and written exactly, as decimal strings; other unsigned
// fields as numbers (exact up to 2^53, which no term or index reaches).

export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

export const protoWire = { EMPTY: Buffer.alloc(0) };

const MAX_VARINT_BYTES = 10;
/** Varints of up to 7 bytes hold values below 2^49: exact as numbers. */
const EXACT_VARINT_BYTES = 7;
const UINT64_LIMIT = 1n << 64n;
/** Member IDs are few; the caches only stop a stream of distinct IDs from growing without end. */
const ID_CACHE_LIMIT = 4096;

const idVarints = new Map<string, Buffer>();
const idStrings = new Map<string, string>();

/** The varint bytes of a uint64 given as a decimal string (cached: member IDs repeat). */
export function uint64Varint(decimal: string): Buffer {
  let bytes = idVarints.get(decimal);
  if (bytes) return bytes;
  if (!/^\d+$/.test(decimal)) throw new Error(`not a uint64: ${JSON.stringify(decimal)}`);
  let value = BigInt(decimal);
  if (value >= UINT64_LIMIT) throw new Error(`not a uint64: ${decimal}`);
  const out: number[] = [];
  while (value >= 0x80n) {
    out.push(Number(value & 0x7fn) | 0x80);
    value >>= 7n;
  }
  out.push(Number(value));
  bytes = Buffer.from(out);
  if (idVarints.size >= ID_CACHE_LIMIT) idVarints.clear();
  idVarints.set(decimal, bytes);
  return bytes;
}

export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(sizeHint: number) {
    this.buf = Buffer.allocUnsafe(Math.max(16, sizeHint));
  }

  /** An unsigned varint field; left out at 0 (proto3). */
  uint(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WireType.VARINT);
    this.varint(value);
  }

  bool(field: number, value: boolean): void {
    if (value) this.uint(field, 1);
  }

  /** A uint64 member ID given as a decimal string; left out at "0". */
  id(field: number, decimal: string): void {
    if (decimal === '0') return;
    this.tag(field, WireType.VARINT);
    this.raw(uint64Varint(decimal));
  }

  /** A bytes field; left out when empty. */
  bytes(field: number, data: Uint8Array): void {
    if (data.length === 0) return;
    this.tag(field, WireType.LEN);
    this.varint(data.length);
    this.raw(data);
  }

  /** A packed repeated uint64 field of member IDs; left out when empty. */
  packedIds(field: number, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const varints = ids.map(uint64Varint);
    this.tag(field, WireType.LEN);
    this.varint(varints.reduce((sum, v) => sum + v.length, 0));
    for (const v of varints) this.raw(v);
  }

  /** An embedded message, written by `write` into this buffer behind its length prefix. */
  message(field: number, write: (w: ProtoWriter) => void): void {
    this.tag(field, WireType.LEN);
    // Leave one byte for the length (most embedded messages are shorter than 128 bytes) and
    // move the body along when its length needs more.
    this.ensure(1);
    const lengthAt = this.pos++;
    write(this);
    const length = this.pos - lengthAt - 1;
    const lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      this.ensure(lengthBytes - 1);
      this.buf.copyWithin(lengthAt + lengthBytes, lengthAt + 1, this.pos);
      this.pos += lengthBytes - 1;
    }
    writeVarintAt(this.buf, lengthAt, length);
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private varint(value: number): void {
    this.ensure(MAX_VARINT_BYTES);
    this.pos = writeVarintAt(this.buf, this.pos, value);
  }

  private raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  private ensure(more: number): void {
    if (this.pos + more <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + more));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

/** Writes `value` (a non-negative integer up to 2^53) as a varint at `pos`; returns the end. */
function writeVarintAt(buf: Buffer, pos: number, value: number): number {
  while (value >= 0x80) {
    buf[pos++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  buf[pos++] = value;
  return pos;
}

export class ProtoReader {
  private readonly buf: Buffer;
  private pos: number;
  private readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  more(): boolean {
    return this.pos < this.end;
  }

  tag(): { field: number; wire: number } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) throw new Error('field number 0');
    return { field, wire: key % 8 };
  }

  uint(wire: number): number {
    this.expect(wire, WireType.VARINT);
    return this.varint();
  }

  /** A uint64 as its exact decimal string. */
  id(wire: number): string {
    this.expect(wire, WireType.VARINT);
    return this.idVarint();
  }

  /** Member IDs: one unpacked value, or a packed run of them. */
  ids(wire: number): string[] {
    if (wire === WireType.VARINT) return [this.idVarint()];
    const packed = this.sub(wire);
    const ids: string[] = [];
    while (packed.more()) ids.push(packed.idVarint());
    return ids;
  }

  /** A bytes field, as a view of the input (no copy). */
  bytes(wire: number): Buffer {
    const end = this.lengthDelimited(wire);
    const data = this.buf.subarray(this.pos, end);
    this.pos = end;
    return data;
  }

  /** A reader over an embedded message. */
  sub(wire: number): ProtoReader {
    const end = this.lengthDelimited(wire);
    const reader = new ProtoReader(this.buf, this.pos, end);
    this.pos = end;
    return reader;
  }

  skip(wire: number): void {
    if (wire === WireType.VARINT) this.varint();
    else if (wire === WireType.LEN) this.pos = this.lengthDelimited(wire);
    else if (wire === WireType.I64 || wire === WireType.I32) {
      const end = this.pos + (wire === WireType.I64 ? 8 : 4);
      if (end > this.end) throw new Error('truncated fixed-width field');
      this.pos = end;
    } else throw new Error(`unsupported wire type ${wire}`);
  }

  private lengthDelimited(wire: number): number {
    this.expect(wire, WireType.LEN);
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.end) throw new Error('length-delimited field runs past its message');
    return end;
  }

  private expect(wire: number, expected: number): void {
    if (wire !== expected) throw new Error(`wire type ${wire} where ${expected} was expected`);
  }

  private varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
    throw new Error('varint longer than 10 bytes');
  }

  private idVarint(): string {
    const start = this.pos;
    const value = this.varint();
    if (this.pos - start <= EXACT_VARINT_BYTES) return String(value);
    const key = this.buf.toString('latin1', start, this.pos);
    let decimal = idStrings.get(key);
    if (decimal === undefined) {
      let exact = 0n;
      for (let i = this.pos - 1; i >= start; i--) exact = (exact << 7n) | BigInt(this.buf[i]! & 0x7f);
      if (exact >= UINT64_LIMIT) throw new Error('uint64 out of range');
      decimal = exact.toString();
      if (idStrings.size >= ID_CACHE_LIMIT) idStrings.clear();
      idStrings.set(key, decimal);
    }
    return decimal;
  }
}
