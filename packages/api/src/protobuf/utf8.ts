// Strings on the protobuf wire are UTF-8 bytes. Go sorts map keys by those bytes (both when it
// writes protobuf map entries and when it writes a JSON object from a map), which is code point
// order. JavaScript's default string order (UTF-16 code units) differs only where a character
// above U+FFFF (a surrogate pair) meets one in U+E000–U+FFFF, so that case is compared apart.

const decoder = new TextDecoder('utf-8'); // not fatal: invalid bytes become U+FFFD, as Go's JSON writer does

export function utf8Decode(bytes: Uint8Array): string {
  // most strings in objects are short ASCII names; building those directly is much cheaper
  if (bytes.length > 32) return decoder.decode(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) return decoder.decode(bytes);
    text += String.fromCharCode(bytes[i]);
  }
  return text;
}

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;

export function compareUtf8(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // a surrogate starts a character above U+FFFF, which sorts after every character below it
    if (isSurrogate(x) !== isSurrogate(y)) return isSurrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
