// The sequential specification of one key: a register holding a value or nothing. The checker
// asks it one question — "from this state, could this operation have returned this output,
// and what state follows?" — and asks it for a reason when the answer is no.
import { quote, type RegisterInput, type RegisterOutput } from './history.ts';

/** The key's value; null when the key does not exist. */
export type RegisterState = string | null;

export const INITIAL_REGISTER: RegisterState = null;

/**
 * The state after applying `input` to `state`, or undefined if `output` could not have come
 * from it. With no output (unknown outcome) the operation is applied as issued: if it took
 * effect at all, it took effect exactly this way.
 */
export function stepRegister(state: RegisterState, input: RegisterInput, output: RegisterOutput | undefined): RegisterState | undefined {
  switch (input.type) {
    case 'put':
      return input.value;
    case 'get':
      if (output?.type === 'get' && output.value !== state) return undefined;
      return state;
    case 'cas': {
      // etcd compares against the current value; a missing key has none, so it never matches.
      const matches = state === input.expect;
      if (output?.type === 'cas' && output.succeeded !== matches) return undefined;
      return matches ? input.value : state;
    }
    case 'delete':
      if (output?.type === 'delete' && output.deleted !== (state === null ? 0 : 1)) return undefined;
      return null;
  }
}

/** Why `output` cannot follow `state` (for explanations); undefined if it can. */
export function whyNot(state: RegisterState, input: RegisterInput, output: RegisterOutput | undefined): string | undefined {
  if (stepRegister(state, input, output) !== undefined) return undefined;
  switch (input.type) {
    case 'get': return `it read ${quote(output?.type === 'get' ? output.value : null)} but the key holds ${quote(state)}`;
    case 'cas': return `it ${output?.type === 'cas' && output.succeeded ? 'succeeded' : 'failed'} but the key holds ${quote(state)}`;
    case 'delete': return `it deleted ${output?.type === 'delete' ? output.deleted : '?'} but the key ${state === null ? 'is missing' : `holds ${quote(state)}`}`;
    case 'put': return 'a put always fits';
  }
}

/** A compact, unambiguous cache key for a state. */
export function registerStateKey(state: RegisterState): string {
  return state === null ? '\u0000' : `=${state}`;
}
