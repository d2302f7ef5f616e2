// Quantity.String(): the canonical form the apiserver serializes. No precision is lost, no
// fractional digits are printed, and the exponent (suffix) is as large as possible.
import { compareQuantities } from './arithmetic.ts';
import { divideAwayFromZero, type Quantity } from './quantity.ts';

const DECIMAL_SUFFIXES = new Map([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
]);
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const BINARY_THRESHOLD: Quantity = { mantissa: 1024n, exponent: 0, format: 'DecimalSI' };
const NEGATIVE_BINARY_THRESHOLD: Quantity = { mantissa: -1024n, exponent: 0, format: 'DecimalSI' };

/** mantissa × 10^exponent with the exponent lowered to a multiple of 3, zeros moved out first. */
function decimalParts(q: Quantity): { mantissa: bigint; exponent: number } {
  let { mantissa, exponent } = q;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const extra = ((exponent % 3) + 3) % 3;
  return { mantissa: mantissa * 10n ** BigInt(extra), exponent: exponent - extra };
}

function formatDecimal(q: Quantity, exponentStyle: boolean): string {
  const { mantissa, exponent } = decimalParts(q);
  if (exponentStyle) return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Past "E" (10^18) k8s has no suffix and prints the bare mantissa; so do we.
  return `${mantissa}${DECIMAL_SUFFIXES.get(exponent) ?? ''}`;
}

/** An integer as n × 1024^k with the largest k; past "Ei" k8s prints no suffix, as here. */
function formatBinary(integer: bigint): string {
  let power = 0;
  while (integer % 1024n === 0n) {
    integer /= 1024n;
    power++;
  }
  return `${integer}${BINARY_SUFFIXES[power] ?? ''}`;
}

/**
 * The text Kubernetes serializes for `q`: the parsed text when k8s keeps it, else the
 * canonical form ("1.5" → "1500m", "1024Mi" → "1Gi", "0.1" → "100m", "1e3" → "1e3").
 * BinarySI values below 1024 in magnitude, or with a fraction, print as DecimalSI.
 */
export function canonicalQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.mantissa === 0n) return '0';
  if (q.format === 'BinarySI') {
    const small = compareQuantities(q, NEGATIVE_BINARY_THRESHOLD) > 0 && compareQuantities(q, BINARY_THRESHOLD) < 0;
    if (small) return formatDecimal(q, false);
    // Binary suffixes need a whole number; a fraction keeps its precision in DecimalSI.
    const integer = divideAwayFromZero(q.mantissa, -q.exponent);
    return integer.exact ? formatBinary(integer.value) : formatDecimal(q, false);
  }
  return formatDecimal(q, q.format === 'DecimalExponent');
}
