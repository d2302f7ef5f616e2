import { describe, expect, it } from 'vitest';
import type { RequestOp, TxnRequest } from './requests.ts';
import { validateTxn } from './txn-validation.ts';

const b = (s: string) => Buffer.from(s);
const put = (k: string): RequestOp => ({ request_put: { key: b(k), value: b('v'), lease: 0, prev_kv: false, ignore_value: false, ignore_lease: false } });
const del = (k: string, end = ''): RequestOp => ({ request_delete_range: { key: b(k), range_end: b(end), prev_kv: false } });
const txn = (success: RequestOp[], failure: RequestOp[] = []): TxnRequest => ({ compare: [], success, failure });
const message = (r: TxnRequest) => {
  try {
    validateTxn(r, 128);
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('validateTxn', () => {
  it('accepts distinct keys, and the same key in success and failure', () => {
    expect(message(txn([put('a'), put('b')], [put('a')]))).toBe('ok');
  });

  it('refuses a key put twice, or put inside a deleted range', () => {
    expect(message(txn([put('a'), put('a')]))).toBe('etcdserver: duplicate key given in txn request');
    expect(message(txn([del('a', 'c'), put('b')]))).toBe('etcdserver: duplicate key given in txn request');
    expect(message(txn([del('a'), put('a')]))).toBe('etcdserver: duplicate key given in txn request');
  });

  it('lets both branches of a nested txn write one key, but not a key the outer branch writes', () => {
    expect(message(txn([{ request_txn: txn([put('x')], [put('x')]) }]))).toBe('ok');
    expect(message(txn([put('x'), { request_txn: txn([put('x')]) }]))).toBe('etcdserver: duplicate key given in txn request');
  });

  it('limits operations per list', () => {
    expect(message(txn(Array.from({ length: 128 }, (_, i) => put(`k${i}`))))).toBe('ok');
    expect(message(txn(Array.from({ length: 129 }, (_, i) => put(`k${i}`))))).toBe('etcdserver: too many operations in txn request');
  });
});
