import { describe, expect, it } from 'vitest';
import type { EndpointAddress, EndpointSubset } from '../endpointslice/util/types.ts';
import { capacityAnnotationSetCorrectly, truncateSubsets } from './desired-subsets.ts';

const addresses = (n: number, prefix: string): EndpointAddress[] => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${i}` }));
const sizes = (subsets: EndpointSubset[]) => subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]);

describe('truncateSubsets', () => {
  it('leaves subsets within capacity alone', () => {
    expect(truncateSubsets([{ addresses: addresses(600, 'a'), notReadyAddresses: addresses(400, 'b') }])).toBeUndefined();
  });

  it('keeps every ready address and shares what is left among not-ready ones in proportion', () => {
    const truncated = truncateSubsets([
      { addresses: addresses(900, 'a'), notReadyAddresses: addresses(150, 'b') },
      { notReadyAddresses: addresses(50, 'c') },
    ])!;
    // 100 not-ready places for 200 not-ready addresses: 75 and 25.
    expect(sizes(truncated)).toEqual([
      [900, 75],
      [0, 25],
    ]);
  });

  it('drops every not-ready address when ready ones alone exceed capacity, rounding shares up', () => {
    const truncated = truncateSubsets([
      { addresses: addresses(700, 'a'), notReadyAddresses: addresses(5, 'n') },
      { addresses: addresses(700, 'b') },
      { addresses: addresses(101, 'c') },
    ])!;
    // ceil(700/1501*1000) = 467 twice, then the 66 places left of ceil(101/1501*1000) = 68.
    expect(sizes(truncated)).toEqual([
      [467, 0],
      [467, 0],
      [66, 0],
    ]);
  });
});

describe('capacityAnnotationSetCorrectly', () => {
  it('wants the annotation absent within capacity, and rewrites anything over capacity', () => {
    expect(capacityAnnotationSetCorrectly({}, [{ addresses: addresses(3, 'a') }])).toBe(true);
    expect(capacityAnnotationSetCorrectly({ 'endpoints.kubernetes.io/over-capacity': 'truncated' }, [{ addresses: addresses(3, 'a') }])).toBe(false);
    expect(capacityAnnotationSetCorrectly({}, [{ addresses: addresses(1001, 'a') }])).toBe(false);
  });
});
