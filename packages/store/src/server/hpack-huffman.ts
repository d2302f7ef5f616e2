// Decoding of HPACK's Huffman-coded strings (RFC 7541 section 5.2 and Appendix B).

/**
 * The length in bits of the code of each symbol: octets 0..255, then EOS (256), as listed in
 * RFC 7541 Appendix B.
 *
 * The code is canonical: ordering the symbols by (code length, symbol) and counting upwards,
 * shifting left whenever the length grows, yields exactly the codes of Appendix B. So these
 * lengths alone determine the code, which leaves much less to copy wrongly than the codes
 * themselves. The tests check the result against the RFC's Huffman examples (C.4, C.6).
 */
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0x00
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 0x10
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, // ' ' .. '/'
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, // '0' .. '?'
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, // '@' .. 'O'
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, // 'P' .. '_'
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, // '`' .. 'o'
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, // 'p' .. 0x7f
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 0x80
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 0x90
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 0xa0
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 0xb0
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 0xc0
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 0xd0
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 0xe0
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 0xf0
  30, // EOS
];

const EOS = 256;

/**
 * The decoding tree, flattened: node n's children are at [2n] (bit 0) and [2n + 1] (bit 1). A
 * child >= 1 is an inner node; a child < 0 is the leaf of symbol -child - 1. The root is node 0.
 * The code is complete (its Kraft sum is exactly 1), so every child gets set.
 */
const TREE = buildTree();

function buildTree(): Int32Array {
  const symbols = CODE_LENGTHS.map((_, symbol) => symbol).sort((a, b) => CODE_LENGTHS[a] - CODE_LENGTHS[b] || a - b);
  // A complete binary tree with 257 leaves has 256 inner nodes.
  const tree = new Int32Array(2 * 256);
  let innerNodes = 1;
  let code = 0;
  let previousLength = CODE_LENGTHS[symbols[0]];
  symbols.forEach((symbol, i) => {
    const length = CODE_LENGTHS[symbol];
    if (i > 0) code = (code + 1) * 2 ** (length - previousLength);
    previousLength = length;
    let node = 0;
    for (let bit = length - 1; bit > 0; bit--) {
      const slot = 2 * node + (Math.floor(code / 2 ** bit) & 1);
      if (tree[slot] === 0) tree[slot] = innerNodes++;
      node = tree[slot];
    }
    tree[2 * node + (code & 1)] = -symbol - 1;
  });
  return tree;
}

export class HuffmanError extends Error {}

/** Decodes a Huffman-coded string literal into its octets (one latin1 character per octet). */
export function decodeHuffman(encoded: Uint8Array): string {
  // The shortest code has 5 bits, so n octets carry at most 8n/5 symbols.
  const decoded = Buffer.allocUnsafe(Math.ceil((encoded.length * 8) / 5));
  let length = 0;
  let node = 0;
  // The bits read since the last whole symbol: at the end they are the padding, which must be
  // shorter than 8 bits and all ones (a prefix of EOS), RFC 7541 section 5.2.
  let pendingBits = 0;
  let pendingAllOnes = true;
  for (const octet of encoded) {
    for (let shift = 7; shift >= 0; shift--) {
      const bit = (octet >> shift) & 1;
      const child = TREE[2 * node + bit];
      pendingBits++;
      pendingAllOnes &&= bit === 1;
      if (child > 0) {
        node = child;
        continue;
      }
      const symbol = -child - 1;
      if (symbol === EOS) throw new HuffmanError('Huffman string contains EOS');
      decoded[length++] = symbol;
      node = 0;
      pendingBits = 0;
      pendingAllOnes = true;
    }
  }
  if (pendingBits > 7 || !pendingAllOnes) throw new HuffmanError('Huffman string has invalid padding');
  return decoded.toString('latin1', 0, length);
}
