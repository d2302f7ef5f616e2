import { describe, expect, it } from 'vitest';
import { ServiceIpRange } from './service-ip-range.ts';

describe('ServiceIpRange', () => {
  it('skips the network address and maps offsets both ways', () => {
    const range = new ServiceIpRange('10.96.0.0/12');
    expect(range.first).toBe('10.96.0.1');
    expect(range.size).toBe(2 ** 20 - 2);
    expect(range.ipAt(255)).toBe('10.96.1.0');
    expect(range.offsetOf('10.96.1.0')).toBe(255);
    expect(range.offsetOf('10.111.255.254')).toBe(range.size - 1);
  });

  it('refuses addresses outside the usable range', () => {
    const range = new ServiceIpRange('10.0.0.0/24');
    expect(range.offsetOf('10.0.0.0')).toBeUndefined();
    expect(range.offsetOf('10.0.0.255')).toBeUndefined();
    expect(range.offsetOf('10.0.1.1')).toBeUndefined();
    expect(range.offsetOf('not-an-ip')).toBeUndefined();
    expect(range.staticBand).toBe(16);
  });

  it('rejects ranges it cannot serve', () => {
    expect(() => new ServiceIpRange('10.0.0.0/31')).toThrow(/too small/);
    expect(() => new ServiceIpRange('fd00::/108')).toThrow(/only IPv4/);
  });
});
