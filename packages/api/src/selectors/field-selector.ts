// Field selectors (apimachinery fields.ParseSelector): "f=v", "f==v", "f!=v", comma = AND.
// In values, "\", "," and "=" are written "\\", "\," and "\=".
import { compareGoStrings } from './go-text.ts';
import { SelectorError } from './selector-error.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Splits on commas that are not escaped; escapes stay in the terms for unescapeValue. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    if (escaped) escaped = false;
    else if (text[i] === '\\') escaped = true;
    else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Operators in the order k8s tries them at each position, so "==" wins over "=". */
const TERM_OPERATORS = ['!=', '==', '='] as const;

/** The first operator in the term splits it; the field part cannot escape anything. */
function splitTerm(term: string): { field: string; operator: (typeof TERM_OPERATORS)[number]; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of TERM_OPERATORS) {
      if (term.startsWith(operator, i)) return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

function unescapeValue(raw: string): string {
  let value = '';
  let escaped = false;
  for (const ch of raw) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      value += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Go prints the offending rune with %v, i.e. as its number.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      value += ch;
    }
  }
  if (escaped) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return value;
}

/**
 * Parses a fieldSelector query parameter. Terms come back sorted as k8s sorts them (by their
 * raw text), empty terms are skipped, nothing is trimmed. Throws SelectorError with the
 * apiserver's message.
 */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const terms = splitTerms(text).sort(compareGoStrings);
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (parts === undefined) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({ field: parts.field, operator: parts.operator === '!=' ? '!=' : '=', value: unescapeValue(parts.value) });
  }
  return requirements;
}

function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** The selector as k8s prints it ("spec.nodeName=n1,status.phase!=Failed"), values escaped. */
export function formatFieldSelector(requirements: readonly FieldRequirement[]): string {
  return requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
}

/** Every requirement holds; a field the object does not have counts as "". */
export function matchesFields(requirements: readonly FieldRequirement[], fields: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => {
    const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
    return r.operator === '=' ? actual === r.value : actual !== r.value;
  });
}
