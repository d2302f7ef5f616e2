import { describe, expect, it } from 'vitest';
import { Backoff } from './failed-pods-backoff.ts';

describe('failed pod back-off', () => {
  it('doubles from 1 s up to 15 min per key', () => {
    const backoff = new Backoff();
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      backoff.next('ds/n1', now);
      delays.push(backoff.get('ds/n1'));
      now += backoff.get('ds/n1');
    }
    expect(delays.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(delays.at(-1)).toBe(900_000);
    expect(backoff.get('ds/n2')).toBe(0);
  });

  it('is in back-off until the delay has passed since the last attempt', () => {
    const backoff = new Backoff();
    backoff.next('k', 10_000);
    expect(backoff.isInBackOffSinceUpdate('k', 10_999)).toBe(true);
    expect(backoff.isInBackOffSinceUpdate('k', 11_000)).toBe(false);
    expect(backoff.isInBackOffSinceUpdate('other', 10_000)).toBe(false);
  });

  it('starts over, and is garbage collected, after twice the maximum without attempts', () => {
    const backoff = new Backoff(1000, 4000);
    backoff.next('k', 0);
    backoff.next('k', 1000);
    expect(backoff.get('k')).toBe(2000);
    backoff.next('k', 1000 + 8001);
    expect(backoff.get('k')).toBe(1000);
    backoff.gc(1000 + 8001 + 8001);
    expect(backoff.get('k')).toBe(0);
  });
});
