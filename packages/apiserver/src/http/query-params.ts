// Numbers in the query string, read as Kubernetes' parameter codec reads them: with Go's strconv,
// whose error text is what the 400 Status says ("strconv.ParseInt: parsing \"abc\": invalid syntax").
import { goQuote } from '@k8ts/api/validation/go-format.ts';
import { errors } from './api-error.ts';

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64 = { min: 0n, max: 2n ** 64n - 1n };

/** A number Go's strconv would not accept; the message is Go's. */
export class GoNumberError extends Error {}

function parse(func: 'ParseInt' | 'ParseUint', text: string): number {
  const fail = (why: string): never => {
    throw new GoNumberError(`strconv.${func}: parsing ${goQuote(text)}: ${why}`);
  };
  // Base 10: digits only, a sign only for ParseInt, no spaces or underscores.
  if (!(func === 'ParseInt' ? /^[+-]?[0-9]+$/ : /^[0-9]+$/).test(text)) fail('invalid syntax');
  const value = BigInt(text);
  const range = func === 'ParseInt' ? INT64 : UINT64;
  if (value < range.min || value > range.max) fail('value out of range');
  return Number(value);
}

/** strconv.ParseInt(text, 10, 64): limit, timeoutSeconds, gracePeriodSeconds. */
export function parseGoInt64(text: string): number {
  return parse('ParseInt', text);
}

/** strconv.ParseUint(text, 10, 64): resource versions. */
export function parseGoUint64(text: string): number {
  return parse('ParseUint', text);
}

/** An int64 query parameter (limit, timeoutSeconds, gracePeriodSeconds); 400 with Go's words. */
export function queryInt64(text: string): number {
  try {
    return parseGoInt64(text);
  } catch (err) {
    if (err instanceof GoNumberError) throw errors.badRequest(err.message);
    throw err;
  }
}
