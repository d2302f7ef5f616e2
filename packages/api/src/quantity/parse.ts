// ParseQuantity: "<sign><digits>[.<digits>]<suffix>" with the suffixes of resource.Quantity,
// rounded up to nanounits, and the parser's rule for when the input text is kept verbatim.
import { divideAwayFromZero, QuantityError, type Quantity, type QuantityFormat } from './quantity.ts';

const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const NUMERIC_WRONG = 'unable to parse numeric part of quantity';
const SUFFIX_WRONG = "unable to parse quantity's suffix";

const SUFFIX_LETTERS = 'eEinumkKMGTP';

interface Parts {
  negative: boolean;
  /** Integer digits without leading zeros ("0" when there are none). */
  whole: string;
  fraction: string;
  /** Whether the number had any digit at all ("." and "+" have none, "+" still reads as 0). */
  hasDigits: boolean;
  suffix: string;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Splits the text like k8s' scanner, which is more lenient than the regex it quotes. */
function split(text: string): Parts {
  const parts: Parts = { negative: false, whole: '0', fraction: '', hasDigits: true, suffix: '' };
  let i = 0;
  if (text[0] === '-' || text[0] === '+') {
    parts.negative = text[0] === '-';
    i = 1;
  }
  while (text[i] === '0') i++;
  if (i === text.length) return parts; // only a sign and zeros: zero
  const wholeStart = i;
  while (isDigit(text[i])) i++;
  if (i > wholeStart) parts.whole = text.slice(wholeStart, i);
  if (text[i] === '.') {
    const fractionStart = ++i;
    while (isDigit(text[i])) i++;
    parts.fraction = text.slice(fractionStart, i);
  }
  parts.hasDigits = /[0-9]/.test(text.slice(0, i));
  const suffixStart = i;
  while (i < text.length && SUFFIX_LETTERS.includes(text[i])) i++;
  if (i < text.length && (text[i] === '+' || text[i] === '-')) i++;
  while (isDigit(text[i])) i++;
  if (i !== text.length) throw new QuantityError(FORMAT_WRONG);
  parts.suffix = text.slice(suffixStart);
  return parts;
}

interface Unit {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

const DECIMAL_SI: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function unitOf(suffix: string): Unit {
  if (Object.hasOwn(DECIMAL_SI, suffix)) return { base: 10, exponent: DECIMAL_SI[suffix], format: 'DecimalSI' };
  if (Object.hasOwn(BINARY_SI, suffix)) return { base: 2, exponent: BINARY_SI[suffix], format: 'BinarySI' };
  // "e<int64>"/"E<int64>", stored in an int32 (so huge exponents wrap, as in k8s).
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = BigInt(suffix.slice(1));
    if (BigInt.asIntN(64, exponent) === exponent) {
      return { base: 10, exponent: Number(BigInt.asIntN(32, exponent)), format: 'DecimalExponent' };
    }
  }
  throw new QuantityError(SUFFIX_WRONG);
}

/** Whether k8s' int64 fast path parses this number (the rest goes through inf.Dec). */
function fastPathTakes(parts: Parts, unit: Unit): boolean {
  if (unit.base === 2) {
    // Its precision estimate: each binary step of 2^10 costs about 3 of 15 decimal digits.
    return parts.fraction === '' && 14 - parts.whole.length - (unit.exponent * 3) / 10 >= 0;
  }
  const scale = (unit.exponent - parts.fraction.length) | 0;
  return parts.whole.length + parts.fraction.length <= 18 && scale >= -9;
}

/**
 * The fast path keeps the input text as the serialized form when it looks canonical; all
 * other quantities are recomputed on output. This reproduces that decision, quirks
 * included ("1.500" and "+1Mi" are kept as written).
 */
function keptText(parts: Parts, unit: Unit): boolean {
  if (!fastPathTakes(parts, unit)) return false;
  if (unit.base === 2) return (BigInt(parts.whole) & 7n) !== 0n;
  const digits = parts.whole + parts.fraction;
  const scale = (unit.exponent - parts.fraction.length) | 0;
  return scale % 3 === 0 && !digits.endsWith('000') && digits[0] !== '0';
}

const MAX_INT64 = (1n << 63n) - 1n;
const NANO_EXPONENT = -9;

/**
 * Parses a quantity as the apiserver does when it decodes JSON. A number is read through its
 * JavaScript text (Go sees the raw JSON text, so `1e3` written as a JSON number prints "1k"
 * here but "1e3" there; pass the raw text as a string where it matters).
 */
export function parseQuantity(input: string | number): Quantity {
  if (typeof input === 'number' && !Number.isFinite(input)) throw new QuantityError(FORMAT_WRONG);
  const text = typeof input === 'number' ? String(input) : input;
  if (text === '') throw new QuantityError(FORMAT_WRONG);
  if (text === '0') return { mantissa: 0n, exponent: 0, format: 'DecimalSI', text };

  const parts = split(text);
  const unit = unitOf(parts.suffix);
  // The slow path hands the number to inf.Dec, which rejects a number without digits.
  if (!parts.hasDigits && !fastPathTakes(parts, unit)) throw new QuantityError(NUMERIC_WRONG);
  const keep = keptText(parts, unit);

  let mantissa = BigInt(parts.whole + parts.fraction);
  let exponent = -parts.fraction.length;
  if (unit.base === 10) exponent += unit.exponent;
  else mantissa <<= BigInt(unit.exponent);
  if (parts.negative) mantissa = -mantissa;

  // Round non-zero values up (away from zero) to nanounits: asking for some means getting some.
  if (exponent < NANO_EXPONENT) {
    mantissa = divideAwayFromZero(mantissa, NANO_EXPONENT - exponent).value;
    exponent = NANO_EXPONENT;
  }
  let format = unit.format;
  if (format === 'BinarySI') {
    const magnitude = mantissa < 0n ? -mantissa : mantissa;
    const limit = MAX_INT64 * 10n ** BigInt(-exponent);
    if (magnitude > limit) {
      mantissa = mantissa < 0n ? -MAX_INT64 : MAX_INT64; // binary quantities are capped at int64
      exponent = 0;
    } else if (magnitude !== 0n && magnitude < 10n ** BigInt(-exponent)) {
      format = 'DecimalSI'; // below 1 there is no binary suffix to use
    }
  }
  return keep ? { mantissa, exponent, format, text } : { mantissa, exponent, format };
}
