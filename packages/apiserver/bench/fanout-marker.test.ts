import { describe, expect, it } from 'vitest';
import { fanoutIndex, fanoutName, watchStreamScanner } from './fanout-marker.ts';

const event = (name: string) => `${JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata: { name, namespace: 'bench-watch' }, spec: { containers: [{ name: 'web' }] } } })}\n`;

function scanAll(chunks: string[]): number[] {
  const seen: number[] = [];
  const scan = watchStreamScanner((index) => seen.push(index));
  for (const chunk of chunks) scan(Buffer.from(chunk));
  return seen;
}

describe('fan-out names', () => {
  it('round-trips a write number through the name and a store key', () => {
    expect(fanoutName(42)).toBe('fanout-00000042');
    expect(fanoutIndex(`/bench-direct/fanout/${fanoutName(42)}`)).toBe(42);
    expect(fanoutIndex('/registry/pods/bench-0/web-7d4b9c8f6-00001')).toBeUndefined();
  });
});

describe('watchStreamScanner', () => {
  it('reports every event of a chunk, in order', () => {
    expect(scanAll([event(fanoutName(1)) + event(fanoutName(2))])).toEqual([1, 2]);
  });

  it('reports an event split over chunks once, when its line is complete', () => {
    const text = event(fanoutName(7)) + event(fanoutName(8));
    const seen: number[] = [];
    const scan = watchStreamScanner((index) => seen.push(index));
    // Split inside the name of the first event and inside the second line.
    const cut1 = text.indexOf('fanout-') + 9;
    const cut2 = text.length - 5;
    scan(Buffer.from(text.slice(0, cut1)));
    expect(seen).toEqual([]);
    scan(Buffer.from(text.slice(cut1, cut2)));
    expect(seen).toEqual([7]);
    scan(Buffer.from(text.slice(cut2)));
    expect(seen).toEqual([7, 8]);
  });

  it('ignores events about other objects', () => {
    expect(scanAll([event('web-7d4b9c8f6-00001') + event(fanoutName(3)) + event('other')])).toEqual([3]);
  });
});
