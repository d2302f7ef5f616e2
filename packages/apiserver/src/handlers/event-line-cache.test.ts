import { describe, expect, it } from 'vitest';
import { EventLineCache } from './event-line-cache.ts';

describe('EventLineCache', () => {
  it('encodes an event once per variant while it is the latest event', () => {
    const cache = new EventLineCache<{ n: number }, string>();
    const event = { n: 1 };
    let encoded = 0;
    const encode = (text: string) => () => {
      encoded++;
      return text;
    };
    expect(cache.line(event, 'v1 ADDED', encode('a'))).toBe('a');
    expect(cache.line(event, 'v1 ADDED', encode('not used'))).toBe('a');
    expect(cache.line(event, 'v1 DELETED', encode('d'))).toBe('d');
    expect(encoded).toBe(2);
  });

  it('encodes anew for the next event, even one that looks the same', () => {
    const cache = new EventLineCache<{ n: number }, string>();
    cache.line({ n: 1 }, 'v1 ADDED', () => 'first');
    expect(cache.line({ n: 1 }, 'v1 ADDED', () => 'second')).toBe('second');
  });
});
