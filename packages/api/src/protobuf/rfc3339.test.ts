import { describe, expect, it } from 'vitest';
import { formatRfc3339, GO_ZERO_TIME_SECONDS, MAX_RFC3339_SECONDS, MIN_RFC3339_SECONDS, parseRfc3339 } from './rfc3339.ts';

describe('RFC 3339 times', () => {
  it.each([
    [0, '1970-01-01T00:00:00Z'],
    [1714557600, '2024-05-01T10:00:00Z'],
    [1709164800, '2024-02-29T00:00:00Z'],
    [951782400, '2000-02-29T00:00:00Z'],
    [-1, '1969-12-31T23:59:59Z'],
    [GO_ZERO_TIME_SECONDS, '0001-01-01T00:00:00Z'],
    [MIN_RFC3339_SECONDS, '0000-01-01T00:00:00Z'],
    [MAX_RFC3339_SECONDS, '9999-12-31T23:59:59Z'],
  ])('%i seconds is %s, and back', (seconds, text) => {
    expect(formatRfc3339(seconds)).toBe(text);
    expect(parseRfc3339(text)).toEqual({ seconds, nanos: 0 });
  });

  it('agrees with Date on every day of a few centuries', () => {
    for (let day = -40000; day < 40000; day += 31) {
      const seconds = day * 86400 + 3723;
      expect(formatRfc3339(seconds)).toBe(new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
    }
  });

  it('writes microseconds with exactly six digits (MicroTime)', () => {
    expect(formatRfc3339(1714557600, 1234)).toBe('2024-05-01T10:00:00.001234Z');
    expect(formatRfc3339(1714557600, 0)).toBe('2024-05-01T10:00:00.000000Z');
  });

  it('reads offsets and fractions as Go does', () => {
    expect(parseRfc3339('2024-05-01T12:30:00+02:30')).toEqual({ seconds: 1714557600, nanos: 0 });
    expect(parseRfc3339('2024-05-01T05:00:00-05:00')).toEqual({ seconds: 1714557600, nanos: 0 });
    expect(parseRfc3339('2024-05-01T10:00:00.5Z')).toEqual({ seconds: 1714557600, nanos: 500_000_000 });
    expect(parseRfc3339('2024-05-01T10:00:00.123456789Z')).toEqual({ seconds: 1714557600, nanos: 123456789 });
  });

  it.each(['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T10:60:00Z',
    '2024-05-01T10:00:60Z', '2024-05-01 10:00:00Z', '2024-05-01t10:00:00Z', '2024-05-01T10:00:00', '2024-05-01T10:00:00+2:00',
    '2024-05-01T10:00:00+24:00', '2024-05-01', '', '10000-01-01T00:00:00Z'])('rejects %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});
