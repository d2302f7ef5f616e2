import { describe, expect, it } from 'vitest';
import { compareUtf8 } from './utf8.ts';

describe('compareUtf8', () => {
  it('orders strings as Go does, by their UTF-8 bytes', () => {
    const keys = ['b', 'a', '', 'ab', 'é', '😀', '～', '\uE000', 'a😀', 'a～', 'Z', '𝄞'];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareUtf8)).toEqual(byBytes);
    expect([...keys].sort()).not.toEqual(byBytes); // JavaScript's own order would differ
  });
});
