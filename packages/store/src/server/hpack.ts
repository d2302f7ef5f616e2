// HPACK (RFC 7541), as much as a proxy needs to rewrite request headers: a complete decoder
// that mirrors the client's encoder, and an encoder that leaves the receiver's dynamic table
// untouched. Names and values are strings of octets, one latin1 character per octet, so any
// byte a peer sends survives decoding and re-encoding unchanged.
import { decodeHuffman, HuffmanError } from './hpack-huffman.ts';

export interface HeaderField {
  name: string;
  value: string;
  /** Sent as "never indexed" (section 6.2.3); a proxy must re-encode it the same way. */
  neverIndexed: boolean;
}

/** A malformed header block: an HTTP/2 COMPRESSION_ERROR, fatal to the connection. */
export class HpackError extends Error {}

/** RFC 7541 Appendix A; index i + 1 is STATIC_TABLE[i]. */
const STATIC_TABLE: ReadonlyArray<readonly [name: string, value: string]> = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

/** The first static index of each name, for encoding names by reference. */
const STATIC_NAME_INDEX = new Map<string, number>();
STATIC_TABLE.forEach(([name], i) => {
  if (!STATIC_NAME_INDEX.has(name)) STATIC_NAME_INDEX.set(name, i + 1);
});

/** Each entry costs its name and value octets plus 32 (section 4.1). */
const ENTRY_OVERHEAD = 32;

/** Integers above this are refused: no honest header block needs them, and they stay exact. */
const MAX_INTEGER = 2 ** 31 - 1;

/** The dynamic table (section 2.3.2): newest entry first, oldest evicted first. */
class DynamicTable {
  private readonly entries: Array<readonly [name: string, value: string]> = [];
  private size = 0;

  constructor(private maxSize: number) {}

  get(index: number): readonly [string, string] | undefined {
    return this.entries[index];
  }

  get currentSize(): number {
    return this.size;
  }

  add(name: string, value: string): void {
    const entrySize = name.length + value.length + ENTRY_OVERHEAD;
    // An entry larger than the whole table empties it and is not added (section 4.4).
    this.evictUntil(Math.max(0, this.maxSize - entrySize));
    if (entrySize > this.maxSize) return;
    this.entries.unshift([name, value]);
    this.size += entrySize;
  }

  resize(maxSize: number): void {
    this.maxSize = maxSize;
    this.evictUntil(maxSize);
  }

  private evictUntil(size: number): void {
    while (this.size > size) {
      const [name, value] = this.entries.pop()!;
      this.size -= name.length + value.length + ENTRY_OVERHEAD;
    }
  }
}

export interface HpackDecoderOptions {
  /**
   * The largest dynamic table the peer's encoder may use: the SETTINGS_HEADER_TABLE_SIZE the
   * receiving endpoint advertised (4096 unless it changed it, section 4.2 and RFC 9113 6.5.2).
   */
  maxTableSize?: number;
  /** Refuse header lists larger than this (section 4.1 sizes); a guard against memory blowup. */
  maxHeaderListSize?: number;
}

/** Decodes the header blocks of one direction of one connection, in the order they were sent. */
export class HpackDecoder {
  private readonly maxTableSize: number;
  private readonly maxHeaderListSize: number;
  private readonly table: DynamicTable;

  constructor(options: HpackDecoderOptions = {}) {
    this.maxTableSize = options.maxTableSize ?? 4096;
    this.maxHeaderListSize = options.maxHeaderListSize ?? 1024 * 1024;
    this.table = new DynamicTable(this.maxTableSize);
  }

  /** The dynamic table's size in octets, as section 4.1 counts it. */
  get dynamicTableSize(): number {
    return this.table.currentSize;
  }

  decode(block: Buffer): HeaderField[] {
    const reader = new BlockReader(block);
    const fields: HeaderField[] = [];
    let listSize = 0;
    while (!reader.done) {
      const first = reader.peek();
      if ((first & 0xe0) === 0x20) {
        // Dynamic table size update (section 6.3): only before the first field (section 4.2).
        if (fields.length > 0) throw new HpackError('dynamic table size update after a header field');
        const maxSize = reader.integer(5);
        if (maxSize > this.maxTableSize) throw new HpackError(`dynamic table size ${maxSize} exceeds ${this.maxTableSize}`);
        this.table.resize(maxSize);
        continue;
      }
      const field = this.field(reader, first);
      listSize += field.name.length + field.value.length + ENTRY_OVERHEAD;
      if (listSize > this.maxHeaderListSize) throw new HpackError(`header list exceeds ${this.maxHeaderListSize} octets`);
      fields.push(field);
    }
    return fields;
  }

