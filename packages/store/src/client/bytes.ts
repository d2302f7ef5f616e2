// Small helpers for etcd keys and values.

/**
 * The range_end that selects every key starting with `prefix`: the prefix with its last
 * byte below 0xff incremented and everything after it dropped. A prefix of only 0xff bytes
 * (or the empty prefix) yields "\0", which etcd reads as "all keys >= key".
 */
export function prefixEnd(prefix: string | Uint8Array): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Bytes decoded as UTF-8 text. */
export function str(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
