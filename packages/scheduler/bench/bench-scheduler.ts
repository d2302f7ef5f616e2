// `npm run bench:scheduler [-- --quick] [-- --profile] [-- --only throughput|density]`:
// kube-scheduler's throughput on a multi-process cluster of hollow nodes (10,000 pods at 1,000
// and at 5,000 nodes), against the apiserver's own pod create rate measured in the same run,
// and pod startup latency at 30 pods per node on 100 nodes. Prints the results and PASS/MISS
// per target; a full run rewrites the scheduler section of docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeProfile, topFunctionsTable } from '../../apiserver/bench/profile-report.ts';
import { describeMachine } from '../../store/bench/machine.ts';
import { textTable } from '../../store/bench/tables.ts';
import { REPO_ROOT } from '../../store/test/support/binaries.ts';
import { replaceBenchSection, schedulerSection } from './benchmarks-doc.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { anomalies, cpuTable, densityTable, nodesLabel, targetsTable, throughputTable } from './report.ts';
import { runSchedulerBench } from './run.ts';

const DOC_PATH = path.join(REPO_ROOT, 'docs/benchmarks.md');
const CONSOLE_TOP = 12;

const options = ((): BenchOptions => {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
})();
const date = new Date();
const loadAverage = os.loadavg()[0]!;
const machine = describeMachine();
console.log(`bench:scheduler on ${machine.cpus} CPUs, Node.js ${machine.nodeVersion}, load average ${loadAverage.toFixed(2)}${options.quick ? ' (quick)' : ''}, ${options.nodeSources.join(' and ')} nodes`);

const results = await runSchedulerBench({ ...options, log: (line) => console.log(line) });

const tables = [targetsTable(results), ...(results.throughput.length > 0 ? [throughputTable(results)] : []), ...(results.density ? [densityTable(results.density)] : []), cpuTable(results)];
console.log(tables.map((table) => `\n${textTable(table)}\n`).join(''));
for (const note of anomalies(results)) console.log(`anomaly: ${note}`);
for (const run of results.throughput) {
  for (const [process, summary] of run.profiles) {
    const profile = { phase: `scheduling at ${nodesLabel(run.nodeSource, run.nodes.asked)}`, summary };
    console.log(`\n${process}, ${profile.phase} (${describeProfile(profile)}):\n${textTable(topFunctionsTable(profile, CONSOLE_TOP))}`);
  }
}

const complete = !options.quick && options.throughput && options.density && options.nodeSources.length === 2;
if (!complete) {
  console.log(`\n${path.relative(REPO_ROOT, DOC_PATH)} is written only by a full run of every part, on both hollow nodes and Node objects.`);
} else {
  const section = schedulerSection({ date, machine, loadAverage, sizes: options.sizes, results });
  const existing = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
  fs.writeFileSync(DOC_PATH, replaceBenchSection(existing, section));
  console.log(`\nwrote the scheduler section of ${path.relative(REPO_ROOT, DOC_PATH)}`);
}
