import { describe, expect, it } from 'vitest';
import { checkHistory } from './check.ts';
import type { Operation, RegisterInput, RegisterOutput } from './history.ts';
import { seededRandom } from '../raft/prng.ts';

/** A history builder: op(client, input, [invoke, return], output), or no return/output for unknown. */
function historyOf(...specs: Array<[string, RegisterInput, [number, number?], RegisterOutput?, string?]>): Operation[] {
  return specs.map(([client, input, [invokedAt, returnedAt], output, key], id) => ({
    id, client, key: key ?? 'k', input, invokedAt, returnedAt, output,
  }));
}
const put = (value: string): RegisterInput => ({ type: 'put', value });
const get: RegisterInput = { type: 'get' };
const cas = (expect: string, value: string): RegisterInput => ({ type: 'cas', expect, value });
const del: RegisterInput = { type: 'delete' };
const ok: RegisterOutput = { type: 'put' };
const read = (value: string | null): RegisterOutput => ({ type: 'get', value });
const casResult = (succeeded: boolean): RegisterOutput => ({ type: 'cas', succeeded });

describe('checkHistory: linearizable histories', () => {
  it('accepts sequential puts and reads', () => {
    const h = historyOf(['c1', put('a'), [0, 1], ok], ['c2', get, [2, 3], read('a')], ['c1', del, [4, 5], { type: 'delete', deleted: 1 }], ['c2', get, [6, 7], read(null)]);
    expect(checkHistory(h)).toMatchObject({ linearizable: true, violations: [], undecided: [] });
  });

  it('accepts a read that sees either side of a concurrent write', () => {
    for (const seen of [null, 'a']) {
      const h = historyOf(['c1', put('a'), [0, 10], ok], ['c2', get, [1, 2], read(seen)]);
      expect(checkHistory(h).linearizable).toBe(true);
    }
  });

  it('accepts reads that order concurrent writes the reverse of their invocation', () => {
    const h = historyOf(
      ['c1', put('a'), [0, 10], ok],
      ['c2', put('b'), [1, 10], ok],
      ['c3', get, [11, 12], read('a')], // b took effect before a
    );
    expect(checkHistory(h).linearizable).toBe(true);
  });

  it('lets a write with an unknown outcome take effect late, or never', () => {
    const lateEffect = historyOf(['c1', put('a'), [0]], ['c2', get, [5, 6], read(null)], ['c2', get, [50, 51], read('a')]);
    const noEffect = historyOf(['c1', put('a'), [0]], ['c2', get, [50, 51], read(null)]);
    expect(checkHistory(lateEffect).linearizable).toBe(true);
    expect(checkHistory(noEffect).linearizable).toBe(true);
  });

  it('accepts one CAS winner among concurrent CASes', () => {
    const h = historyOf(
      ['c0', put('0'), [0, 1], ok],
      ['c1', cas('0', 'x'), [2, 10], casResult(true)],
      ['c2', cas('0', 'y'), [3, 9], casResult(false)],
      ['c3', get, [11, 12], read('x')],
    );
    expect(checkHistory(h).linearizable).toBe(true);
  });

  it('checks keys independently', () => {
    const h = historyOf(['c1', put('a'), [0, 1], ok, 'x'], ['c2', put('b'), [0, 1], ok, 'y'], ['c1', get, [2, 3], read('a'), 'x'], ['c2', get, [2, 3], read('b'), 'y']);
    expect(checkHistory(h)).toMatchObject({ linearizable: true, keys: 2, operations: 4 });
  });
});

