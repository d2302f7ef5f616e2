// A history of operations on a key-value store, as clients saw them: each operation has the
// time it was invoked and, if an answer came back, the time it returned and what it returned.
// An operation with no answer (timeout, connection lost, member killed) has an unknown outcome:
// it may have taken effect at any moment after its invocation, or never.
//
// Times must come from one clock shared by every client (the test process's monotonic clock):
// linearizability is about real-time order, so "A returned before B was invoked" must be
// a fact, not a comparison of two machines' clocks.

/** What a client asked for, on one key. The model is a register per key (etcd's values). */
export type RegisterInput =
  | { type: 'put'; value: string }
  | { type: 'get' }
  /** A transaction: if the key's value equals `expect`, put `value` (etcd's compare-value txn). */
  | { type: 'cas'; expect: string; value: string }
  | { type: 'delete' };

/** What came back. `get`: the value, null for a missing key; `cas`: whether it succeeded;
 *  `delete`: how many keys it deleted (0 or 1); `put`: nothing beyond success. */
export type RegisterOutput =
  | { type: 'put' }
  | { type: 'get'; value: string | null }
  | { type: 'cas'; succeeded: boolean }
  | { type: 'delete'; deleted: number };

export interface Operation {
  /** Unique within the history; used in explanations. */
  id: number;
  /** Who issued it (a client may have one operation outstanding at a time). */
  client: string;
  key: string;
  input: RegisterInput;
  invokedAt: number;
  /** Absent when the outcome is unknown. */
  returnedAt?: number;
  /** Present exactly when returnedAt is. */
  output?: RegisterOutput;
}

/** Splits a history by key: a register per key is independent of the others, so the history
 *  is linearizable exactly when each key's sub-history is (P-compositionality). */
export function partitionByKey(history: readonly Operation[]): Map<string, Operation[]> {
  const byKey = new Map<string, Operation[]>();
  for (const op of history) {
    const ops = byKey.get(op.key);
    if (ops) ops.push(op);
    else byKey.set(op.key, [op]);
  }
  return byKey;
}

/** One line for an operation: `#12 c3 cas "a"→"b" → ok  [10.0, 12.5]`. */
export function describeOperation(op: Operation): string {
  const window = `[${op.invokedAt.toFixed(1)}, ${op.returnedAt === undefined ? 'never returned' : op.returnedAt.toFixed(1)}]`;
  return `#${op.id} ${op.client} ${describeInput(op.input)} → ${op.output ? describeOutput(op.output) : 'unknown outcome'}  ${window}`;
}

export function describeInput(input: RegisterInput): string {
  switch (input.type) {
    case 'put': return `put ${quote(input.value)}`;
    case 'get': return 'get';
    case 'cas': return `cas ${quote(input.expect)}→${quote(input.value)}`;
    case 'delete': return 'delete';
  }
}

export function describeOutput(output: RegisterOutput): string {
  switch (output.type) {
    case 'put': return 'ok';
    case 'get': return quote(output.value);
    case 'cas': return output.succeeded ? 'succeeded' : 'failed';
    case 'delete': return `deleted ${output.deleted}`;
  }
}

export function quote(value: string | null): string {
  return value === null ? '(none)' : JSON.stringify(value);
}
