// KV contract: Range, Put and DeleteRange behave as in etcd 3.4.
import { describe, expect, it } from 'vitest';
import { prefixEnd, str } from '../../src/client/etcd-client.ts';
import { availableTargets } from '../harness.ts';
import { expectGrpcError, status } from '../support/grpc-errors.ts';
import { keysOf, revisionOf, uniquePrefix, valuesOf } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';

describe.each(availableTargets())('KV against %s', (target) => {
  const store = useMember(target);

  it('stores a value and reads it back with its revisions and version', async () => {
    const key = `${uniquePrefix('get')}k`;
    const put = await store.client.put({ key, value: 'v1' });
    const got = await store.client.range({ key });
    expect(got.count).toBe('1');
    expect(got.more).toBe(false);
    expect(got.kvs).toHaveLength(1);
    const [kv] = got.kvs;
    expect(str(kv.key)).toBe(key);
    expect(str(kv.value)).toBe('v1');
    expect(kv.create_revision).toBe(put.header.revision);
    expect(kv.mod_revision).toBe(put.header.revision);
    expect(kv.version).toBe('1');
    expect(kv.lease).toBe('0');
    expect(got.header.revision).toBe(put.header.revision);
  });

  it('reads a missing key as no kvs and count 0', async () => {
    const got = await store.client.range({ key: `${uniquePrefix('missing')}k` });
    expect(got.kvs).toEqual([]);
    expect(got.count).toBe('0');
  });

  it('advances the revision by exactly one per write, and not for reads or no-op deletes', async () => {
    const prefix = uniquePrefix('rev');
    const start = revisionOf(await store.client.range({ key: `${prefix}a` }));
    const first = revisionOf(await store.client.put({ key: `${prefix}a`, value: '1' }));
    const second = revisionOf(await store.client.put({ key: `${prefix}a`, value: '2' }));
    const afterRead = revisionOf(await store.client.range({ key: `${prefix}a` }));
    const noOpDelete = await store.client.deleteRange({ key: `${prefix}absent` });
    const deleted = revisionOf(await store.client.deleteRange({ key: `${prefix}a` }));
    expect([first, second, afterRead, revisionOf(noOpDelete), deleted]).toEqual([
      start + 1, start + 2, start + 2, start + 2, start + 3,
    ]);
    expect(noOpDelete.deleted).toBe('0');
  });

  it('counts versions per key generation: create_revision stays, version resets after delete', async () => {
    const key = `${uniquePrefix('version')}k`;
    const created = revisionOf(await store.client.put({ key, value: 'a' }));
    const updated = revisionOf(await store.client.put({ key, value: 'b' }));
    const [kv] = (await store.client.range({ key })).kvs;
    expect(kv).toMatchObject({ create_revision: String(created), mod_revision: String(updated), version: '2' });

    const deletedAt = revisionOf(await store.client.deleteRange({ key }));
    expect((await store.client.range({ key })).kvs).toEqual([]);
    const recreated = revisionOf(await store.client.put({ key, value: 'c' }));
    const [again] = (await store.client.range({ key })).kvs;
    expect(again).toMatchObject({ create_revision: String(recreated), mod_revision: String(recreated), version: '1' });

    // History: each revision shows the key as it was then; at the delete it is a tombstone.
    expect(valuesOf(await store.client.range({ key, revision: created }))).toEqual(['a']);
    expect(valuesOf(await store.client.range({ key, revision: updated }))).toEqual(['b']);
    expect((await store.client.range({ key, revision: deletedAt })).kvs).toEqual([]);
    expect(valuesOf(await store.client.range({ key, revision: recreated }))).toEqual(['c']);
  });

  it('ranges over a prefix with prefixEnd, and from a key onward with range_end "\\0"', async () => {
    const prefix = uniquePrefix('prefix');
    for (const name of ['c', 'a', 'b']) await store.client.put({ key: `${prefix}${name}`, value: name });
    await store.client.put({ key: prefix.slice(0, -1), value: 'outside' });

    const inPrefix = await store.client.range({ key: prefix, range_end: prefixEnd(prefix) });
    expect(keysOf(inPrefix)).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`]);

    const fromB = await store.client.range({ key: `${prefix}b`, range_end: '\0' });
    expect(keysOf(fromB).slice(0, 2)).toEqual([`${prefix}b`, `${prefix}c`]);
    expect(keysOf(fromB).every((k) => k >= `${prefix}b`)).toBe(true);
    expect(Number(fromB.count)).toBe(fromB.kvs.length);
  });

  it('limits results, reporting more and the full count', async () => {
    const prefix = uniquePrefix('limit');
    for (let i = 0; i < 5; i++) await store.client.put({ key: `${prefix}${i}`, value: 'v' });
    const limited = await store.client.range({ key: prefix, range_end: prefixEnd(prefix), limit: 2 });
    expect(keysOf(limited)).toEqual([`${prefix}0`, `${prefix}1`]);
    expect(limited.more).toBe(true);
    expect(limited.count).toBe('5');
    const exact = await store.client.range({ key: prefix, range_end: prefixEnd(prefix), limit: 5 });
    expect(exact.kvs).toHaveLength(5);
    expect(exact.more).toBe(false);
  });

  describe('sorting', () => {
    // a: created first, 3 versions, value "y"; b: 2 versions, value "x", modified last;
    // c: created last, 1 version, value "z".
    const prefix = uniquePrefix('sort');
    const sortedBy = async (sort_target: 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE', sort_order: 'ASCEND' | 'DESCEND') =>
      keysOf(await store.client.range({ key: prefix, range_end: prefixEnd(prefix), sort_target, sort_order })).map(
        (k) => k.slice(prefix.length),
      );

    it('sorts by key, version, create, mod and value, both ways', async () => {
      await store.client.put({ key: `${prefix}a`, value: '1' });
      await store.client.put({ key: `${prefix}b`, value: '1' });
      await store.client.put({ key: `${prefix}c`, value: 'z' });
      await store.client.put({ key: `${prefix}a`, value: '2' });
      await store.client.put({ key: `${prefix}a`, value: 'y' });
      await store.client.put({ key: `${prefix}b`, value: 'x' });

      expect(await sortedBy('KEY', 'ASCEND')).toEqual(['a', 'b', 'c']);
      expect(await sortedBy('KEY', 'DESCEND')).toEqual(['c', 'b', 'a']);
      expect(await sortedBy('VERSION', 'ASCEND')).toEqual(['c', 'b', 'a']);
      expect(await sortedBy('VERSION', 'DESCEND')).toEqual(['a', 'b', 'c']);
      expect(await sortedBy('CREATE', 'ASCEND')).toEqual(['a', 'b', 'c']);
      expect(await sortedBy('CREATE', 'DESCEND')).toEqual(['c', 'b', 'a']);
      expect(await sortedBy('MOD', 'ASCEND')).toEqual(['c', 'a', 'b']);
      expect(await sortedBy('MOD', 'DESCEND')).toEqual(['b', 'a', 'c']);
      expect(await sortedBy('VALUE', 'ASCEND')).toEqual(['b', 'a', 'c']);
      expect(await sortedBy('VALUE', 'DESCEND')).toEqual(['c', 'a', 'b']);
    });

    it('applies limit after sorting', async () => {
      const top = await store.client.range({
        key: prefix, range_end: prefixEnd(prefix), sort_target: 'VERSION', sort_order: 'DESCEND', limit: 1,
      });
      expect(keysOf(top)).toEqual([`${prefix}a`]);
      expect(top.more).toBe(true);
      expect(top.count).toBe('3');
    });
  });

  it('serves serializable reads with the same data', async () => {
    const key = `${uniquePrefix('serializable')}k`;
    await store.client.put({ key, value: 'v' });
    expect(valuesOf(await store.client.range({ key, serializable: true }))).toEqual(['v']);
  });

  it('returns keys without values for keys_only, and only the count for count_only', async () => {
    const prefix = uniquePrefix('only');
    await store.client.put({ key: `${prefix}a`, value: 'va' });
    await store.client.put({ key: `${prefix}b`, value: 'vb' });
    const keysOnly = await store.client.range({ key: prefix, range_end: prefixEnd(prefix), keys_only: true });
    expect(keysOf(keysOnly)).toEqual([`${prefix}a`, `${prefix}b`]);
    expect(valuesOf(keysOnly)).toEqual(['', '']);
    expect(keysOnly.kvs[0].version).toBe('1');
    const countOnly = await store.client.range({ key: prefix, range_end: prefixEnd(prefix), count_only: true });
    expect(countOnly.kvs).toEqual([]);
    expect(countOnly.count).toBe('2');
  });

  it('filters by min/max mod and create revision', async () => {
    const prefix = uniquePrefix('filter');
    const revA = revisionOf(await store.client.put({ key: `${prefix}a`, value: '1' }));
    const revB = revisionOf(await store.client.put({ key: `${prefix}b`, value: '1' }));
    const revA2 = revisionOf(await store.client.put({ key: `${prefix}a`, value: '2' }));
    const all = { key: prefix, range_end: prefixEnd(prefix) };
    // a: create revA, mod revA2; b: create revB, mod revB.
    expect(keysOf(await store.client.range({ ...all, min_mod_revision: revA2 }))).toEqual([`${prefix}a`]);
    expect(keysOf(await store.client.range({ ...all, max_mod_revision: revB }))).toEqual([`${prefix}b`]);
    expect(keysOf(await store.client.range({ ...all, min_create_revision: revB }))).toEqual([`${prefix}b`]);
    expect(keysOf(await store.client.range({ ...all, max_create_revision: revA }))).toEqual([`${prefix}a`]);
    // The filters apply to the returned kvs; count still counts every key in the range.
    const filtered = await store.client.range({ ...all, min_create_revision: revB });
    expect(filtered.count).toBe('2');
  });

  it('returns the previous key-value on put when asked', async () => {
    const key = `${uniquePrefix('prevkv')}k`;
    const first = await store.client.put({ key, value: 'old', prev_kv: true });
    expect(first.prev_kv).toBeNull();
    const second = await store.client.put({ key, value: 'new', prev_kv: true });
    expect(second.prev_kv).toMatchObject({ version: '1', mod_revision: first.header.revision });
    expect(str(second.prev_kv!.value)).toBe('old');
    const withoutPrev = await store.client.put({ key, value: 'newer' });
    expect(withoutPrev.prev_kv).toBeNull();
  });

  it('keeps the value for ignore_value and the lease for ignore_lease', async () => {
    const key = `${uniquePrefix('ignore')}k`;
    const lease = await store.client.leaseGrant({ TTL: 60 });
    await store.client.put({ key, value: 'kept', lease: lease.ID });

    await store.client.put({ key, value: 'changed', ignore_lease: true });
    expect((await store.client.range({ key })).kvs[0]).toMatchObject({ lease: lease.ID, version: '2' });

    // ignore_value keeps the value but takes the request's lease (none here): etcd 3.4 detaches it.
    await store.client.put({ key, ignore_value: true });
    const [kv] = (await store.client.range({ key })).kvs;
    expect(str(kv.value)).toBe('changed');
    expect(kv).toMatchObject({ lease: '0', version: '3' });
    await store.client.leaseRevoke(lease.ID);
  });

  it('rejects ignore_value on a missing key and contradictory ignore flags', async () => {
    const key = `${uniquePrefix('ignore-errors')}k`;
    await expectGrpcError(store.client.put({ key, ignore_value: true }), status.INVALID_ARGUMENT, 'etcdserver: key not found');
    await store.client.put({ key, value: 'v' });
    await expectGrpcError(
      store.client.put({ key, value: 'w', ignore_value: true }),
      status.INVALID_ARGUMENT,
      'etcdserver: value is provided',
    );
    await expectGrpcError(
      store.client.put({ key, value: 'w', ignore_lease: true, lease: 1 }),
      status.INVALID_ARGUMENT,
      'etcdserver: lease is provided',
    );
  });

  it('deletes a range, reporting the count and the previous key-values', async () => {
    const prefix = uniquePrefix('delete');
    for (const name of ['a', 'b', 'c']) await store.client.put({ key: `${prefix}${name}`, value: name });
    const before = revisionOf(await store.client.range({ key: prefix }));
    const deleted = await store.client.deleteRange({ key: `${prefix}a`, range_end: `${prefix}c`, prev_kv: true });
    expect(deleted.deleted).toBe('2');
    expect(keysOf({ kvs: deleted.prev_kvs })).toEqual([`${prefix}a`, `${prefix}b`]);
    expect(valuesOf({ kvs: deleted.prev_kvs })).toEqual(['a', 'b']);
    expect(revisionOf(deleted)).toBe(before + 1);
    expect(keysOf(await store.client.range({ key: prefix, range_end: prefixEnd(prefix) }))).toEqual([`${prefix}c`]);

    const single = await store.client.deleteRange({ key: `${prefix}c` });
    expect(single.deleted).toBe('1');
    expect(single.prev_kvs).toEqual([]);
  });
});
