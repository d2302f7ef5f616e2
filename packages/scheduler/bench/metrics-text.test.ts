import { describe, expect, it } from 'vitest';
import { counterGrowth, samplesOf, sumByLabel } from './metrics-text.ts';

const SCRAPE = `# HELP scheduler_schedule_attempts_total [STABLE] Number of attempts to schedule pods, by the result.
# TYPE scheduler_schedule_attempts_total counter
scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} 9990
scheduler_schedule_attempts_total{profile="default-scheduler",result="unschedulable"} 12
scheduler_schedule_attempts_total{profile="other",result="scheduled"} 10
scheduler_schedule_attempts_total_extra{result="scheduled"} 5
scheduler_pending_pods{queue="active"} 3
scheduler_scheduling_attempt_duration_seconds_sum{profile="default-scheduler",result="scheduled"} 12.5
`;

describe('scheduler /metrics text', () => {
  it('finds the samples of exactly the metric named, with their labels', () => {
    expect(samplesOf(SCRAPE, 'scheduler_pending_pods')).toEqual([{ labels: { queue: 'active' }, value: 3 }]);
    expect(samplesOf(SCRAPE, 'scheduler_schedule_attempts_total')).toHaveLength(3);
    expect(samplesOf('odd{l="a \\"quoted\\" value"} 1e3', 'odd')).toEqual([{ labels: { l: 'a "quoted" value' }, value: 1000 }]);
  });

  it('adds samples up by one label and subtracts an earlier scrape', () => {
    const after = sumByLabel(SCRAPE, 'scheduler_schedule_attempts_total', 'result');
    expect(after).toEqual(new Map([['scheduled', 10_000], ['unschedulable', 12]]));
    expect(counterGrowth(new Map([['scheduled', 400]]), after)).toEqual(new Map([['scheduled', 9_600], ['unschedulable', 12]]));
  });
});
