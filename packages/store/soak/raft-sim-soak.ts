// `npm run soak:raft-sim`: the chaos simulation of the pure Raft core (src/raft/chaos-run.ts)
// over many more seeds than CI runs.
//
//   node --import tsx packages/store/soak/raft-sim-soak.ts [--seeds 100000] [--from 1]
//   node --import tsx packages/store/soak/raft-sim-soak.ts --seed N      (replay one seed)
//
// Prints progress every --every seeds (default 1,000) and stops at the first failing seed,
// printing it with the replay command; exits 1 then, 0 when every seed passed.
import { parseArgs } from 'node:util';
import { chaosRun } from '../src/raft/chaos-run.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '100000' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    every: { type: 'string', default: '1000' },
  },
  strict: true,
});

function positiveInt(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`raft-sim-soak: --${name} must be a positive integer, got "${text}"`);
    process.exit(2);
  }
  return n;
}

const single = values.seed !== undefined;
const from = positiveInt(single ? 'seed' : 'from', single ? values.seed : values.from);
const count = single ? 1 : positiveInt('seeds', values.seeds);
const every = positiveInt('every', values.every);
const to = from + count - 1;

const started = Date.now();
let proposals = 0;
let applied = 0;
for (let seed = from; seed <= to; seed++) {
  try {
    const summary = chaosRun(seed);
    proposals += summary.proposals;
    applied += summary.applied;
    if (single) console.log(`seed ${seed}: ${summary.size} nodes, ${summary.proposals} proposals, ${summary.applied} entries applied everywhere`);
  } catch (err) {
    console.error(`\nFAILED at seed ${seed}: ${(err as Error).stack ?? String(err)}`);
    console.error(`replay: node --import tsx packages/store/soak/raft-sim-soak.ts --seed ${seed}`);
    process.exit(1);
  }
  const done = seed - from + 1;
  if (!single && (done % every === 0 || seed === to)) {
    const seconds = (Date.now() - started) / 1000;
    const rate = done / seconds;
    const eta = Math.round((count - done) / rate);
    console.log(`${done}/${count} seeds ok (through ${seed}) — ${rate.toFixed(0)} seeds/s, ${proposals} proposals, ${applied} entries applied, ~${eta}s left`);
  }
}
console.log(`all ${count} seeds (${from}–${to}) passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
