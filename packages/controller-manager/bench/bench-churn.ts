// `npm run bench:churn [-- --quick] [-- --keep-logs]`: the controller-manager under churn — 100
// hollow nodes, 50 Deployments + 20 StatefulSets + 500 Jobs created together — timed to all
// ready/complete against the same pods created bare, with the controller-manager's CPU and
// memory. A full run rewrites its section of docs/benchmarks.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replaceBenchSection } from '../../scheduler/bench/benchmarks-doc.ts';
import { describeMachine } from '../../store/bench/machine.ts';
import { textTable } from '../../store/bench/tables.ts';
import { REPO_ROOT } from '../../store/test/support/binaries.ts';
import { FULL_SIZES, QUICK_SIZES } from './churn-manifests.ts';
import { anomalies, churnSection, cpuTable, kindsTable, resultsTable } from './churn-report.ts';
import { runChurn } from './churn-run.ts';

const USAGE = 'usage: npm run bench:churn -- [--quick] [--keep-logs]';
const DOC_PATH = path.join(REPO_ROOT, 'docs/benchmarks.md');

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--quick' && a !== '--keep-logs');
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown[0]}\n${USAGE}`);
  process.exit(2);
}
const quick = args.includes('--quick');
const sizes = quick ? QUICK_SIZES : FULL_SIZES;
const machine = describeMachine();
const loadAverage = os.loadavg()[0]!;
const date = new Date();
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-bench-churn-'));
console.log(`bench:churn on ${machine.cpus} CPUs, Node.js ${machine.nodeVersion}, load average ${loadAverage.toFixed(2)}${quick ? ' (quick)' : ''}; logs in ${directory}`);

let failed = false;
try {
  const results = await runChurn(sizes, directory, (line) => console.log(line));
  console.log(`\n${textTable(resultsTable(results))}\n\n${textTable(kindsTable(results))}\n\n${textTable(cpuTable(results))}\n`);
  for (const note of anomalies(results)) console.log(`anomaly: ${note}`);
  if (quick) console.log(`${path.relative(REPO_ROOT, DOC_PATH)} is written only by a full run.`);
  else {
    const existing = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
    fs.writeFileSync(DOC_PATH, replaceBenchSection(existing, churnSection({ date, machine, loadAverage, sizes, results })));
    console.log(`wrote the churn section of ${path.relative(REPO_ROOT, DOC_PATH)}`);
  }
} catch (err) {
  failed = true;
  console.error(`bench:churn failed: ${(err as Error).message}\n(the components' logs are in ${directory})`);
}
if (!failed && !args.includes('--keep-logs')) fs.rmSync(directory, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
