import { describe, expect, it } from 'vitest';
import { compareQuantities } from './arithmetic.ts';
import { canonicalQuantity } from './canonical.ts';
import { parseQuantity } from './parse.ts';
import { QuantityError } from './quantity.ts';

const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function canonical(text: string | number): string {
  return canonicalQuantity(parseQuantity(text));
}

describe('canonicalQuantity of parsed text', () => {
  it.each([
    // already canonical: printed back unchanged
    ['0', '0'],
    ['1', '1'],
    ['100m', '100m'],
    ['1500m', '1500m'],
    ['250Mi', '250Mi'],
    ['1Gi', '1Gi'],
    ['1e3', '1e3'],
    ['12E', '12E'],
    ['80n', '80n'],
    // recomputed: largest suffix without a fraction
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['0.5', '500m'],
    ['1.08', '1080m'],
    ['1000', '1k'],
    ['1000M', '1G'],
    ['1000000k', '1G'],
    ['0.001T', '1G'],
    ['1080000000n', '1080m'],
    ['1024Mi', '1Gi'],
    ['1024Gi', '1Ti'],
    ['307200Ki', '300Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['1.5Ki', '1536'], // no whole number of Ki: printed in units
    ['.001Ki', '1024m'], // binary values below 1024 print as DecimalSI
    ['.000001Ki', '1024u'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['-1.5', '-1500m'],
    ['-0.5Mi', '-512Ki'],
    ['00', '0'],
    ['0Ki', '0'],
  ])('%j → %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('rounds up to nanounits, away from zero: asking for some gives some', () => {
    expect(canonical('3.001n')).toBe('4n');
    expect(canonical('0.0000000001')).toBe('1n');
    expect(canonical('0.00000012345')).toBe('124n');
    expect(canonical('1.1E-9')).toBe('2e-9');
    expect(canonical('.000000000001Ki')).toBe('2n');
    expect(canonical('-0.1n')).toBe('-1n');
    expect(canonical('1e-2000000000')).toBe('1e-9');
  });

  it('caps binary quantities at the int64 maximum, but not decimal ones', () => {
    expect(canonical('9Ei')).toBe('9223372036854775807');
    expect(canonical('-9223372036854775807Ki')).toBe('-9223372036854775807');
    expect(canonical('12E')).toBe('12E');
    expect(compareQuantities(parseQuantity('10000E'), parseQuantity('1e22'))).toBe(0);
  });

  it('prints a bare mantissa past "E" and "Ei", as Kubernetes does', () => {
    expect(canonical('1000E')).toBe('1');
    expect(canonical('10000E')).toBe('10');
  });

  it('keeps the text Kubernetes keeps, even when it is not canonical', () => {
    // k8s reuses the input when its fast path judges it canonical; kubectl apply sees these.
    expect(canonical('1.500')).toBe('1.500');
    expect(canonical('100.035k')).toBe('100.035k');
    expect(canonical('+1')).toBe('+1');
    expect(canonical('+1Mi')).toBe('+1Mi');
    expect(canonical('1.G')).toBe('1.G');
    expect(canonical('1023Ki')).toBe('1023Ki');
    expect(parseQuantity('1.5').text).toBeUndefined();
    expect(parseQuantity('8Ki').text).toBeUndefined();
  });

  it('records the format of the suffix', () => {
    expect(parseQuantity('1Ki').format).toBe('BinarySI');
    expect(parseQuantity('1k').format).toBe('DecimalSI');
    expect(parseQuantity('1e3').format).toBe('DecimalExponent');
    expect(parseQuantity('0.5Ki').format).toBe('BinarySI');
    expect(parseQuantity('0.0001Ki').format).toBe('DecimalSI');
  });

  it('reads JSON numbers through their text', () => {
    expect(canonical(1)).toBe('1');
    expect(canonical(0.5)).toBe('500m');
    expect(canonical(2000)).toBe('2k');
    expect(canonical(1e21)).toBe('1e+21'); // JavaScript's text for the number
    expect(() => parseQuantity(Number.NaN)).toThrow(new QuantityError(FORMAT_WRONG));
  });

  it('reads what the lenient scanner reads', () => {
    expect(canonical('.')).toBe('0');
    expect(canonical('+')).toBe('0');
    expect(canonical('Ki')).toBe('0');
    expect(canonical('1.')).toBe('1.');
  });
});

describe('parseQuantity errors', () => {
  it.each(['', ' 1', '1 ', '1.1.M', '1+1.0M', 'aoeu', '0.1am', '1.5 Gi'])('%j does not match the quantity syntax', (text) => {
    expect(() => parseQuantity(text)).toThrow(new QuantityError(FORMAT_WRONG));
  });

  it.each(['0.1mi', '1i', '.5i', '-3.01i', '-3.01e-', '1e', '1ki', '5Ki5', '--1', '1e99999999999999999999'])('%j has an unknown suffix', (text) => {
    expect(() => parseQuantity(text)).toThrow(new QuantityError("unable to parse quantity's suffix"));
  });

  it('rejects a number without digits where the decimal parser sees it', () => {
    expect(() => parseQuantity('.e-10')).toThrow(new QuantityError('unable to parse numeric part of quantity'));
  });
});
