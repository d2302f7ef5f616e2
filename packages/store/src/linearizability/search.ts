// The search for a linearization of one key's history: Wing & Gong's algorithm with Lowe's
// memoization, as Porcupine and Knossos do it.
//
// The history becomes a time-ordered list of call and return events. Walking from the front,
// any operation whose call comes before the first remaining return could take effect next
// (it is concurrent with everything still open). The search tries one: if the model accepts
// its output from the current state, the operation is "linearized" — its call and return are
// lifted out of the list — and the walk starts again at the front. Meeting a return event
// means the operation it closes was not linearized in time: undo the last choice (backtrack)
// and try the next candidate after it. Success: no return events left (every operation that
// answered has a place; one with an unknown outcome may stay unplaced: it never took effect).
//
// Memoization: two paths that linearized the same set of operations and reached the same
// state have the same future, so each (set, state) pair is explored once.
import type { Operation } from './history.ts';
import { INITIAL_REGISTER, registerStateKey, stepRegister, type RegisterState } from './register-model.ts';

/** One step of a linearization: the operation and the state after it. */
export interface LinearizedStep {
  op: Operation;
  after: RegisterState;
}

export type SearchResult =
  | { outcome: 'linearizable'; order: LinearizedStep[] }
  | {
      outcome: 'not-linearizable';
      /** The longest partial linearization reached (only when asked for: it costs a copy per gain). */
      longest: LinearizedStep[];
    }
  | { outcome: 'unknown'; steps: number };

export interface SearchOptions {
  /** Give up (outcome 'unknown') after this many search steps. */
  maxSteps?: number;
  /** Keep the longest partial linearization, to explain a failure. */
  recordLongest?: boolean;
}

/** A node of the doubly linked event list. */
interface Event {
  op: number;
  isCall: boolean;
  /** For a call: its return event, if the operation returned. */
  returnEvent?: Event;
  prev?: Event;
  next?: Event;
}

interface Choice {
  call: Event;
  stateBefore: RegisterState;
  stateAfter: RegisterState;
}

export function searchLinearization(ops: readonly Operation[], options: SearchOptions = {}): SearchResult {
  const maxSteps = options.maxSteps ?? 50_000_000;
  const head = buildEventList(ops);
  const linearized = new Bitset(ops.length);
  const seen = new Set<string>();
  const stack: Choice[] = [];
  let longest: Choice[] = [];
  let state = INITIAL_REGISTER;
  let openReturns = ops.filter((op) => op.returnedAt !== undefined).length;
  let event = head.next;
  let steps = 0;

  const toSteps = (choices: Choice[]): LinearizedStep[] => choices.map((choice) => ({ op: ops[choice.call.op], after: choice.stateAfter }));

  while (openReturns > 0) {
    if (++steps > maxSteps) return { outcome: 'unknown', steps };
    if (event === undefined) throw new Error('linearizability search: ran off the event list with returns still open');
    if (event.isCall) {
      const op = ops[event.op];
      const next = stepRegister(state, op.input, op.output);
      if (next !== undefined) {
        linearized.set(event.op);
        const key = linearized.key() + registerStateKey(next);
        if (!seen.has(key)) {
          seen.add(key);
          stack.push({ call: event, stateBefore: state, stateAfter: next });
          state = next;
          if (event.returnEvent) openReturns--;
          lift(event);
          if (options.recordLongest && stack.length > longest.length) longest = [...stack];
          event = head.next;
          continue;
        }
        linearized.clear(event.op);
      }
      event = event.next;
    } else {
      // An operation returned without being placed: revisit the last choice.
      const choice = stack.pop();
      if (choice === undefined) return { outcome: 'not-linearizable', longest: toSteps(longest) };
      unlift(choice.call);
      if (choice.call.returnEvent) openReturns++;
      linearized.clear(choice.call.op);
      state = choice.stateBefore;
      event = choice.call.next;
    }
  }
  return { outcome: 'linearizable', order: toSteps(stack) };
}

/**
 * Calls and returns in time order behind a sentinel head. At equal times calls go first:
 * an operation invoked at the very instant another returned counts as concurrent with it,
 * which can only make the checker more lenient, never report a false violation.
 */
function buildEventList(ops: readonly Operation[]): Event {
  const timed: Array<{ time: number; event: Event }> = [];
  ops.forEach((op, i) => {
    const call: Event = { op: i, isCall: true };
    timed.push({ time: op.invokedAt, event: call });
    if (op.returnedAt !== undefined) {
      if (op.returnedAt < op.invokedAt) throw new Error(`operation #${op.id} returned before it was invoked`);
      call.returnEvent = { op: i, isCall: false };
      timed.push({ time: op.returnedAt, event: call.returnEvent });
    }
  });
  timed.sort((a, b) => a.time - b.time || Number(b.event.isCall) - Number(a.event.isCall));
  const head: Event = { op: -1, isCall: false };
  let tail = head;
  for (const { event } of timed) {
    tail.next = event;
    event.prev = tail;
    tail = event;
  }
  return head;
}

/** Unlinks a call and its return. Their own links are kept so unlift can put them back. */
function lift(call: Event): void {
  unlink(call);
  if (call.returnEvent) unlink(call.returnEvent);
}

/** Undoes lift; backtracking undoes lifts in reverse order, so the neighbours are right. */
function unlift(call: Event): void {
  if (call.returnEvent) relink(call.returnEvent);
  relink(call);
}

function unlink(event: Event): void {
  event.prev!.next = event.next;
  if (event.next) event.next.prev = event.prev;
}

function relink(event: Event): void {
  event.prev!.next = event;
  if (event.next) event.next.prev = event;
}

/** The set of linearized operations, keyed compactly for the memo table. */
class Bitset {
  private readonly words: Uint16Array;

  constructor(size: number) {
    this.words = new Uint16Array(Math.ceil(size / 16) || 1);
  }

  set(i: number): void {
    this.words[i >> 4] |= 1 << (i & 15);
  }

  clear(i: number): void {
    this.words[i >> 4] &= ~(1 << (i & 15));
  }

  key(): string {
    let key = '';
    // Chunked: String.fromCharCode takes its arguments on the stack.
    for (let i = 0; i < this.words.length; i += 4096) key += String.fromCharCode(...this.words.subarray(i, i + 4096));
    return key;
  }
}
