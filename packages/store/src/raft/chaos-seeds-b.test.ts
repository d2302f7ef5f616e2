import { describe, it } from 'vitest';
import { chaosRunSeeds } from './chaos-run.ts';

// Seeds 1001–2000 of the chaos simulation (chaos-run.ts), 100 per test so progress shows;
// chaos-seeds-a.test.ts runs 1–1000 in another worker.
describe('Raft safety under random schedules, seeds 1001–2000', () => {
  for (let from = 1001; from <= 2000; from += 100) {
    it(`seeds ${from}–${from + 99}: no safety violation, then convergence`, () => chaosRunSeeds(from, from + 99));
  }
});