describe('checkHistory: violations', () => {
  it('a stale read: the read began after the write was acknowledged but missed it', () => {
    const h = historyOf(['c1', put('a'), [0, 1], ok], ['c1', put('b'), [2, 3], ok], ['c2', get, [4, 5], read('a')]);
    const result = checkHistory(h);
    expect(result.linearizable).toBe(false);
    const [violation] = result.violations;
    expect(violation.culprit.id).toBe(2);
    expect(violation.explanation).toContain('#2 get → "a": it read "a" but the key holds "b"');
  });

  it('a lost write: an acknowledged put that later reads never see', () => {
    const h = historyOf(
      ['c1', put('a'), [0, 1], ok],
      ['c2', put('b'), [2, 3], ok],
      ['c3', get, [4, 5], read('b')],
      ['c3', get, [6, 7], read('a')], // b vanished: the state went back
    );
    const [violation] = checkHistory(h).violations;
    expect(violation.culprit.id).toBe(3);
    expect(violation.prefix.map((op) => op.id)).toEqual([0, 1, 2, 3]);
  });

  it('a CAS double success: two CASes from the same value both won', () => {
    const h = historyOf(
      ['c0', put('0'), [0, 1], ok],
      ['c1', cas('0', 'x'), [2, 10], casResult(true)],
      ['c2', cas('0', 'y'), [3, 9], casResult(true)],
    );
    const [violation] = checkHistory(h).violations;
    expect(violation.culprit.id).toBe(1); // returns last: only then are both successes certain
    expect(violation.explanation).toMatch(/cas "0"→"(x|y)" → succeeded: it succeeded but the key holds "(x|y)"/);
  });

  it('a read of a value nobody wrote', () => {
    const [violation] = checkHistory(historyOf(['c1', get, [0, 1], read('ghost')])).violations;
    expect(violation.explanation).toContain('No operation can go first');
  });

  it('reports the shortest failing prefix, not the whole history', () => {
    const specs: Array<[string, RegisterInput, [number, number?], RegisterOutput?]> = [];
    let t = 0;
    for (let i = 0; i < 20; i++) specs.push(['c1', put(`v${i}`), [t++, t++], ok]);
    specs.push(['c2', get, [t++, t++], read('v3')]); // stale: v19 is current
    for (let i = 20; i < 40; i++) specs.push(['c1', put(`v${i}`), [t++, t++], ok]);
    const [violation] = checkHistory(historyOf(...specs)).violations;
    expect(violation.culprit.id).toBe(20);
    expect(violation.prefix).toHaveLength(21);
    expect(violation.longest.map((step) => step.op.id)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('decides the same as an exhaustive search of all orders on random small histories', () => {
    const rng = seededRandom(99);
    const verdicts = { true: 0, false: 0 };
    for (let round = 0; round < 300; round++) {
      const h = randomHistory(rng, 6);
      const expected = bruteForce(h);
      expect(checkHistory(h).linearizable, JSON.stringify(h)).toBe(expected);
      verdicts[`${expected}`]++;
    }
    // Both verdicts occur often enough for the comparison to mean something.
    expect(Math.min(verdicts.true, verdicts.false)).toBeGreaterThan(30);
  });
});

/** Up to n overlapping ops on one key with random (often impossible) outputs. */
function randomHistory(rng: () => number, n: number): Operation[] {
  const values = ['a', 'b'];
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  return Array.from({ length: n }, (_, id) => {
    const invokedAt = Math.floor(rng() * 10);
    const returnedAt = rng() < 0.15 ? undefined : invokedAt + Math.floor(rng() * 5);
    const kind = pick(['put', 'get', 'cas', 'delete'] as const);
    const input: RegisterInput = kind === 'put' ? put(pick(values)) : kind === 'get' ? get : kind === 'cas' ? cas(pick(values), pick(values)) : del;
    const output: RegisterOutput =
      kind === 'put' ? ok : kind === 'get' ? read(pick([null, ...values])) : kind === 'cas' ? casResult(rng() < 0.5) : { type: 'delete', deleted: pick([0, 1]) };
    return { id, client: `c${id}`, key: 'k', input, invokedAt, returnedAt, output: returnedAt === undefined ? undefined : output };
  });
}

/** The definition, literally: some subset of unknown ops plus all answered ops, in some order
 *  respecting real time, replays correctly from the missing key. */
function bruteForce(ops: Operation[]): boolean {
  const precedes = (a: Operation, b: Operation) => a.returnedAt !== undefined && a.returnedAt < b.invokedAt;
  const apply = (state: string | null, op: Operation): string | null | undefined => {
    const { input, output } = op;
    if (input.type === 'put') return input.value;
    if (input.type === 'get') return output && output.type === 'get' && output.value !== state ? undefined : state;
    if (input.type === 'cas') {
      const m = state === input.expect;
      if (output && output.type === 'cas' && output.succeeded !== m) return undefined;
      return m ? input.value : state;
    }
    if (output && output.type === 'delete' && output.deleted !== (state === null ? 0 : 1)) return undefined;
    return null;
  };
  const required = ops.filter((op) => op.returnedAt !== undefined);
  const extend = (placed: Operation[], state: string | null): boolean => {
    if (required.every((op) => placed.includes(op))) return true;
    for (const op of ops) {
      if (placed.includes(op)) continue;
      if (ops.some((other) => !placed.includes(other) && other !== op && precedes(other, op))) continue;
      const next = apply(state, op);
      if (next !== undefined && extend([...placed, op], next)) return true;
    }
    return false;
  };
  return extend([], null);
}
