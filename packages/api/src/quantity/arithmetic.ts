// Exact comparison and arithmetic on quantities, and their integer values rounded like k8s.
import { digitCount, divideAwayFromZero, MAX_EXACT_DIGITS, QuantityError, type Quantity } from './quantity.ts';

function sign(value: bigint): number {
  return value > 0n ? 1 : value < 0n ? -1 : 0;
}

/** -1, 0 or 1 as a < b, a = b, a > b; exact whatever the formats and exponents. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const signA = sign(a.mantissa);
  const signB = sign(b.mantissa);
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  // Same sign: compare orders of magnitude first, so 1e900000 never becomes a 900000-digit number.
  const orderA = digitCount(a.mantissa) + a.exponent;
  const orderB = digitCount(b.mantissa) + b.exponent;
  if (orderA !== orderB) return (orderA < orderB ? -1 : 1) * signA;
  const exponent = Math.min(a.exponent, b.exponent);
  const scaledA = a.mantissa * 10n ** BigInt(a.exponent - exponent);
  const scaledB = b.mantissa * 10n ** BigInt(b.exponent - exponent);
  return scaledA === scaledB ? 0 : scaledA < scaledB ? -1 : 1;
}

/** Both mantissas at the smaller exponent. */
function aligned(a: Quantity, b: Quantity): { a: bigint; b: bigint; exponent: number } {
  const exponent = Math.min(a.exponent, b.exponent);
  const gap = Math.max(a.exponent, b.exponent) - exponent;
  if (gap > MAX_EXACT_DIGITS) throw new QuantityError('quantities are too far apart in magnitude to add exactly');
  return { a: a.mantissa * 10n ** BigInt(a.exponent - exponent), b: b.mantissa * 10n ** BigInt(b.exponent - exponent), exponent };
}

/**
 * a + b. The result keeps a's format, or takes b's when a is zero (Quantity.Add); it is
 * recomputed for output, never the text either side was parsed from.
 */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const format = a.mantissa === 0n ? b.format : a.format;
  if (b.mantissa === 0n) return { mantissa: a.mantissa, exponent: a.exponent, format };
  if (a.mantissa === 0n) return { mantissa: b.mantissa, exponent: b.exponent, format };
  const sum = aligned(a, b);
  return { mantissa: sum.a + sum.b, exponent: sum.exponent, format };
}

/** a − b, with Quantity.Sub's format rule (a's, or b's when a is zero). */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return addQuantities(a, { mantissa: -b.mantissa, exponent: b.exponent, format: b.format });
}

/** Quantity.Value(): the value as an integer, rounded up away from zero ("1.1" → 2, "100m" → 1). */
export function quantityValue(q: Quantity): bigint {
  return divideAwayFromZero(q.mantissa, -q.exponent).value;
}

/** Quantity.MilliValue(): ceil(q × 1000) away from zero ("1.5" → 1500, "1n" → 1). */
export function quantityMilliValue(q: Quantity): bigint {
  return divideAwayFromZero(q.mantissa, -(q.exponent + 3)).value;
}
