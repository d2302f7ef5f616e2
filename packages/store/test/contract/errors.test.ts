// Error contract: request validation and resource limits, with etcd's codes and messages.
import { describe, expect, it } from 'vitest';
import { availableTargets } from '../harness.ts';
import { expectGrpcError, status } from '../support/grpc-errors.ts';
import { revisionOf, uniquePrefix, valuesOf } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';

const MiB = 1024 * 1024;

describe.each(availableTargets())('Request errors against %s', (target) => {
  const store = useMember(target, { extraFlags: ['--max-request-bytes', String(MiB)] });

  it('refuses a request larger than --max-request-bytes and keeps serving', async () => {
    const key = `${uniquePrefix('big')}k`;
    await expectGrpcError(
      store.client.put({ key, value: Buffer.alloc(1.2 * MiB, 'x') }),
      status.INVALID_ARGUMENT,
      'etcdserver: request is too large',
    );
    expect((await store.client.range({ key })).kvs).toEqual([]);
    await store.client.put({ key, value: 'small' });
    expect(valuesOf(await store.client.range({ key }))).toEqual(['small']);
  });

  it('refuses an empty key for put, range and delete', async () => {
    const missingKey = 'etcdserver: key is not provided';
    await expectGrpcError(store.client.put({ key: '', value: 'v' }), status.INVALID_ARGUMENT, missingKey);
    await expectGrpcError(store.client.range({ key: '' }), status.INVALID_ARGUMENT, missingKey);
    // Even with a range_end: a range over "all keys" starts at "\0", not "".
    await expectGrpcError(store.client.range({ key: '', range_end: '\0' }), status.INVALID_ARGUMENT, missingKey);
    await expectGrpcError(store.client.deleteRange({ key: '' }), status.INVALID_ARGUMENT, missingKey);
  });
});

describe.each(availableTargets())('Backend quota against %s', (target) => {
  // etcd 3.4 enforces the quota against its bbolt file size, which grows in steps, so with a
  // 4 MiB quota the first refusal comes somewhere past 4 MiB of values (about 7 MiB here).
  const store = useMember(target, { extraFlags: ['--quota-backend-bytes', String(4 * MiB)] });

  it('refuses writes once the database exceeds its quota, raises NOSPACE, and keeps serving reads', async () => {
    const prefix = uniquePrefix('quota');
    const value = Buffer.alloc(100 * 1024, 'q');
    let refusal: unknown;
    let written = 0;
    for (; written < 400 && refusal === undefined; written++) {
      await store.client.put({ key: `${prefix}${written}`, value }).catch((error: unknown) => {
        refusal = error;
      });
    }
    expect(refusal).toMatchObject({ code: status.RESOURCE_EXHAUSTED, details: 'etcdserver: mvcc: database space exceeded' });

    const { alarms } = await store.client.alarm({ action: 'GET' });
    const { header } = await store.client.status();
    expect(alarms).toEqual([{ memberID: header.member_id, alarm: 'NOSPACE' }]);
    expect((await store.client.status()).errors).toEqual([`memberID:${header.member_id} alarm:NOSPACE `]);

    expect((await store.client.range({ key: `${prefix}0` })).count).toBe('1');
    await expectGrpcError(
      store.client.put({ key: `${prefix}more`, value: 'tiny' }),
      status.RESOURCE_EXHAUSTED,
      'etcdserver: mvcc: database space exceeded',
    );
    await expectGrpcError(store.client.leaseGrant({ TTL: 60 }), status.RESOURCE_EXHAUSTED, 'etcdserver: mvcc: database space exceeded');
    // Deletes are still allowed: they are how an operator frees space.
    const before = revisionOf(await store.client.range({ key: prefix }));
    const deleted = await store.client.deleteRange({ key: `${prefix}0` });
    expect(revisionOf(deleted)).toBe(before + 1);
  });
});
