// Checks a whole history: each key on its own (P-compositionality), and for a key that fails,
// an explanation a person can follow — the shortest prefix of its history that already cannot
// be linearized, the longest order the search found for it, and why nothing fits next.
import { describeInput, describeOperation, describeOutput, partitionByKey, quote, type Operation } from './history.ts';
import { INITIAL_REGISTER, whyNot } from './register-model.ts';
import { searchLinearization, type LinearizedStep } from './search.ts';

export interface KeyViolation {
  key: string;
  /** The operation whose return makes the history impossible: before it, a linearization exists. */
  culprit: Operation;
  /** The operations of the shortest failing prefix (those still open at its end as unknown outcomes). */
  prefix: Operation[];
  /** The longest partial linearization of that prefix. */
  longest: LinearizedStep[];
  explanation: string;
}

export interface CheckResult {
  linearizable: boolean;
  operations: number;
  keys: number;
  violations: KeyViolation[];
  /** Keys the search gave up on (step budget spent): neither proven nor refuted. */
  undecided: string[];
}

export interface CheckOptions {
  /** Search steps allowed per key before giving up on it. */
  maxStepsPerKey?: number;
}

export function checkHistory(history: readonly Operation[], options: CheckOptions = {}): CheckResult {
  const byKey = partitionByKey(history);
  const violations: KeyViolation[] = [];
  const undecided: string[] = [];
  for (const [key, ops] of byKey) {
    const result = searchLinearization(ops, { maxSteps: options.maxStepsPerKey });
    if (result.outcome === 'unknown') undecided.push(key);
    if (result.outcome === 'not-linearizable') violations.push(explainViolation(key, ops, options));
  }
  return { linearizable: violations.length === 0 && undecided.length === 0, operations: history.length, keys: byKey.size, violations, undecided };
}

/**
 * Finds the shortest failing prefix by binary search over the return times. The prefix ending
 * at time t holds the operations invoked by t; one that returned later was still open at t, so
 * its outcome counts as unknown. Linearizability is prefix-closed — a history that fails at
 * t fails at every later time — which is what makes the binary search sound.
 */
export function explainViolation(key: string, ops: readonly Operation[], options: CheckOptions = {}): KeyViolation {
  const returns = ops.filter((op) => op.returnedAt !== undefined).sort((a, b) => a.returnedAt! - b.returnedAt!);
  const failsAt = (i: number) =>
    searchLinearization(prefixAt(ops, returns[i].returnedAt!), { maxSteps: options.maxStepsPerKey }).outcome === 'not-linearizable';
  let low = 0;
  let high = returns.length - 1; // the whole history fails
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsAt(mid)) high = mid;
    else low = mid + 1;
  }
  const culprit = returns[low];
  const prefix = prefixAt(ops, culprit.returnedAt!);
  const result = searchLinearization(prefix, { maxSteps: options.maxStepsPerKey, recordLongest: true });
  const longest = result.outcome === 'not-linearizable' ? result.longest : [];
  return { key, culprit, prefix, longest, explanation: explain(key, culprit, prefix, longest) };
}

function prefixAt(ops: readonly Operation[], time: number): Operation[] {
  return ops
    .filter((op) => op.invokedAt <= time)
    .map((op) => (op.returnedAt !== undefined && op.returnedAt > time ? { ...op, returnedAt: undefined, output: undefined } : op));
}

function explain(key: string, culprit: Operation, prefix: Operation[], longest: LinearizedStep[]): string {
  const lines = [
    `key ${quote(key)} is not linearizable.`,
    `The shortest history that cannot be linearized ends when #${culprit.id} returned; its ${prefix.length} operations (time in ms):`,
    ...[...prefix].sort((a, b) => a.invokedAt - b.invokedAt).map((op) => `  ${describeOperation(op)}`),
  ];
  const placed = new Set(longest.map((step) => step.op.id));
  const state = longest.length > 0 ? longest[longest.length - 1].after : INITIAL_REGISTER;
  lines.push(
    longest.length === 0
      ? `No operation can go first (the key starts missing).`
      : `The longest order found places ${longest.length}: ` +
          longest.map((step) => `#${step.op.id} ${describeInput(step.op.input)}${step.op.output ? ` → ${describeOutput(step.op.output)}` : ''} ⇒ ${quote(step.after)}`).join('; '),
  );
  lines.push(`From there (key holds ${quote(state)}) no answered operation fits:`);
  for (const op of prefix) {
    if (placed.has(op.id) || op.output === undefined) continue;
    lines.push(`  #${op.id} ${describeInput(op.input)} → ${describeOutput(op.output)}: ${whyNot(state, op.input, op.output) ?? 'its answer fits this state, but real-time order keeps it from going here, or what follows it then fails'}`);
  }
  return lines.join('\n');
}
