import { describe, expect, it } from 'vitest';
import { parseGoInt64, parseGoUint64 } from './query-params.ts';

describe('query numbers', () => {
  it('accepts what Go strconv accepts', () => {
    expect(parseGoInt64('500')).toBe(500);
    expect(parseGoInt64('-1')).toBe(-1);
    expect(parseGoInt64('+7')).toBe(7);
    expect(parseGoInt64('007')).toBe(7);
    expect(parseGoUint64('18446744073709551615')).toBe(18446744073709551615);
  });

  it('refuses the rest with strconv error text', () => {
    expect(() => parseGoInt64('abc')).toThrow('strconv.ParseInt: parsing "abc": invalid syntax');
    expect(() => parseGoInt64('')).toThrow('strconv.ParseInt: parsing "": invalid syntax');
    expect(() => parseGoInt64('1e3')).toThrow('strconv.ParseInt: parsing "1e3": invalid syntax');
    expect(() => parseGoInt64(' 1')).toThrow('strconv.ParseInt: parsing " 1": invalid syntax');
    expect(() => parseGoInt64('9223372036854775808')).toThrow('strconv.ParseInt: parsing "9223372036854775808": value out of range');
    expect(() => parseGoUint64('-1')).toThrow('strconv.ParseUint: parsing "-1": invalid syntax');
    expect(() => parseGoUint64('+1')).toThrow('strconv.ParseUint: parsing "+1": invalid syntax');
    expect(() => parseGoUint64('18446744073709551616')).toThrow('strconv.ParseUint: parsing "18446744073709551616": value out of range');
    expect(() => parseGoUint64('a\tb')).toThrow('strconv.ParseUint: parsing "a\\tb": invalid syntax');
  });
});
