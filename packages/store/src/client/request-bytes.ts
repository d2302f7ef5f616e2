// protobufjs reads a string in a bytes field as base64, but callers of this client mean
// UTF-8 text. These functions replace string bytes fields with Buffers before a request is
// serialized. A request whose bytes are already Buffers is passed through without copying,
// which keeps the hot path of load generators allocation-free.
import type { Compare, RequestOp, TxnRequest } from './types.ts';

/** Returns `request`, or a shallow copy of it with the named string fields UTF-8 encoded. */
export function encodeStrings<R extends object>(request: R, fields: readonly (keyof R)[]): R {
  let copy: R | undefined;
  for (const field of fields) {
    const value = request[field];
    if (typeof value === 'string') {
      copy ??= { ...request };
      copy[field] = Buffer.from(value) as R[keyof R];
    }
  }
  return copy ?? request;
}

export const RANGE_BYTES = ['key', 'range_end'] as const;
export const PUT_BYTES = ['key', 'value'] as const;
const COMPARE_BYTES = ['key', 'range_end', 'value'] as const;

function encodeOp(op: RequestOp): RequestOp {
  if (op.request_range) return { request_range: encodeStrings(op.request_range, RANGE_BYTES) };
  if (op.request_put) return { request_put: encodeStrings(op.request_put, PUT_BYTES) };
  if (op.request_delete_range) {
    return { request_delete_range: encodeStrings(op.request_delete_range, RANGE_BYTES) };
  }
  if (op.request_txn) return { request_txn: encodeTxn(op.request_txn) };
  return op;
}

export function encodeTxn(txn: TxnRequest): TxnRequest {
  return {
    compare: txn.compare?.map((c: Compare) => encodeStrings(c, COMPARE_BYTES)),
    success: txn.success?.map(encodeOp),
    failure: txn.failure?.map(encodeOp),
  };
}
