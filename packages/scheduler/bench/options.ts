// Command-line options of `npm run bench:scheduler`.
import type { NodeSource } from './bench-cluster.ts';
import { FULL_SIZES, QUICK_SIZES, type SchedulerBenchSizes } from './sizes.ts';

export interface BenchOptions {
  /** Smaller sizes: a smoke run, whose figures are not written to docs/. */
  quick: boolean;
  /** Run the apiserver and the scheduler under node --cpu-prof and report where their CPU went. */
  profile: boolean;
  /** Skip the density run (throughput only) or the throughput runs (density only). */
  throughput: boolean;
  density: boolean;
  /**
   * What the throughput runs schedule onto, in order: hollow nodes (the benchmark: kubelets
   * run every pod) and bare Node objects (the scheduler alone, as scheduler_perf measures it).
   */
  nodeSources: NodeSource[];
  sizes: SchedulerBenchSizes;
  /** Keep each cluster's logs (and profiles) instead of removing them at the end. */
  keepLogs: boolean;
}

export const USAGE =
  'usage: npm run bench:scheduler -- [--quick] [--profile] [--only throughput|density] [--node-source hollow|objects] [--nodes 1000,5000] [--pods 10000] [--density-per-second 50] [--keep-logs]';

export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = { quick, profile: false, throughput: true, density: true, nodeSources: ['hollow', 'objects'], keepLogs: false, sizes: { ...(quick ? QUICK_SIZES : FULL_SIZES) } };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]!);
    const value = (): string => {
      const text = inline ?? argv[++i];
      if (text === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return text;
    };
    if (flag === '--quick') continue;
    else if (flag === '--profile') options.profile = true;
    else if (flag === '--keep-logs') options.keepLogs = true;
    else if (flag === '--only') {
      const which = value();
      if (which !== 'throughput' && which !== 'density') throw new Error(`--only takes throughput or density, not ${JSON.stringify(which)}\n${USAGE}`);
      options.throughput = which === 'throughput';
      options.density = which === 'density';
    } else if (flag === '--node-source') {
      const source = value();
      if (source !== 'hollow' && source !== 'objects') throw new Error(`--node-source takes hollow or objects, not ${JSON.stringify(source)}\n${USAGE}`);
      options.nodeSources = [source];
    } else if (flag === '--nodes') options.sizes.throughputNodes = value().split(',').map((n) => count('--nodes', n));
    else if (flag === '--pods') options.sizes.throughputPods = count('--pods', value());
    else if (flag === '--density-per-second') options.sizes.densityPerSecond = count('--density-per-second', value(), 0);
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  return options;
}

function splitFlag(arg: string): [string, string | undefined] {
  const equals = arg.indexOf('=');
  return equals < 0 ? [arg, undefined] : [arg.slice(0, equals), arg.slice(equals + 1)];
}

function count(flag: string, text: string, min = 1): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) throw new Error(`${flag}: ${JSON.stringify(text)} must be a whole number of at least ${min}\n${USAGE}`);
  return n;
}
