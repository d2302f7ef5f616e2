// CRC-32 (IEEE 802.3 polynomial, the one zlib, gzip and PNG use) with a caller-supplied seed, so
// a checksum can be continued over several buffers: crc32(b, crc32(a)) === crc32(a ++ b).
// The WAL uses that to chain each record's checksum to the one before it.
//
// Node >= 20.15 ships a native zlib.crc32; older Node 20 releases (allowed by "engines") do not,
// so the table-driven version below stands in. Both compute the same function.
import zlib from 'node:zlib';

/** The standard byte-at-a-time table for the reflected polynomial 0xEDB88320. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let c = byte;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[byte] = c >>> 0;
  }
  return table;
})();

/** Table-driven CRC-32; exported so tests can check it against the native one. */
export function crc32Portable(data: Uint8Array, seed = 0): number {
  let c = ~seed >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

type Crc32 = (data: Uint8Array, seed?: number) => number;
const nativeCrc32 = (zlib as { crc32?: Crc32 }).crc32;

/** CRC-32 of data, continuing from seed (the CRC of everything before it; 0 to start). */
export const crc32: Crc32 = nativeCrc32 ?? crc32Portable;
