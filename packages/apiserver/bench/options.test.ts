import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.ts';

describe('parseOptions', () => {
  it('runs a full, unprofiled bench on both backends by default', () => {
    expect(parseOptions([])).toEqual({ quick: false, profile: false, backends: ['etcd', 'k8ts'] });
  });

  it('takes --quick, --profile and a backend list in either form', () => {
    expect(parseOptions(['--quick', '--profile', '--backends', 'k8ts'])).toEqual({ quick: true, profile: true, backends: ['k8ts'] });
    expect(parseOptions(['--backends=k8ts,etcd,k8ts']).backends).toEqual(['k8ts', 'etcd']);
  });

  it('refuses unknown arguments and backends with the usage', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/unknown argument --fast\nusage: npm run bench:apiserver/);
    expect(() => parseOptions(['--backends', 'mysql'])).toThrow(/--backends takes a comma-separated list of etcd, k8ts/);
    expect(() => parseOptions(['--backends'])).toThrow(/--backends takes/);
  });
});
