import { describe, expect, it } from 'vitest';
import { node } from './node-fixtures.ts';
import type { NodeCondition } from './node-types.ts';
import { computeZoneState, zoneEvictionQps, zoneKey } from './zones.ts';

const ready = (status: NodeCondition['status']): NodeCondition => ({ type: 'Ready', status });
const OPTIONS = { evictionQps: 0.1, secondaryEvictionQps: 0.01, largeClusterThreshold: 50, unhealthyZoneThreshold: 0.55 };

describe('zones', () => {
  it('keys nodes by region and zone, preferring the deprecated beta labels', () => {
    expect(zoneKey(node('a'))).toBe('');
    expect(zoneKey(node('b', { labels: { 'topology.kubernetes.io/region': 'r1', 'topology.kubernetes.io/zone': 'z1' } }))).toBe('r1:\x00:z1');
    expect(zoneKey(node('c', { labels: { 'topology.kubernetes.io/zone': 'z1', 'failure-domain.beta.kubernetes.io/zone': 'old' } }))).toBe(':\x00:old');
  });

  it('judges a zone Normal, PartialDisruption (more than two and at least 55% down) or FullDisruption', () => {
    expect(computeZoneState([ready('True'), ready('Unknown')], 0.55).state).toBe('Normal');
    expect(computeZoneState([ready('False'), ready('Unknown'), undefined], 0.55).state).toBe('FullDisruption');
    expect(computeZoneState([ready('True'), ready('Unknown'), ready('Unknown'), ready('False')], 0.55)).toEqual({ notReady: 3, state: 'PartialDisruption' });
    expect(computeZoneState([ready('True'), ready('True'), ready('True'), ready('Unknown'), ready('Unknown'), ready('Unknown')], 0.55).state).toBe('Normal');
  });

  it('slows tainting in a partly disrupted zone only for large clusters, and stops it in small ones', () => {
    expect(zoneEvictionQps('Normal', 10, OPTIONS)).toBe(0.1);
    expect(zoneEvictionQps('PartialDisruption', 10, OPTIONS)).toBe(0);
    expect(zoneEvictionQps('PartialDisruption', 51, OPTIONS)).toBe(0.01);
    expect(zoneEvictionQps('FullDisruption', 10, OPTIONS)).toBe(0.1);
  });
});
