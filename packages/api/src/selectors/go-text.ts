// Kubernetes builds its selector error messages with Go's fmt verbs and its validation
// helpers (field.Error, utilerrors.Aggregate). These functions reproduce that text so our
// messages read exactly like the real apiserver's.

import { goQuote } from '../go-quote.ts';

export { goQuote };

/** A []string as Go's %#v prints it; an empty slice prints as the nil slice it is there. */
export function goStringSlice(values: readonly string[]): string {
  if (values.length === 0) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** field.Invalid(path, value, detail).Error() */
export function invalidValue(path: string, value: string | readonly string[], detail: string): string {
  const shown = typeof value === 'string' ? goQuote(value) : goStringSlice(value);
  return `${path}: Invalid value: ${shown}: ${detail}`;
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated in brackets. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** Go's sort.Strings order: byte-wise over UTF-8, which is code point order. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Go's len(): the UTF-8 byte length. */
export function goLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
