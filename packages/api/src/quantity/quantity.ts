// resource.Quantity: a fixed-point number with a remembered format, never a float.

/** How a quantity prints: "12e6", "12Mi" (×2^20) or "12M" (×10^6). */
export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** The exact value is mantissa × 10^exponent. */
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly format: QuantityFormat;
  /**
   * The text it was parsed from, when Kubernetes keeps that text and serializes it verbatim
   * instead of recomputing the canonical form (see parseQuantity).
   */
  readonly text?: string;
}

export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

/** Largest exponent gap arithmetic will bridge exactly (a 10^n bigint); past it, QuantityError. */
export const MAX_EXACT_DIGITS = 10_000;

export function digitCount(value: bigint): number {
  return (value < 0n ? -value : value).toString().length;
}

/**
 * value / 10^places rounded away from zero, and whether that was exact. Never builds 10^places
 * when |value| is smaller; refuses (QuantityError) to build an integer of more than
 * MAX_EXACT_DIGITS digits.
 */
export function divideAwayFromZero(value: bigint, places: number): { value: bigint; exact: boolean } {
  if (value === 0n) return { value, exact: true };
  if (places <= 0) {
    if (digitCount(value) - places > MAX_EXACT_DIGITS) throw new QuantityError('quantity is too large to compute exactly');
    return { value: value * 10n ** BigInt(-places), exact: true };
  }
  if (digitCount(value) <= places) return { value: value < 0n ? -1n : 1n, exact: false };
  const divisor = 10n ** BigInt(places);
  const quotient = value / divisor;
  if (value % divisor === 0n) return { value: quotient, exact: true };
  return { value: value < 0n ? quotient - 1n : quotient + 1n, exact: false };
}
