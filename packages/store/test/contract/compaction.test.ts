// Compaction contract: history below the compacted revision is gone, with etcd's errors.
import { describe, expect, it } from 'vitest';
import { availableTargets } from '../harness.ts';
import { expectGrpcError, status } from '../support/grpc-errors.ts';
import { revisionOf, uniquePrefix, valuesOf } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';

const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
const FUTURE = 'etcdserver: mvcc: required revision is a future revision';

describe.each(availableTargets())('Compaction against %s', (target) => {
  const store = useMember(target);

  it('keeps reads at and after the compacted revision and refuses reads before it', async () => {
    const key = `${uniquePrefix('compact')}k`;
    const r1 = revisionOf(await store.client.put({ key, value: 'v1' }));
    const r2 = revisionOf(await store.client.put({ key, value: 'v2' }));
    const r3 = revisionOf(await store.client.put({ key, value: 'v3' }));

    const compacted = await store.client.compact({ revision: r2 });
    expect(revisionOf(compacted)).toBe(r3);

    await expectGrpcError(store.client.range({ key, revision: r1 }), status.OUT_OF_RANGE, COMPACTED);
    // The compacted revision itself stays readable.
    expect(valuesOf(await store.client.range({ key, revision: r2 }))).toEqual(['v2']);
    expect(valuesOf(await store.client.range({ key, revision: r3 }))).toEqual(['v3']);
    expect(valuesOf(await store.client.range({ key }))).toEqual(['v3']);
  });

  it('refuses to compact at or below the last compaction', async () => {
    const key = `${uniquePrefix('compact-twice')}k`;
    await store.client.put({ key, value: 'a' });
    const rev = revisionOf(await store.client.put({ key, value: 'b' }));
    await store.client.compact({ revision: rev });
    await expectGrpcError(store.client.compact({ revision: rev }), status.OUT_OF_RANGE, COMPACTED);
    await expectGrpcError(store.client.compact({ revision: rev - 1 }), status.OUT_OF_RANGE, COMPACTED);
  });

  it('refuses to read or compact a future revision', async () => {
    const current = revisionOf(await store.client.range({ key: 'any' }));
    await expectGrpcError(store.client.range({ key: 'any', revision: current + 1 }), status.OUT_OF_RANGE, FUTURE);
    await expectGrpcError(store.client.compact({ revision: current + 10 }), status.OUT_OF_RANGE, FUTURE);
  });

  it('keeps a compacted-away deleted key deleted', async () => {
    const key = `${uniquePrefix('compact-tombstone')}k`;
    await store.client.put({ key, value: 'v' });
    const deletedAt = revisionOf(await store.client.deleteRange({ key }));
    await store.client.compact({ revision: deletedAt });
    expect((await store.client.range({ key })).kvs).toEqual([]);
    expect((await store.client.range({ key, revision: deletedAt })).kvs).toEqual([]);
  });
});
