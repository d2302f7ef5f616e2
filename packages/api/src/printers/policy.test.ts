import { describe, expect, it } from 'vitest';
import { DAY, ago, describeColumns, printRow } from './testing.ts';

describe('pod disruption budget printer', () => {
  it('prints the budget as numbers or percentages, N/A for the unset side', () => {
    expect(describeColumns('policy', 'poddisruptionbudgets')).toEqual([
      'Name [name]',
      'Min Available',
      'Max Unavailable',
      'Allowed Disruptions:integer',
      'Age',
    ]);
    const byCount = printRow('policy', 'poddisruptionbudgets', {
      metadata: { name: 'web', creationTimestamp: ago(DAY) },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
    });
    expect(byCount).toEqual({ Name: 'web', 'Min Available': '2', 'Max Unavailable': 'N/A', 'Allowed Disruptions': 1, Age: '24h' });
    const byPercent = printRow('policy', 'poddisruptionbudgets', { metadata: { name: 'db' }, spec: { maxUnavailable: '25%' } });
    expect(byPercent).toMatchObject({ 'Min Available': 'N/A', 'Max Unavailable': '25%', 'Allowed Disruptions': 0 });
  });
});
