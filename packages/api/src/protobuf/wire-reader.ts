// The protobuf wire format, read without a schema: a message is a sequence of (field number, wire
// type, value) records. Every read is bounds-checked and every failure is a ProtobufDecodeError,
// so arbitrary bytes can never crash a caller or read outside the buffer.
import { ProtobufDecodeError } from './errors.ts';

export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

/** A varint as two unsigned 32-bit halves: JavaScript numbers cannot hold every 64-bit integer. */
export interface Varint {
  readonly lo: number;
  readonly hi: number;
}

export type WireValue =
  | ({ readonly wireType: 0 } & Varint)
  | { readonly wireType: 1 | 5; readonly bytes: Uint8Array }
  | { readonly wireType: 2; readonly bytes: Uint8Array }
  /** a (deprecated) proto2 group: its content is skipped; kept so a known field sent as a group is an error */
  | { readonly wireType: 3 };

/** Groups are skipped recursively; hostile input must not be able to nest them without bound. */
const MAX_GROUP_DEPTH = 100;

class WireReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  // the last varint read, as two unsigned 32-bit halves (kept in fields: reading allocates nothing)
  private lo = 0;
  private hi = 0;

  varint(): Varint {
    this.readVarint();
    return { lo: this.lo, hi: this.hi };
  }

  private readVarint(): void {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufDecodeError('unexpected end of data inside a varint');
      const b = this.buf[this.pos++];
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28; // the low 4 bits land in lo, the rest in hi
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if ((b & 0x80) === 0) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes (integer overflow)');
  }

  /** A length prefix: it must fit in what is left of the buffer. */
  length(): number {
    this.readVarint();
    if (this.hi !== 0 || this.lo > this.buf.length - this.pos) {
      throw new ProtobufDecodeError(`length ${this.hi !== 0 ? 'over 4 GiB' : this.lo} runs past the end of the data`);
    }
    return this.lo;
  }

  take(count: number): Uint8Array {
    if (count > this.buf.length - this.pos) throw new ProtobufDecodeError('unexpected end of data');
    const bytes = this.buf.subarray(this.pos, this.pos + count);
    this.pos += count;
    return bytes;
  }

  /** The last tag read by nextTag(). */
  fieldNumber = 0;
  wireType = 0;

  /** Reads one record's tag: field numbers start at 1, wire types 6 and 7 do not exist. */
  nextTag(): void {
    this.readVarint();
    this.fieldNumber = this.lo >>> 3;
    this.wireType = this.lo & 7;
    if (this.hi !== 0 || this.fieldNumber === 0) throw new ProtobufDecodeError(`illegal tag ${this.fieldNumber} (wire type ${this.wireType})`);
    if (this.wireType > 5) throw new ProtobufDecodeError(`illegal wire type ${this.wireType} for field ${this.fieldNumber}`);
  }

  value(fieldNumber: number, wireType: number, groupDepth = 0): WireValue {
    switch (wireType) {
      case WireType.varint:
        this.readVarint();
        return { wireType: WireType.varint, lo: this.lo, hi: this.hi };
      case WireType.fixed64:
        return { wireType: WireType.fixed64, bytes: this.take(8) };
      case WireType.fixed32:
        return { wireType: WireType.fixed32, bytes: this.take(4) };
      case WireType.lengthDelimited:
        return { wireType: WireType.lengthDelimited, bytes: this.take(this.length()) };
      case WireType.startGroup:
        this.skipGroup(fieldNumber, groupDepth + 1);
        return { wireType: WireType.startGroup };
      default:
        throw new ProtobufDecodeError(`unexpected end of group for field ${fieldNumber}`);
    }
  }

  private skipGroup(fieldNumber: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) throw new ProtobufDecodeError(`groups nested deeper than ${MAX_GROUP_DEPTH} levels`);
    for (;;) {
      if (this.done) throw new ProtobufDecodeError(`unterminated group for field ${fieldNumber}`);
      this.nextTag();
      if (this.wireType === WireType.endGroup) {
        if (this.fieldNumber !== fieldNumber) throw new ProtobufDecodeError(`group ${fieldNumber} ended by field ${this.fieldNumber}`);
        return;
      }
      this.value(this.fieldNumber, this.wireType, depth);
    }
  }
}

/**
 * All records of a message, by field number, in wire order. A message may arrive in several
 * chunks (a singular message field sent more than once): protobuf merges them, which is the same
 * as reading the chunks one after another.
 */
export function readFields(chunks: readonly Uint8Array[]): Map<number, WireValue[]> {
  const fields = new Map<number, WireValue[]>();
  for (const chunk of chunks) {
    const reader = new WireReader(chunk);
    while (!reader.done) {
      reader.nextTag();
      const { fieldNumber } = reader;
      const value = reader.value(fieldNumber, reader.wireType);
      const values = fields.get(fieldNumber);
      if (values) values.push(value);
      else fields.set(fieldNumber, [value]);
    }
  }
  return fields;
}

/** The elements of a packed repeated varint field (one length-delimited record holding them all). */
export function unpackVarints(bytes: Uint8Array): Varint[] {
  const reader = new WireReader(bytes);
  const values: Varint[] = [];
  while (!reader.done) values.push(reader.varint());
  return values;
}

/** A varint read as int64, as a JavaScript number (exact up to 2^53, rounded beyond). */
export function varintToInt64({ lo, hi }: Varint): number {
  return (hi | 0) * 4294967296 + lo;
}

/** A varint read as int32: Go keeps the low 32 bits (negative int32s arrive sign-extended). */
export function varintToInt32({ lo }: Varint): number {
  return lo | 0;
}

export function varintToBigInt({ lo, hi }: Varint): bigint {
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

export function fixed64ToDouble(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
}
