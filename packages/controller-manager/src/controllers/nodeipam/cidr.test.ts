import { describe, expect, it } from 'vitest';
import { formatCidr, overlaps, parseCidr } from './cidr.ts';

describe('CIDR parsing', () => {
  it('keeps the network address and prints as Go does', () => {
    expect(formatCidr(parseCidr('10.244.3.7/16'))).toBe('10.244.0.0/16');
    expect(formatCidr(parseCidr('fd00:10:244::1/56'))).toBe('fd00:10:244::/56');
    // The longest run of zero groups becomes "::"; of equal runs, the first.
    expect(formatCidr(parseCidr('2001:db8:0:0:1:0:0:0/128'))).toBe('2001:db8:0:0:1::/128');
    expect(formatCidr(parseCidr('2001:db8:0:0:1:0:0:1/128'))).toBe('2001:db8::1:0:0:1/128');
    expect(formatCidr(parseCidr('::ffff:10.0.0.1/128'))).toBe('::ffff:a00:1/128');
  });

  it('rejects what Go rejects, in its words', () => {
    for (const bad of ['10.244.0.0', '10.244.0.0/33', '10.256.0.0/16', 'fd00::1::2/64', 'x/8']) {
      expect(() => parseCidr(bad)).toThrow(`invalid CIDR address: ${bad}`);
    }
  });

  it('tells overlapping networks apart', () => {
    expect(overlaps(parseCidr('10.96.0.0/12'), parseCidr('10.0.0.0/8'))).toBe(true);
    expect(overlaps(parseCidr('10.96.0.0/12'), parseCidr('10.244.0.0/16'))).toBe(false);
    expect(overlaps(parseCidr('10.0.0.0/8'), parseCidr('fd00::/8'))).toBe(false);
  });
});