  private field(reader: BlockReader, first: number): HeaderField {
    if (first & 0x80) {
      // Indexed header field (section 6.1).
      const [name, value] = this.entry(reader.integer(7));
      return { name, value, neverIndexed: false };
    }
    if (first & 0x40) {
      // Literal with incremental indexing (section 6.2.1).
      const name = this.literalName(reader, 6);
      const value = reader.string();
      this.table.add(name, value);
      return { name, value, neverIndexed: false };
    }
    // Literal without indexing (0000xxxx, section 6.2.2) or never indexed (0001xxxx, 6.2.3).
    const neverIndexed = (first & 0x10) !== 0;
    const name = this.literalName(reader, 4);
    return { name, value: reader.string(), neverIndexed };
  }

  private literalName(reader: BlockReader, prefixBits: number): string {
    const index = reader.integer(prefixBits);
    return index === 0 ? reader.string() : this.entry(index)[0];
  }

  /** The static table, then the dynamic table (section 2.3.3). */
  private entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError('index 0');
    const entry = index <= STATIC_TABLE.length ? STATIC_TABLE[index - 1] : this.table.get(index - STATIC_TABLE.length - 1);
    if (!entry) throw new HpackError(`index ${index} is not in the table`);
    return entry;
  }
}

/** Reads the primitive representations (section 5) from a header block. */
class BlockReader {
  private pos = 0;

  constructor(private readonly block: Buffer) {}

  get done(): boolean {
    return this.pos >= this.block.length;
  }

  peek(): number {
    return this.block[this.pos];
  }

  /** An integer with an N-bit prefix (section 5.1); the bits above the prefix are ignored. */
  integer(prefixBits: number): number {
    const prefixMax = (1 << prefixBits) - 1;
    let value = this.octet() & prefixMax;
    if (value < prefixMax) return value;
    for (let shift = 0; ; shift += 7) {
      const octet = this.octet();
      value += (octet & 0x7f) * 2 ** shift;
      if (value > MAX_INTEGER) throw new HpackError('integer too large');
      if ((octet & 0x80) === 0) return value;
    }
  }

  /** A string literal (section 5.2), Huffman-coded or not. */
  string(): string {
    const huffman = (this.peek() & 0x80) !== 0;
    const length = this.integer(7);
    if (this.pos + length > this.block.length) throw new HpackError('string runs past the header block');
    const start = this.pos;
    this.pos += length;
    if (!huffman) return this.block.toString('latin1', start, this.pos);
    try {
      return decodeHuffman(this.block.subarray(start, this.pos));
    } catch (error) {
      throw error instanceof HuffmanError ? new HpackError(error.message) : error;
    }
  }

  private octet(): number {
    if (this.done) throw new HpackError('header block ends inside a representation');
    return this.block[this.pos++];
  }
}

/**
 * Encodes fields as literals without indexing (or never indexed, as they came), names by static
 * table reference where one exists, strings without Huffman coding. Such a block never adds to
 * the receiver's dynamic table and carries no size update, so the receiver's table stays empty
 * whatever the original sender's encoder did.
 */
export function encodeWithoutIndexing(fields: readonly HeaderField[]): Buffer {
  // An integer below 2^35 takes at most 6 octets (section 5.1); a representation is at most a
  // name index, or a name length and name, then a value length and value.
  let bound = 0;
  for (const { name, value } of fields) bound += 6 + 6 + name.length + 6 + value.length;
  const out = Buffer.allocUnsafe(bound);
  let pos = 0;
  const integer = (value: number, prefixBits: number, pattern: number) => {
    const prefixMax = (1 << prefixBits) - 1;
    if (value < prefixMax) {
      out[pos++] = pattern | value;
      return;
    }
    out[pos++] = pattern | prefixMax;
    for (value -= prefixMax; value >= 0x80; value = Math.floor(value / 0x80)) out[pos++] = (value % 0x80) | 0x80;
    out[pos++] = value;
  };
  const string = (octets: string) => {
    integer(octets.length, 7, 0x00);
    pos += out.write(octets, pos, 'latin1');
  };
  for (const { name, value, neverIndexed } of fields) {
    const pattern = neverIndexed ? 0x10 : 0x00;
    const nameIndex = STATIC_NAME_INDEX.get(name);
    if (nameIndex === undefined) {
      integer(0, 4, pattern);
      string(name);
    } else {
      integer(nameIndex, 4, pattern);
    }
    string(value);
  }
  return out.subarray(0, pos);
}
