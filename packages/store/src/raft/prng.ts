// A tiny seeded pseudo-random generator. The Raft core never reaches for Math.random: the
// randomized election timeout draws from an injected `rand`, so a test can replay a run
// exactly by reusing its seed.

/**
 * Returns a generator of floats in [0, 1) driven by a 32-bit seed (the "mulberry32"
 * construction: a Weyl sequence stepped by a constant, then mixed by multiply-xorshift).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
