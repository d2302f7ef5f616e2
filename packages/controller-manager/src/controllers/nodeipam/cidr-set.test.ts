import { describe, expect, it } from 'vitest';
import { CidrSet, ERR_NO_CIDRS_REMAINING, ERR_SUBNET_TOO_BIG } from './cidr-set.ts';

describe('CidrSet', () => {
  it('hands out /24s of a /16 in order, and does not reuse a released one at once', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect([set.allocateNext(), set.allocateNext(), set.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    set.release('10.244.1.0/24');
    expect(set.allocateNext()).toBe('10.244.3.0/24');
  });

  it('skips occupied subnets, wraps round to released ones, and fails when full', () => {
    const set = new CidrSet('10.244.0.0/22', 24);
    set.occupy('10.244.0.0/24');
    set.occupy('10.244.2.0/23'); // covers .2 and .3
    expect(set.allocateNext()).toBe('10.244.1.0/24');
    expect(() => set.allocateNext()).toThrow(ERR_NO_CIDRS_REMAINING);
    set.release('10.244.0.0/24');
    expect(set.allocateNext()).toBe('10.244.0.0/24');
  });

  it('refuses CIDRs outside the cluster range', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect(() => set.occupy('10.96.0.0/24')).toThrow('cidr 10.96.0.0/24 is out the range of cluster cidr 10.244.0.0/16');
  });

  it('allocates IPv6 /64s, and limits an IPv6 set to 16 bits of subnets', () => {
    const set = new CidrSet('fd00:10:244::/56', 64);
    expect([set.allocateNext(), set.allocateNext()]).toEqual(['fd00:10:244::/64', 'fd00:10:244:1::/64']);
    expect(() => new CidrSet('fd00::/32', 64)).toThrow(ERR_SUBNET_TOO_BIG);
  });
});
