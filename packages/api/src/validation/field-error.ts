// Field errors as k8s.io/apimachinery/pkg/util/validation/field builds them. A FieldError carries
// the final cause message (the text of the Status cause, without the field path), so the rules below
// decide once how a bad value is printed: Go prints strings with %q, numbers and booleans plainly,
// and everything else as Go syntax (%#v) — see go-format.ts for those renderings.
import { goQuote, GoSyntax } from './go-format.ts';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound'
  | 'InternalError';

/** One cause of a 422. `message` is exactly the Status cause message k8s sends, e.g. "Required value",
 *  'Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of …',
 *  'Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"'. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  message: string;
}

/** A bad value as Go would hold it: plain JSON scalars, `null` for a nil pointer, or text already
 *  rendered in Go syntax (structs, slices, maps — what %#v or a String() method prints). */
export type BadValue = string | number | boolean | null | GoSyntax;

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotFound: 'Not found',
  InternalError: 'Internal error',
};

function renderValue(value: BadValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value.text;
}

/** The body of a cause: "<type text>[: <value>][: <detail>]", as field.Error.ErrorBody() writes it. */
function body(type: FieldErrorType, value: BadValue | undefined, detail: string): string {
  let text = TYPE_TEXT[type];
  if (value !== undefined) text += `: ${renderValue(value)}`;
  if (detail !== '') text += `: ${detail}`;
  return text;
}

/** A field path as field.Path prints it: children joined by ".", indexes and map keys in brackets. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(...names: string[]): FieldPath {
    return new FieldPath(names.join('.'));
  }

  child(...names: string[]): FieldPath {
    const joined = names.join('.');
    return new FieldPath(this.text === '' ? joined : `${this.text}.${joined}`);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

export type ErrorList = FieldError[];

export function required(path: FieldPath, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field: path.toString(), message: body('FieldValueRequired', undefined, detail) };
}

export function invalid(path: FieldPath, value: BadValue, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path.toString(), message: body('FieldValueInvalid', value, detail) };
}

/** field.NotSupported: the supported values are listed quoted, in the order given. */
export function notSupported(path: FieldPath, value: BadValue, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map(goQuote).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field: path.toString(), message: body('FieldValueNotSupported', value, detail) };
}

export function duplicate(path: FieldPath, value: BadValue, detail = ''): FieldError {
  return { type: 'FieldValueDuplicate', field: path.toString(), message: body('FieldValueDuplicate', value, detail) };
}

export function forbidden(path: FieldPath, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field: path.toString(), message: body('FieldValueForbidden', undefined, detail) };
}

export function notFound(path: FieldPath, value: BadValue, detail = ''): FieldError {
  return { type: 'FieldValueNotFound', field: path.toString(), message: body('FieldValueNotFound', value, detail) };
}

/** field.TooLong never shows the value. */
export function tooLong(path: FieldPath, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long';
  return { type: 'FieldValueTooLong', field: path.toString(), message: body('FieldValueTooLong', undefined, detail) };
}

export function tooMany(path: FieldPath, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} items` : 'has too many items';
  return { type: 'FieldValueTooMany', field: path.toString(), message: body('FieldValueTooMany', actual >= 0 ? actual : undefined, detail) };
}

/** The one-line form of an error ("field: body"), as field.Error.Error() and the 422 message use it. */
export function errorText(error: FieldError): string {
  return `${error.field}: ${error.message}`;
}

/** Errors that all report the same value for a path with one message each, as k8s' helpers that
 *  turn a list of message strings into field errors do. */
export function invalidEach(path: FieldPath, value: BadValue, messages: readonly string[]): FieldError[] {
  return messages.map((message) => invalid(path, value, message));
}
