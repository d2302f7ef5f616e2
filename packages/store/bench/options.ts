// Command-line options of `npm run bench:store`.
import type { Target } from '../test/harness.ts';

export interface BenchOptions {
  /** Smaller operation counts: a smoke run, whose numbers are not written to docs/. */
  quick: boolean;
  /** The stores to measure, in the order given. */
  targets: Target[];
  /** Members per store: 1 (one member each) or 3 (3-member clusters, with the failover phase). */
  members: ClusterSize;
}

/** The store layouts the bench measures and documents. */
export const CLUSTER_SIZES = [1, 3] as const;
export type ClusterSize = (typeof CLUSTER_SIZES)[number];

const USAGE = 'usage: npm run bench:store -- [--quick] [--targets etcd,k8ts] [--members 1|3]';
const ALL_TARGETS: readonly Target[] = ['etcd', 'k8ts'];

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { quick: false, targets: [...ALL_TARGETS], members: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--targets') options.targets = parseTargets(argv[++i]);
    else if (arg.startsWith('--targets=')) options.targets = parseTargets(arg.slice('--targets='.length));
    else if (arg === '--members') options.members = parseMembers(argv[++i]);
    else if (arg.startsWith('--members=')) options.members = parseMembers(arg.slice('--members='.length));
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

function parseTargets(list: string | undefined): Target[] {
  const names = (list ?? '').split(',').filter(Boolean);
  const unknown = names.filter((name) => !ALL_TARGETS.includes(name as Target));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--targets takes a comma-separated list of ${ALL_TARGETS.join(', ')}\n${USAGE}`);
  }
  return [...new Set(names as Target[])];
}

function parseMembers(value: string | undefined): ClusterSize {
  const size = CLUSTER_SIZES.find((candidate) => String(candidate) === value);
  if (size === undefined) throw new Error(`--members takes ${CLUSTER_SIZES.join(' or ')}, got ${value ?? 'nothing'}\n${USAGE}`);
  return size;
}
