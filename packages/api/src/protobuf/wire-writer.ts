// Writes protobuf records into one growing buffer. A nested message needs its length before its
// bytes, but the length is known only after them: begin() reserves one byte for it and end()
// fills it in, moving the message right in the rare case the length needs more than one byte.
// (Building each message separately and joining the pieces allocates far more: lists of
// thousands of objects spent most of their time in the garbage collector.)
import { WireType } from './wire-reader.ts';

const TWO_POW_32 = 4294967296;

function varintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

export class WireWriter {
  private buf = Buffer.allocUnsafe(1024);
  private pos = 0;

  int32(fieldNumber: number, value: number): void {
    this.int64(fieldNumber, value); // negative int32s are sign-extended to 64 bits, as protobuf requires
  }

  /** A safe integer as a 64-bit two's complement varint (floor division keeps negatives right). */
  int64(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WireType.varint);
    this.varint(value >>> 0, Math.floor(value / TWO_POW_32) >>> 0);
  }

  int64Big(fieldNumber: number, value: bigint): void {
    const unsigned = BigInt.asUintN(64, value);
    this.tag(fieldNumber, WireType.varint);
    this.varint(Number(unsigned & 0xffffffffn), Number(unsigned >> 32n));
  }

  bool(fieldNumber: number, value: boolean): void {
    this.tag(fieldNumber, WireType.varint);
    this.reserve(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  double(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, WireType.fixed64);
    this.reserve(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  string(fieldNumber: number, value: string): void {
    this.tag(fieldNumber, WireType.lengthDelimited);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: short strings need a one-byte length
    const byteLength = value.length * 3 <= 0x7f ? undefined : Buffer.byteLength(value);
    this.reserve(5 + (byteLength ?? value.length * 3));
    if (byteLength === undefined) {
      const written = this.buf.write(value, this.pos + 1);
      this.buf[this.pos] = written;
      this.pos += 1 + written;
    } else {
      this.varint(byteLength, 0);
      this.pos += this.buf.write(value, this.pos);
    }
  }

  bytes(fieldNumber: number, value: Uint8Array): void {
    this.tag(fieldNumber, WireType.lengthDelimited);
    this.varint(value.length, 0);
    this.reserve(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Starts a length-delimited (message) field; pass the result to end() once its fields are written. */
  begin(fieldNumber: number): number {
    this.tag(fieldNumber, WireType.lengthDelimited);
    this.reserve(1);
    this.pos++;
    return this.pos;
  }

  end(start: number): void {
    const length = this.pos - start;
    const extra = varintSize(length) - 1;
    if (extra > 0) {
      this.reserve(extra);
      this.buf.copyWithin(start + extra, start, this.pos);
      this.pos += extra;
    }
    let at = start - 1;
    let n = length;
    for (; n > 0x7f; n >>>= 7) this.buf[at++] = (n & 0x7f) | 0x80;
    this.buf[at] = n;
  }

  /** Writes a message built separately (for small hand-built envelopes). */
  message(fieldNumber: number, child: WireWriter): void {
    this.bytes(fieldNumber, child.finish());
  }

  /** The bytes written; the writer must not be used afterwards. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private tag(fieldNumber: number, wireType: number): void {
    this.varint(((fieldNumber << 3) | wireType) >>> 0, 0);
  }

  private varint(lo: number, hi: number): void {
    this.reserve(10);
    while (hi !== 0 || lo > 0x7f) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  private reserve(count: number): void {
    if (this.pos + count <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + count));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
