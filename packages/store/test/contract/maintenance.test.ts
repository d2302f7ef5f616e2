// Maintenance and Cluster contract: what a single member reports about itself.
import { describe, expect, it } from 'vitest';
import { availableTargets } from '../harness.ts';
import { uniquePrefix } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';

describe.each(availableTargets())('Maintenance against %s', (target) => {
  const store = useMember(target);

  it('reports status: version 3.x, a database, and itself as leader', async () => {
    const status = await store.client.status();
    expect(status.version).toMatch(/^3\./);
    expect(Number(status.dbSize)).toBeGreaterThan(0);
    expect(status.leader).toBe(status.header.member_id);
    expect(status.leader).not.toBe('0');
    expect(Number(status.raftIndex)).toBeGreaterThan(0);
    expect(Number(status.raftTerm)).toBeGreaterThanOrEqual(1);
    expect(status.errors).toEqual([]);
    expect(status.isLearner).toBe(false);
  });

  it('advances the raft index with writes', async () => {
    const before = Number((await store.client.status()).raftIndex);
    await store.client.put({ key: `${uniquePrefix('raft')}k`, value: 'v' });
    expect(Number((await store.client.status()).raftIndex)).toBeGreaterThan(before);
  });

  it('lists itself as the only member, with its name and URLs', async () => {
    const { members, header } = await store.client.memberList();
    const { member } = store;
    expect(members).toEqual([
      {
        ID: header.member_id,
        name: 'default',
        peerURLs: [`http://127.0.0.1:${member.peerPort}`],
        clientURLs: [member.endpoint],
        isLearner: false,
      },
    ]);
  });

  it('hashes the keyspace the same way twice at the same revision, and differently after a write', async () => {
    const key = `${uniquePrefix('hash')}k`;
    await store.client.put({ key, value: 'v' });
    const first = await store.client.hashKV();
    const second = await store.client.hashKV();
    expect(second.hash).toBe(first.hash);
    expect(second.header.revision).toBe(first.header.revision);
    const pinned = await store.client.hashKV(first.header.revision);
    await store.client.put({ key, value: 'w' });
    expect((await store.client.hashKV(first.header.revision)).hash).toBe(pinned.hash);
    expect((await store.client.hashKV()).hash).not.toBe(first.hash);
  });

  it('defragments and keeps serving the same data', async () => {
    const key = `${uniquePrefix('defrag')}k`;
    await store.client.put({ key, value: 'kept' });
    await store.client.defragment();
    expect((await store.client.range({ key })).count).toBe('1');
  });

  it('streams a non-empty snapshot', async () => {
    const snapshot = await store.client.snapshot();
    expect(snapshot.length).toBeGreaterThan(0);
  });

  it('has no alarms', async () => {
    // (etcd 3.4 leaves the header of alarm responses unset.)
    expect((await store.client.alarm({ action: 'GET' })).alarms).toEqual([]);
  });
});
