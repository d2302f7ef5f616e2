// `npm run bench:apiserver [-- --quick] [-- --profile] [-- --backends etcd,k8ts]`: the apiserver
// on each store backend, measured against the same operations sent to the store directly;
// prints the comparison and, after a full run of both backends, rewrites the apiserver
// section of docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Backend } from '../../../test/support/control-plane.ts';
import { describeMachine } from '../../store/bench/machine.ts';
import { textTable } from '../../store/bench/tables.ts';
import { REPO_ROOT } from '../../store/test/support/binaries.ts';
import { apiserverSection, replaceApiserverSection } from './benchmarks-doc.ts';
import { anomalies, generatorTable, resultsTable, serverCpuTable, targetsTable } from './comparison.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { describeProfile, topFunctionsTable, type PhaseProfile } from './profile-report.ts';
import { runBench } from './run.ts';
import { FULL_SIZES, QUICK_SIZES } from './sizes.ts';

const DOC_PATH = path.join(REPO_ROOT, 'docs/benchmarks.md');
/** Functions per phase on the console. */
const CONSOLE_TOP = 12;

const options = ((): BenchOptions => {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
})();
const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
const date = new Date();
const loadAverage = os.loadavg()[0]!;
const machine = describeMachine();
console.log(`${machine.cpus} CPUs, Node.js ${machine.nodeVersion}, etcd ${machine.etcdVersion}, load average ${loadAverage.toFixed(2)}${options.quick ? ' (quick)' : ''}`);

const profileDirectory = options.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-apiserver-profile-')) : undefined;
const { results, profiles } = await runBench({
  backends: options.backends,
  sizes,
  ...(profileDirectory ? { profileDirectory } : {}),
  log: (line) => console.log(line),
});

console.log(
  [targetsTable(results), resultsTable(results), serverCpuTable(results), generatorTable(results)].map((table) => `\n${textTable(table)}\n`).join(''),
);
const notes = anomalies(results, sizes.pods);
for (const note of notes) console.log(`anomaly: ${note}`);
if (profileDirectory) printProfiles(profiles, profileDirectory);

if (options.quick || options.backends.length < 2) {
  console.log(`${path.relative(REPO_ROOT, DOC_PATH)} is written only by a full run of both backends.`);
} else {
  const section = apiserverSection({ date, machine, loadAverage, sizes, results, profiles });
  const existing = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
  fs.writeFileSync(DOC_PATH, replaceApiserverSection(existing, section));
  console.log(`wrote the apiserver section of ${path.relative(REPO_ROOT, DOC_PATH)}`);
}

function printProfiles(byBackend: ReadonlyMap<Backend, PhaseProfile[]>, directory: string): void {
  console.log(`apiserver CPU profiles (node --cpu-prof) in ${directory}\n`);
  for (const [backend, phases] of byBackend) {
    for (const phase of phases) {
      console.log(`${phase.phase}, apiserver on ${backend} (${describeProfile(phase)}):\n${textTable(topFunctionsTable(phase, CONSOLE_TOP))}\n`);
    }
  }
}
