// Txn contract: compares, branches, atomicity and etcd's request validation.
import { describe, expect, it } from 'vitest';
import { str, type Compare, type CompareResult, type CompareTarget, type RequestOp } from '../../src/client/etcd-client.ts';
import { availableTargets } from '../harness.ts';
import { expectGrpcError, status } from '../support/grpc-errors.ts';
import { keysOf, revisionOf, uniquePrefix, valuesOf } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';

const put = (key: string, value: string): RequestOp => ({ request_put: { key, value } });
const get = (key: string): RequestOp => ({ request_range: { key } });

describe.each(availableTargets())('Txn against %s', (target) => {
  const store = useMember(target);

  /** Whether a txn with this single compare takes its success branch. */
  async function holds(compare: Compare): Promise<boolean> {
    return (await store.client.txn({ compare: [compare] })).succeeded;
  }

  describe('compares', () => {
    // k: value "b", version 2, lease attached; create/mod revisions recorded below.
    const key = `${uniquePrefix('compare')}k`;
    const facts = { create: 0, mod: 0, lease: '' };

    it('prepares the key', async () => {
      facts.lease = (await store.client.leaseGrant({ TTL: 60 })).ID;
      facts.create = revisionOf(await store.client.put({ key, value: 'a' }));
      facts.mod = revisionOf(await store.client.put({ key, value: 'b', lease: facts.lease }));
    });

    // target, field, then (read when the test runs) the key's actual value, a smaller and a larger one.
    const cases: [CompareTarget, keyof Compare, () => [string | number, string | number, string | number]][] = [
      ['VALUE', 'value', () => ['b', 'a', 'c']],
      ['VERSION', 'version', () => [2, 1, 3]],
      ['CREATE', 'create_revision', () => [facts.create, facts.create - 1, facts.create + 100]],
      ['MOD', 'mod_revision', () => [facts.mod, facts.mod - 1, facts.mod + 100]],
    ];

    it.each(cases)('compares %s with EQUAL, NOT_EQUAL, LESS and GREATER', async (target, field, values) => {
      const [actual, smaller, larger] = values();
      const compare = (result: CompareResult, value: string | number): Compare => ({ result, target, key, [field]: value });
      expect(await holds(compare('EQUAL', actual))).toBe(true);
      expect(await holds(compare('EQUAL', smaller))).toBe(false);
      expect(await holds(compare('NOT_EQUAL', smaller))).toBe(true);
      expect(await holds(compare('NOT_EQUAL', actual))).toBe(false);
      // LESS holds when the key's actual value is less than the one given.
      expect(await holds(compare('LESS', larger))).toBe(true);
      expect(await holds(compare('LESS', actual))).toBe(false);
      expect(await holds(compare('GREATER', smaller))).toBe(true);
      expect(await holds(compare('GREATER', actual))).toBe(false);
    });

    it('compares LEASE', async () => {
      expect(await holds({ result: 'EQUAL', target: 'LEASE', key, lease: facts.lease })).toBe(true);
      expect(await holds({ result: 'EQUAL', target: 'LEASE', key, lease: 0 })).toBe(false);
      expect(await holds({ result: 'NOT_EQUAL', target: 'LEASE', key, lease: 0 })).toBe(true);
      expect(await holds({ result: 'GREATER', target: 'LEASE', key, lease: 0 })).toBe(true);
    });

    it('treats a missing key as version 0, create_revision 0 and no lease', async () => {
      const missing = `${key}-missing`;
      expect(await holds({ result: 'EQUAL', target: 'VERSION', key: missing, version: 0 })).toBe(true);
      expect(await holds({ result: 'EQUAL', target: 'CREATE', key: missing, create_revision: 0 })).toBe(true);
      expect(await holds({ result: 'EQUAL', target: 'LEASE', key: missing, lease: 0 })).toBe(true);
    });

    it('requires every compare to hold', async () => {
      const equalValue: Compare = { result: 'EQUAL', target: 'VALUE', key, value: 'b' };
      const wrongVersion: Compare = { result: 'EQUAL', target: 'VERSION', key, version: 7 };
      expect((await store.client.txn({ compare: [equalValue] })).succeeded).toBe(true);
      expect((await store.client.txn({ compare: [equalValue, wrongVersion] })).succeeded).toBe(false);
    });

    it('compares every key of a range_end compare', async () => {
      const prefix = uniquePrefix('range-compare');
      await store.client.put({ key: `${prefix}a`, value: '1' });
      await store.client.put({ key: `${prefix}b`, value: '1' });
      const allVersion1: Compare = { result: 'EQUAL', target: 'VERSION', key: `${prefix}a`, range_end: `${prefix}z`, version: 1 };
      expect(await holds(allVersion1)).toBe(true);
      await store.client.put({ key: `${prefix}b`, value: '2' });
      expect(await holds(allVersion1)).toBe(false);
    });
  });

  it('runs the success branch when compares hold and the failure branch otherwise', async () => {
    const prefix = uniquePrefix('branch');
    const flag = `${prefix}flag`;
    await store.client.put({ key: flag, value: 'on' });
    const txn = (expected: string) =>
      store.client.txn({
        compare: [{ result: 'EQUAL', target: 'VALUE', key: flag, value: expected }],
        success: [put(`${prefix}result`, `success-${expected}`)],
        failure: [put(`${prefix}result`, `failure-${expected}`)],
      });
    expect((await txn('on')).succeeded).toBe(true);
    expect(valuesOf(await store.client.range({ key: `${prefix}result` }))).toEqual(['success-on']);
    const failed = await txn('off');
    expect(failed.succeeded).toBe(false);
    expect(failed.responses.map((r) => r.response)).toEqual(['response_put']);
    expect(valuesOf(await store.client.range({ key: `${prefix}result` }))).toEqual(['failure-off']);
  });

  it('commits all writes of a txn at one revision', async () => {
    const prefix = uniquePrefix('atomic');
    await store.client.put({ key: `${prefix}gone`, value: 'x' });
    const before = revisionOf(await store.client.range({ key: prefix }));
    const result = await store.client.txn({
      success: [put(`${prefix}a`, '1'), put(`${prefix}b`, '2'), { request_delete_range: { key: `${prefix}gone` } }],
    });
    expect(revisionOf(result)).toBe(before + 1);
    const a = (await store.client.range({ key: `${prefix}a` })).kvs[0];
    const b = (await store.client.range({ key: `${prefix}b` })).kvs[0];
    expect(a.mod_revision).toBe(String(before + 1));
    expect(b.mod_revision).toBe(String(before + 1));
    expect(result.responses[2].response_delete_range!.deleted).toBe('1');
  });

  it('lets a range inside a txn see the txn’s earlier puts', async () => {
    const key = `${uniquePrefix('read-own')}k`;
    const result = await store.client.txn({ success: [put(key, 'fresh'), get(key)] });
    const range = result.responses[1].response_range!;
    expect(valuesOf(range)).toEqual(['fresh']);
    expect(range.kvs[0].mod_revision).toBe(result.header.revision);
  });

  it('does not advance the revision for a read-only txn', async () => {
    const key = `${uniquePrefix('read-only')}k`;
    const before = revisionOf(await store.client.put({ key, value: 'v' }));
    const result = await store.client.txn({ success: [get(key)] });
    expect(revisionOf(result)).toBe(before);
  });

  it('runs nested txns in the same revision', async () => {
    const prefix = uniquePrefix('nested');
    await store.client.put({ key: `${prefix}flag`, value: 'x' });
    const result = await store.client.txn({
      success: [
        put(`${prefix}outer`, 'o'),
        {
          request_txn: {
            compare: [{ result: 'EQUAL', target: 'VALUE', key: `${prefix}flag`, value: 'nope' }],
            success: [put(`${prefix}inner`, 'success')],
            failure: [put(`${prefix}inner`, 'failure')],
          },
        },
      ],
    });
    const inner = result.responses[1];
    expect(inner.response).toBe('response_txn');
    expect(inner.response_txn!.succeeded).toBe(false);
    const got = await store.client.range({ key: prefix, range_end: `${prefix}z` });
    expect(keysOf(got)).toEqual([`${prefix}flag`, `${prefix}inner`, `${prefix}outer`]);
    expect(str(got.kvs[1].value)).toBe('failure');
    expect(got.kvs[1].mod_revision).toBe(result.header.revision);
    expect(got.kvs[2].mod_revision).toBe(result.header.revision);
  });

  it('rejects writing one key twice in a txn, including a put inside a deleted range', async () => {
    const prefix = uniquePrefix('duplicate');
    const before = revisionOf(await store.client.range({ key: prefix }));
    await expectGrpcError(
      store.client.txn({ success: [put(`${prefix}k`, '1'), put(`${prefix}k`, '2')] }),
      status.INVALID_ARGUMENT,
      'etcdserver: duplicate key given in txn request',
    );
    await expectGrpcError(
      store.client.txn({ success: [put(`${prefix}k`, '1'), { request_delete_range: { key: prefix, range_end: `${prefix}z` } }] }),
      status.INVALID_ARGUMENT,
      'etcdserver: duplicate key given in txn request',
    );
    expect(revisionOf(await store.client.range({ key: prefix }))).toBe(before);
  });

  it('accepts 128 operations and rejects 129', async () => {
    const prefix = uniquePrefix('many');
    const ops = (n: number) => Array.from({ length: n }, (_, i) => put(`${prefix}${i}`, 'v'));
    expect((await store.client.txn({ success: ops(128) })).responses).toHaveLength(128);
    await expectGrpcError(
      store.client.txn({ success: ops(129) }),
      status.INVALID_ARGUMENT,
      'etcdserver: too many operations in txn request',
    );
  });
});
