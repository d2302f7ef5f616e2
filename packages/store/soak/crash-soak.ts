// `npm run soak:store`: the crash cycle of test/crash.test.ts, many times over, on one data dir.
//
//   node --import tsx packages/store/soak/crash-soak.ts [--cycles 200] [--seed N] [--writers 8]
//        [--snapshot-count 500] [--full-history-every 10] [--keep-data-dir]
//
// Prints one line per cycle and a summary; exits 1 if any check failed (the data dir is then kept
// for inspection), 0 otherwise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startMember, type Member } from '../test/harness.ts';
import { CrashCycleRunner } from '../test/support/crash-cycle.ts';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '200' },
    seed: { type: 'string' },
    writers: { type: 'string', default: '8' },
    'snapshot-count': { type: 'string', default: '500' },
    'full-history-every': { type: 'string', default: '10' },
    'keep-data-dir': { type: 'boolean', default: false },
  },
  strict: true,
});

function positiveInt(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`crash-soak: --${name} must be a positive integer, got "${text}"`);
    process.exit(2);
  }
  return n;
}

const cycles = positiveInt('cycles', values.cycles);
const writers = positiveInt('writers', values.writers);
const snapshotCount = positiveInt('snapshot-count', values['snapshot-count']);
const fullHistoryEvery = positiveInt('full-history-every', values['full-history-every']);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(values.seed) >>> 0;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-crash-soak-'));
let member: Member | undefined;
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  console.log('crash-soak: interrupted, stopping after this cycle');
});

async function main(): Promise<number> {
  console.log(`crash-soak: ${cycles} cycles, seed ${seed}, ${writers} writers, --snapshot-count ${snapshotCount}, data dir ${dataDir}`);
  const started = Date.now();
  const violations: string[] = [];
  member = await startMember('k8ts', { dataDir, extraFlags: ['--snapshot-count', String(snapshotCount)] });
  const runner = await CrashCycleRunner.create(member, { seed, writers, fullHistoryEvery });
  for (let i = 1; i <= cycles && !interrupted; i++) {
    const cycleStart = Date.now();
    const result = await runner.runCycle();
    violations.push(...result.violations);
    console.log(
      `cycle ${String(i).padStart(String(cycles).length)}/${cycles}: killed after ${result.killDelayMs} ms, ` +
      `${result.acknowledged} acknowledged, ${result.inDoubtApplied}/${result.inDoubt} in-doubt applied, ` +
      `revision ${result.revision}${result.fullHistory ? ' (full history checked)' : ''}, ` +
      `${result.violations.length} violation(s), ${((Date.now() - cycleStart) / 1000).toFixed(1)} s ` +
      `(restart ${(result.restartMs / 1000).toFixed(1)} s, checks ${(result.verifyMs / 1000).toFixed(1)} s)`,
    );
    for (const violation of result.violations.slice(0, 20)) console.log(`  VIOLATION ${violation}`);
    if (result.revision < 0) break; // the member did not come back: nothing more to learn
  }
  if (violations.length === 0 || member.pid !== undefined) {
    const final = await runner.checkFullHistory().catch((error: Error) => [`final history check failed: ${error.message}`]);
    violations.push(...final);
    for (const violation of final.slice(0, 20)) console.log(`  VIOLATION (final history) ${violation}`);
  }
  const { totals } = runner;
  console.log(
    `crash-soak summary: ${totals.cycles} cycles, ${totals.acknowledged} acknowledged writes checked, ` +
    `${totals.inDoubtApplied}/${totals.inDoubt} in-doubt writes applied, final revision ${runner.verifiedRevision}, ` +
    `${violations.length} violation(s), seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (violations.length > 0) {
    console.log(`member stderr (tail):\n${member.stderrTail()}`);
    return 1;
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`crash-soak: ${(error as Error).stack ?? String(error)}`);
  if (member) console.error(`member stderr (tail):\n${member.stderrTail()}`);
} finally {
  await member?.stop();
  if (code === 0 && !values['keep-data-dir']) fs.rmSync(dataDir, { recursive: true, force: true });
  else console.log(`crash-soak: data dir kept at ${dataDir}`);
}
process.exit(code);
