import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../runtime.ts';
import { HostLocalIpam } from './host-local-ipam.ts';

describe('HostLocalIpam', () => {
  it('hands out addresses from .2 and keeps one per owner', () => {
    const ipam = new HostLocalIpam('10.244.3.0/24');
    expect(ipam.allocate('a')).toBe('10.244.3.2');
    expect(ipam.allocate('b')).toBe('10.244.3.3');
    expect(ipam.allocate('a')).toBe('10.244.3.2');
  });

  it('reuses the lowest released address', () => {
    const ipam = new HostLocalIpam('10.244.3.0/24');
    ipam.allocate('a');
    ipam.allocate('b');
    ipam.release('a');
    expect(ipam.allocate('c')).toBe('10.244.3.2');
    expect(ipam.allocated()).toBe(2);
  });

  it('reports an exhausted range in host-local words', () => {
    const ipam = new HostLocalIpam('10.0.0.0/30');
    expect(ipam.allocate('a')).toBe('10.0.0.2');
    expect(() => ipam.allocate('b')).toThrow('no IP addresses available in range set: 10.0.0.1-10.0.0.2');
  });

  it('rejects a CIDR it cannot use', () => {
    expect(() => new HostLocalIpam('fd00::/64')).toThrow(RuntimeError);
    expect(() => new HostLocalIpam('10.0.0.0/31')).toThrow(/invalid pod CIDR/);
  });
});
