import { describe, expect, it } from 'vitest';
import { parseApiserverFlags } from './apiserver.ts';

const BASE = ['--insecure-port', '0'];

describe('k8ts apiserver --watch-cache-sizes', () => {
  it('reads resource[.group]#size entries', () => {
    const config = parseApiserverFlags([...BASE, '--watch-cache-sizes', 'secrets#20,deployments.apps#500']);
    expect(config !== 'help' && config.watchCacheSizes).toEqual({ secrets: 20, 'deployments.apps': 500 });
  });

  it('leaves the default window alone without the flag', () => {
    const config = parseApiserverFlags(BASE);
    expect(config !== 'help' && config.watchCacheSizes).toBeUndefined();
  });

  it('refuses malformed entries and sizes below one', () => {
    for (const value of ['secrets', 'secrets#', 'secrets#0', 'Secrets#5', 'secrets#5,']) {
      expect(() => parseApiserverFlags([...BASE, '--watch-cache-sizes', value]), value).toThrow(/invalid --watch-cache-sizes entry/);
    }
  });
});
