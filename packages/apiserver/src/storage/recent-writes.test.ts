import { describe, expect, it } from 'vitest';
import { RecentWrites } from './recent-writes.ts';
import { StoredValue } from './stored-value.ts';

const pod = (revision: number) =>
  new StoredValue(Buffer.from('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}'), revision, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'a', resourceVersion: String(revision) },
  });

describe('RecentWrites', () => {
  it('hands back the written value for the event of that write, once', () => {
    const writes = new RecentWrites();
    const written = pod(7);
    writes.remember('/registry/pods/default/a', written);
    expect(writes.take('/registry/pods/default/a', 7)).toBe(written);
    expect(writes.take('/registry/pods/default/a', 7)).toBeUndefined();
  });

  it('gives nothing for an event of another revision, and forgets the key', () => {
    const writes = new RecentWrites();
    writes.remember('/registry/pods/default/a', pod(7));
    expect(writes.take('/registry/pods/default/a', 6)).toBeUndefined();
    expect(writes.take('/registry/pods/default/a', 7)).toBeUndefined();
    expect(writes.take('/registry/pods/default/b', 7)).toBeUndefined();
  });
});
