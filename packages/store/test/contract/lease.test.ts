// Lease contract: grant, attach, inspect, renew, revoke and expire.
import { describe, expect, it } from 'vitest';
import { prefixEnd, str } from '../../src/client/etcd-client.ts';
import { availableTargets } from '../harness.ts';
import { expectGrpcError, status } from '../support/grpc-errors.ts';
import { keysOf, revisionOf, uniquePrefix } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';
import { waitUntil } from '../support/wait-until.ts';
import { nextEvents } from '../support/watch-helpers.ts';

const LEASE_NOT_FOUND = 'etcdserver: requested lease not found';
const UNKNOWN_LEASE = '1234567';

describe.each(availableTargets())('Lease against %s', (target) => {
  const store = useMember(target);

  it('grants a lease with the requested TTL and a fresh ID', async () => {
    const granted = await store.client.leaseGrant({ TTL: 30 });
    expect(granted.TTL).toBe('30');
    expect(granted.error).toBe('');
    expect(BigInt(granted.ID)).toBeGreaterThan(0n);
    const other = await store.client.leaseGrant({ TTL: 30 });
    expect(other.ID).not.toBe(granted.ID);
  });

  it('raises TTLs below the minimum to 2 s (single member, default heartbeat and election)', async () => {
    // etcd 3.4: minTTL = ceil(1.5 * election timeout) = ceil(1.5 s) = 2; 0 and negatives too.
    for (const ttl of [1, 0, -5]) expect((await store.client.leaseGrant({ TTL: ttl })).TTL).toBe('2');
  });

  it('grants a client-chosen ID once, and refuses it while it exists', async () => {
    const granted = await store.client.leaseGrant({ TTL: 30, ID: 777001 });
    expect(granted.ID).toBe('777001');
    await expectGrpcError(
      store.client.leaseGrant({ TTL: 30, ID: 777001 }),
      status.FAILED_PRECONDITION,
      'etcdserver: lease already exists',
    );
  });

  it('attaches keys and reports them in timeToLive', async () => {
    const prefix = uniquePrefix('ttl');
    const { ID } = await store.client.leaseGrant({ TTL: 60 });
    await store.client.put({ key: `${prefix}b`, value: 'v', lease: ID });
    await store.client.put({ key: `${prefix}a`, value: 'v', lease: ID });
    expect((await store.client.range({ key: `${prefix}a` })).kvs[0].lease).toBe(ID);

    const ttl = await store.client.leaseTimeToLive({ ID, keys: true });
    expect(ttl.ID).toBe(ID);
    expect(ttl.grantedTTL).toBe('60');
    expect(Number(ttl.TTL)).toBeGreaterThan(0);
    expect(Number(ttl.TTL)).toBeLessThanOrEqual(60);
    expect(ttl.keys.map(str).sort()).toEqual([`${prefix}a`, `${prefix}b`]);
    expect((await store.client.leaseTimeToLive({ ID })).keys).toEqual([]);
  });

  it('lists granted leases until they are revoked', async () => {
    const { ID } = await store.client.leaseGrant({ TTL: 60 });
    expect((await store.client.leaseLeases()).leases.map((lease) => lease.ID)).toContain(ID);
    await store.client.leaseRevoke(ID);
    expect((await store.client.leaseLeases()).leases.map((lease) => lease.ID)).not.toContain(ID);
  });

  it('revokes a lease by deleting all its keys in one revision', async () => {
    const prefix = uniquePrefix('revoke');
    const { ID } = await store.client.leaseGrant({ TTL: 60 });
    for (const name of ['a', 'b', 'c']) await store.client.put({ key: `${prefix}${name}`, value: 'v', lease: ID });
    await store.client.put({ key: `${prefix}unleased`, value: 'v' });
    const stream = store.client.watch();
    try {
      const watcher = await stream.create({ key: prefix, range_end: prefixEnd(prefix) });
      const before = revisionOf(await store.client.range({ key: prefix }));
      const revoked = await store.client.leaseRevoke(ID);
      const events = await nextEvents(watcher, 3);
      expect(events.map((event) => event.type)).toEqual(['DELETE', 'DELETE', 'DELETE']);
      expect(events.map((event) => event.kv.mod_revision)).toEqual(Array(3).fill(String(before + 1)));
      expect(revisionOf(revoked)).toBe(before + 1);
      expect(keysOf(await store.client.range({ key: prefix, range_end: prefixEnd(prefix) }))).toEqual([
        `${prefix}unleased`,
      ]);
    } finally {
      stream.close();
    }
    // A revoked lease is gone: etcd reports TTL -1 rather than an error.
    expect((await store.client.leaseTimeToLive({ ID })).TTL).toBe('-1');
  });

  it('renews a lease on keep-alive, back to its granted TTL', async () => {
    const { ID } = await store.client.leaseGrant({ TTL: 10 });
    // Let at least one second of the TTL pass so the renewal is visible.
    await waitUntil(async () => Number((await store.client.leaseTimeToLive({ ID })).TTL) < 10);
    const stream = store.client.keepAlive();
    try {
      const renewed = await stream.keepAliveOnce(ID);
      expect(renewed).toMatchObject({ ID, TTL: '10' });
      expect(revisionOf(renewed)).toBeGreaterThan(0);
    } finally {
      stream.close();
    }
  });

  it('expires a lease by deleting all its keys in one revision', async () => {
    const prefix = uniquePrefix('expire');
    const { ID, TTL } = await store.client.leaseGrant({ TTL: 2 });
    expect(TTL).toBe('2');
    for (const name of ['a', 'b', 'c']) await store.client.put({ key: `${prefix}${name}`, value: 'v', lease: ID });
    const stream = store.client.watch();
    try {
      const watcher = await stream.create({ key: prefix, range_end: prefixEnd(prefix) });
      await waitUntil(async () => (await store.client.range({ key: prefix, range_end: prefixEnd(prefix) })).count === '0');
      const events = await nextEvents(watcher, 3);
      expect(events.map((event) => event.type)).toEqual(['DELETE', 'DELETE', 'DELETE']);
      expect(new Set(events.map((event) => event.kv.mod_revision)).size).toBe(1);
    } finally {
      stream.close();
    }
    expect((await store.client.leaseTimeToLive({ ID })).TTL).toBe('-1');
  });

  it('answers for an unknown lease as etcd does', async () => {
    await expectGrpcError(
      store.client.put({ key: `${uniquePrefix('unknown')}k`, value: 'v', lease: UNKNOWN_LEASE }),
      status.NOT_FOUND,
      LEASE_NOT_FOUND,
    );
    await expectGrpcError(store.client.leaseRevoke(UNKNOWN_LEASE), status.NOT_FOUND, LEASE_NOT_FOUND);
    // etcd 3.4 does not fail these two: timeToLive answers TTL -1, keep-alive answers TTL 0.
    const ttl = await store.client.leaseTimeToLive({ ID: UNKNOWN_LEASE, keys: true });
    expect(ttl).toMatchObject({ ID: UNKNOWN_LEASE, TTL: '-1', grantedTTL: '0', keys: [] });
    const stream = store.client.keepAlive();
    try {
      expect(await stream.keepAliveOnce(UNKNOWN_LEASE)).toMatchObject({ ID: UNKNOWN_LEASE, TTL: '0' });
    } finally {
      stream.close();
    }
  });
});
