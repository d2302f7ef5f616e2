import { describe, expect, it } from 'vitest';
import { humanDuration, since } from './duration.ts';
import { DAY, HOUR, MINUTE, NOW, SECOND, ago } from './testing.ts';

const YEAR = 365 * DAY;

describe('humanDuration', () => {
  it.each([
    [-2 * SECOND, '<invalid>'],
    [-1999, '0s'], // up to two seconds of clock skew reads as "now"
    [-1 * SECOND, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * SECOND, '59s'],
    [119 * SECOND, '119s'],
    [120 * SECOND, '2m'],
    [2 * MINUTE + 30 * SECOND, '2m30s'],
    [9 * MINUTE + 59 * SECOND, '9m59s'],
    [10 * MINUTE + 59 * SECOND, '10m'],
    [179 * MINUTE + 59 * SECOND, '179m'],
    [3 * HOUR, '3h'],
    [3 * HOUR + 5 * MINUTE, '3h5m'],
    [7 * HOUR + 59 * MINUTE, '7h59m'],
    [8 * HOUR + 59 * MINUTE, '8h'],
    [47 * HOUR + 59 * MINUTE, '47h'],
    [48 * HOUR, '2d'],
    [2 * DAY + 5 * HOUR, '2d5h'],
    [7 * DAY + 23 * HOUR, '7d23h'],
    [8 * DAY + 23 * HOUR, '8d'],
    [729 * DAY, '729d'],
    [2 * YEAR, '2y'],
    [2 * YEAR + 40 * DAY, '2y40d'],
    [7 * YEAR + 364 * DAY, '7y364d'],
    [8 * YEAR + 100 * DAY, '8y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('since', () => {
  it('measures from the injected clock', () => {
    expect(since(ago(5 * MINUTE + 30 * SECOND), NOW)).toBe('5m30s');
    expect(since('2024-05-01T11:59:59.250000Z', NOW)).toBe('0s');
  });

  it('says <unknown> for a missing or unreadable time', () => {
    expect(since(undefined, NOW)).toBe('<unknown>');
    expect(since(null, NOW)).toBe('<unknown>');
    expect(since('yesterday-ish', NOW)).toBe('<unknown>');
  });
});
