import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.ts';

describe('parseOptions', () => {
  it('defaults to a full one-member run of both targets', () => {
    expect(parseOptions([])).toEqual({ quick: false, targets: ['etcd', 'k8ts'], members: 1 });
  });

  it('takes --members 3 in either spelling, with the other flags', () => {
    expect(parseOptions(['--members', '3', '--quick'])).toEqual({ quick: true, targets: ['etcd', 'k8ts'], members: 3 });
    expect(parseOptions(['--targets=k8ts', '--members=3'])).toEqual({ quick: false, targets: ['k8ts'], members: 3 });
  });

  it('refuses a layout the bench does not measure, saying which it does', () => {
    expect(() => parseOptions(['--members', '5'])).toThrow('--members takes 1 or 3, got 5');
    expect(() => parseOptions(['--members'])).toThrow('--members takes 1 or 3, got nothing');
  });

  it('refuses unknown arguments and targets with the usage line', () => {
    expect(() => parseOptions(['--member', '3'])).toThrow(/unknown argument --member\nusage: .*--members 1\|3/);
    expect(() => parseOptions(['--targets', 'zookeeper'])).toThrow(/--targets takes a comma-separated list of etcd, k8ts/);
  });
});
