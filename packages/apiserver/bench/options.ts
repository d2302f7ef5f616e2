// Command-line options of `npm run bench:apiserver`.
import type { Backend } from '../../../test/support/control-plane.ts';

export interface BenchOptions {
  /** Smaller sizes: a smoke run, whose numbers are not written to docs/. */
  quick: boolean;
  /** The store backends to run the apiserver on, in the order given. */
  backends: Backend[];
  /** Run the apiservers under node --cpu-prof and report where each phase spent its CPU. */
  profile: boolean;
}

export const USAGE = 'usage: npm run bench:apiserver -- [--quick] [--profile] [--backends etcd,k8ts]';
const ALL_BACKENDS: readonly Backend[] = ['etcd', 'k8ts'];

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, backends: [...ALL_BACKENDS], profile: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--backends') options.backends = parseBackends(argv[++i]);
    else if (arg.startsWith('--backends=')) options.backends = parseBackends(arg.slice('--backends='.length));
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

function parseBackends(list: string | undefined): Backend[] {
  const names = (list ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !ALL_BACKENDS.includes(name as Backend));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--backends takes a comma-separated list of ${ALL_BACKENDS.join(', ')}\n${USAGE}`);
  }
  return [...new Set(names as Backend[])];
}
