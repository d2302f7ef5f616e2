// `npm run bench:store [-- --quick] [-- --targets etcd,k8ts] [-- --members 1|3]`: the same load
// against real etcd and `k8ts store`, one member each or 3-member clusters, both running for
// the whole bench; prints the comparison and, after a full run of both targets, rewrites that
// layout's subsection of the store section of docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type Cluster } from '../test/cluster-harness.ts';
import { startMember, type Member, type Target } from '../test/harness.ts';
import { REPO_ROOT } from '../test/support/binaries.ts';
import { clusterAnomalies, clusterGeneratorTable, clusterResultsTable, clusterTargetsTable, failoverTable } from './cluster-comparison.ts';
import { clusterSection } from './cluster-doc.ts';
import { measureClusters } from './cluster-phases.ts';
import { anomalies, generatorTable, resultsTable, targetsTable } from './comparison.ts';
import { replaceStoreSubsection } from './doc-sections.ts';
import { describeMachine } from './machine.ts';
import { oneMemberSection } from './one-member-doc.ts';
import { parseOptions } from './options.ts';
import { measureAlternately } from './phases.ts';
import { FULL_SIZES, QUICK_SIZES } from './sizes.ts';
import { textTable } from './tables.ts';

const DOC_PATH = path.join(REPO_ROOT, 'docs/benchmarks.md');
/** etcd's defaults, given explicitly so both targets surely run with them. */
const DEFAULT_TIMING_FLAGS = ['--heartbeat-interval', '100', '--election-timeout', '1000'];

const options = parseOptions(process.argv.slice(2));
const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
const date = new Date();
const loadAtStart = os.loadavg()[0];
const machine = describeMachine();
const layout = options.members === 1 ? 'one member each' : `${options.members}-member clusters`;
console.log(`${machine.cpus} CPUs, Node.js ${machine.nodeVersion}, etcd ${machine.etcdVersion}, load average ${loadAtStart.toFixed(2)}, ${layout}${options.quick ? ' (quick)' : ''}`);

const members: Member[] = [];
const clusters = new Map<Target, Cluster>();
const cleanup = async () => {
  for (const member of members.splice(0)) await member.cleanup();
  for (const cluster of clusters.values()) await cluster.cleanup();
  clusters.clear();
};
// Interrupted: stop the stores and remove their data directories before exiting.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}
try {
  if (options.members === 1) await benchOneMember();
  else await benchClusters();
} finally {
  await cleanup();
}

async function benchOneMember(): Promise<void> {
  for (const target of options.targets) members.push(await startMember(target));
  const endpoints = new Map(members.map((member) => [member.target, [member.endpoint]]));
  const results = await measureAlternately(endpoints, sizes, (line) => console.log(line));

  console.log(`\n${textTable(resultsTable(results))}\n\n${textTable(generatorTable(results))}\n`);
  for (const note of anomalies(results)) console.log(`anomaly: ${note}`);
  const etcd = results.get('etcd');
  const k8ts = results.get('k8ts');
  if (etcd && k8ts) console.log(`\n${textTable(targetsTable(etcd, k8ts))}\n`);
  if (!etcd || !k8ts || options.quick) return notWritten();
  writeSubsection(oneMemberSection({ date, machine, loadAverage: loadAtStart, sizes, results, etcd, k8ts }));
}

async function benchClusters(): Promise<void> {
  for (const target of options.targets) {
    clusters.set(target, await startCluster(target, { size: options.members, extraFlags: DEFAULT_TIMING_FLAGS }));
  }
  const results = await measureClusters(clusters, sizes, (line) => console.log(line));
  const loadAtEnd = os.loadavg()[0];

  console.log(`\n${textTable(clusterResultsTable(results))}\n\n${textTable(failoverTable(results))}\n\n${textTable(clusterGeneratorTable(results))}\n`);
  for (const note of clusterAnomalies(results)) console.log(`anomaly: ${note}`);
  const etcd = results.get('etcd');
  const k8ts = results.get('k8ts');
  if (etcd && k8ts) console.log(`\n${textTable(clusterTargetsTable(etcd, k8ts))}\n`);
  console.log(`load average ${loadAtEnd.toFixed(2)} at the end`);
  if (!etcd || !k8ts || options.quick) return notWritten();
  writeSubsection(
    clusterSection({
      date,
      machine,
      loadAverage: { before: loadAtStart, after: loadAtEnd },
      members: options.members,
      timingFlags: DEFAULT_TIMING_FLAGS,
      sizes,
      results,
      etcd,
      k8ts,
    }),
  );
}

function notWritten(): void {
  console.log(`${path.relative(REPO_ROOT, DOC_PATH)} is written only by a full run of both targets.`);
}

function writeSubsection(subsection: string): void {
  const existing = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
  fs.writeFileSync(DOC_PATH, replaceStoreSubsection(existing, subsection));
  console.log(`wrote the ${subsection.split('\n', 1)[0].slice(3).toLowerCase()} subsection of ${path.relative(REPO_ROOT, DOC_PATH)}`);
}
