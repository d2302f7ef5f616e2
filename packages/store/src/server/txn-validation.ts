// Checks etcd makes on a Txn before it is proposed: op count limits, non-empty keys, and no
// key written twice on one path (two puts, or a put inside a deleted range) — nested
// transactions included.
import { Errors } from './errors.ts';
import { num, type RequestOp, type TxnRequest } from './requests.ts';

export function validateTxn(r: TxnRequest, maxTxnOps: number): void {
  const ops = (xs: unknown[] | undefined) => (xs ?? []).length;
  if (ops(r.compare) > maxTxnOps || ops(r.success) > maxTxnOps || ops(r.failure) > maxTxnOps) throw Errors.tooManyOps();
  for (const c of r.compare ?? []) if (c.key.length === 0) throw Errors.emptyKey();
  for (const branch of [r.success ?? [], r.failure ?? []]) {
    for (const op of branch) validateOp(op, maxTxnOps);
    checkNoDuplicates(branch);
  }
}

function validateOp(op: RequestOp, maxTxnOps: number): void {
  const key = op.request_range?.key ?? op.request_put?.key ?? op.request_delete_range?.key;
  if (key && key.length === 0) throw Errors.emptyKey();
  if (op.request_put?.ignore_value && op.request_put.value.length > 0) throw Errors.valueProvided();
  if (op.request_put?.ignore_lease && num(op.request_put.lease) !== 0) throw Errors.leaseProvided();
  if (op.request_txn) validateTxn(op.request_txn, maxTxnOps);
}

interface Writes {
  puts: Set<string>;
  deletes: Array<[string, string | undefined]>;
}

/** Collects the keys one branch writes; a nested txn contributes both of its branches. */
function collect(branch: RequestOp[], into: Writes): void {
  for (const op of branch) {
    if (op.request_put) {
      const k = op.request_put.key.toString('latin1');
      if (into.puts.has(k)) throw Errors.duplicateKey();
      into.puts.add(k);
    }
    if (op.request_delete_range) {
      const d = op.request_delete_range;
      const end = d.range_end && d.range_end.length > 0 ? (d.range_end.length === 1 && d.range_end[0] === 0 ? '' : d.range_end.toString('latin1')) : undefined;
      into.deletes.push([d.key.toString('latin1'), end]);
    }
    if (op.request_txn) {
      // Only one nested branch runs, so the two may write the same key — but neither may
      // write a key the outer branch writes.
      const nested = [op.request_txn.success ?? [], op.request_txn.failure ?? []].map((b) => {
        const inner: Writes = { puts: new Set(), deletes: [] };
        collect(b, inner);
        return inner;
      });
      for (const inner of nested) for (const k of inner.puts) if (into.puts.has(k)) throw Errors.duplicateKey();
      for (const inner of nested) {
        for (const k of inner.puts) into.puts.add(k);
        into.deletes.push(...inner.deletes);
      }
    }
  }
}

function checkNoDuplicates(branch: RequestOp[]): void {
  const w: Writes = { puts: new Set(), deletes: [] };
  collect(branch, w);
  for (const k of w.puts) {
    for (const [start, end] of w.deletes) {
      const inRange = end === undefined ? k === start : k >= start && (end === '' || k < end);
      if (inRange) throw Errors.duplicateKey();
    }
  }
}
