// Quantities for validation, on top of the shared resource.Quantity (packages/api/src/quantity):
// a parse that returns ParseQuantity's error message instead of throwing, the sign, and the Go
// syntax k8s prints for a Quantity passed by value (its String method needs a pointer).
import type { JsonValue } from '../object.ts';
import type { Quantity } from '../quantity/index.ts';
import { canonicalQuantity, compareQuantities, parseQuantity, QuantityError, quantityMilliValue, quantityValue } from '../quantity/index.ts';
import { goQuote } from './go-format.ts';

export type { Quantity };
export { canonicalQuantity, compareQuantities, parseQuantity, quantityMilliValue, quantityValue };

/** ParseQuantity's message for text that is not a quantity at all (also what it says for a JSON
 *  object or boolean given as a quantity). */
export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** A JSON quantity (a string, or a number on input) parsed, or ParseQuantity's error message. */
export function quantityOf(value: JsonValue | undefined): Quantity | string {
  if (typeof value !== 'string' && typeof value !== 'number') return ERR_FORMAT_WRONG;
  try {
    return parseQuantity(typeof value === 'string' ? value.trim() : value);
  } catch (err) {
    if (err instanceof QuantityError) return err.message;
    throw err;
  }
}

export function sign(q: Quantity): number {
  return q.mantissa > 0n ? 1 : q.mantissa < 0n ? -1 : 0;
}

/** %#v of a resource.Quantity: its int64Amount, and the cached text only when k8s keeps one. */
export function goQuantity(q: Quantity): string {
  return (
    `resource.Quantity{i:resource.int64Amount{value:${q.mantissa}, scale:${q.exponent}}, ` +
    `d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${goQuote(q.text ?? '')}, Format:${goQuote(q.format)}}`
  );
}
