// A bitmap of taken offsets in a range (Service IPs, node ports), as pure functions.

export function isTaken(bits: Uint8Array, offset: number): boolean {
  return (bits[offset >> 3]! & (1 << (offset & 7))) !== 0;
}

export function withBit(bits: Uint8Array, offset: number, taken: boolean): Uint8Array {
  const copy = new Uint8Array(Math.max(bits.length, (offset >> 3) + 1));
  copy.set(bits);
  if (taken) copy[offset >> 3]! |= 1 << (offset & 7);
  else copy[offset >> 3]! &= ~(1 << (offset & 7));
  return copy;
}

/**
 * A free offset in [from, size), scanning from a random start and wrapping; -1 when full.
 * Kubernetes allocates dynamically from the upper part of a range first so that the lower
 * part stays free for addresses users pick themselves; `from` expresses that band.
 */
export function findFree(bits: Uint8Array, size: number, from: number, random: () => number): number {
  const span = size - from;
  if (span <= 0) return -1;
  const start = from + Math.floor(random() * span);
  for (let i = 0; i < span; i++) {
    const offset = from + ((start - from + i) % span);
    if (!isTaken(bits, offset)) return offset;
  }
  return -1;
}
