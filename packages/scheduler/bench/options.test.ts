import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.ts';
import { FULL_SIZES, QUICK_SIZES } from './sizes.ts';

describe('bench:scheduler options', () => {
  it('runs everything at the issue sizes by default', () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({ quick: false, profile: false, throughput: true, density: true, keepLogs: false });
    expect(options.nodeSources).toEqual(['hollow', 'objects']);
    expect(options.sizes).toEqual(FULL_SIZES);
  });

  it('--quick takes the smoke sizes, wherever it stands', () => {
    expect(parseOptions(['--profile', '--quick']).sizes).toEqual(QUICK_SIZES);
  });

  it('takes sizes and one part with or without "="', () => {
    const options = parseOptions(['--only=throughput', '--nodes', '100,200', '--pods=300']);
    expect(options).toMatchObject({ throughput: true, density: false });
    expect(options.sizes).toMatchObject({ throughputNodes: [100, 200], throughputPods: 300 });
    expect(parseOptions(['--density-per-second', '0']).sizes.densityPerSecond).toBe(0);
    expect(parseOptions(['--node-source', 'objects']).nodeSources).toEqual(['objects']);
    expect(parseOptions(['--keep-logs']).keepLogs).toBe(true);
  });

  it('refuses what it does not know, with the usage', () => {
    expect(() => parseOptions(['--nodes', '1k'])).toThrow(/--nodes: "1k" must be a whole number/);
    expect(() => parseOptions(['--only', 'all'])).toThrow(/--only takes throughput or density/);
    expect(() => parseOptions(['--node-source=kwok'])).toThrow(/--node-source takes hollow or objects/);
    expect(() => parseOptions(['--pods'])).toThrow(/--pods needs a value/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown argument --fast\nusage: npm run bench:scheduler/);
  });
});
