// The message of a 422 Invalid Status, as apimachinery's errors.NewInvalid writes it:
//   Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0
// Several errors are joined in brackets; identical ones are reported once.
import type { FieldError } from './field-error.ts';
import { errorText } from './field-error.ts';
import { goQuote } from './go-format.ts';

export function invalidMessage(kind: string, group: string, name: string, errors: FieldError[]): string {
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const head = `${qualifiedKind} ${goQuote(name)} is invalid`;
  const texts = [...new Set(errors.map(errorText))];
  if (texts.length === 0) return head;
  if (texts.length === 1) return `${head}: ${texts[0]}`;
  return `${head}: [${texts.join(', ')}]`;
}
