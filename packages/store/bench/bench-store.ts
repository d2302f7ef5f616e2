// `npm run bench:store [-- --quick] [-- --targets etcd,k8ts]`: the same load against real
// etcd and `k8ts store`, both running for the whole bench; prints the comparison and, after
// a full run of both targets, rewrites docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMember, type Member } from '../test/harness.ts';
import { REPO_ROOT } from '../test/support/binaries.ts';
import { benchmarksDoc } from './benchmarks-doc.ts';
import { anomalies, generatorTable, resultsTable, targetsTable, type Results } from './comparison.ts';
import { describeMachine } from './machine.ts';
import { parseOptions } from './options.ts';
import { measureAlternately } from './phases.ts';
import { FULL_SIZES, QUICK_SIZES } from './sizes.ts';
import { textTable } from './tables.ts';

const DOC_PATH = path.join(REPO_ROOT, 'docs/benchmarks.md');

const options = parseOptions(process.argv.slice(2));
const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
const date = new Date();
const loadAtStart = os.loadavg()[0];
const machine = describeMachine();
console.log(`${machine.cpus} CPUs, Node.js ${machine.nodeVersion}, etcd ${machine.etcdVersion}, load average ${loadAtStart.toFixed(2)}${options.quick ? ' (quick)' : ''}`);

const members: Member[] = [];
const cleanup = async () => {
  for (const member of members.splice(0)) await member.cleanup();
};
// Interrupted: stop the stores and remove their data directories before exiting.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}
try {
  for (const target of options.targets) members.push(await startMember(target));
  const endpoints = new Map(members.map((member) => [member.target, member.endpoint]));
  report(await measureAlternately(endpoints, sizes, (line) => console.log(line)));
} finally {
  await cleanup();
}

function report(results: Results): void {
  console.log(`\n${textTable(resultsTable(results))}\n\n${textTable(generatorTable(results))}\n`);
  for (const note of anomalies(results)) console.log(`anomaly: ${note}`);
  const etcd = results.get('etcd');
  const k8ts = results.get('k8ts');
  if (etcd && k8ts) console.log(`\n${textTable(targetsTable(etcd, k8ts))}\n`);
  if (!etcd || !k8ts || options.quick) {
    console.log(`${path.relative(REPO_ROOT, DOC_PATH)} is written only by a full run of both targets.`);
    return;
  }
  fs.writeFileSync(DOC_PATH, benchmarksDoc({ date, machine, loadAverage: loadAtStart, sizes, results, etcd, k8ts }));
  console.log(`wrote ${path.relative(REPO_ROOT, DOC_PATH)}`);
}
