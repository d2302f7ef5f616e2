// Checking an applied configuration against the schema before it is merged, with
// structured-merge-diff's messages: unknown fields, wrong JSON types, list items without their
// keys, duplicate keys. The apiserver reports them as `failed to create typed patch object (…): …`.
import { isJsonObject, type JsonValue } from '../object.ts';
import { goTypeName, smdValueSyntax, smdValueV } from './go-format.ts';
import { isPathElement, listItemPathElement } from './list-items.ts';
import { pathElementString, serializePathElement } from './path.ts';
import { fieldType, resolveAtom, type ScalarType, type SmdType } from './smd-type.ts';

interface ValidationError {
  path: string;
  message: string;
}

/** Validation errors, each as structured-merge-diff prints it (`.spec.foo: field not declared in schema`). */
export function validateValue(value: JsonValue, type: SmdType): string[] {
  return walk(value, type).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
}

/** structured-merge-diff's rendering of a list of validation errors. */
export function formatValidationErrors(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0] : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
}

function walk(value: JsonValue, type: SmdType): ValidationError[] {
  const atom = resolveAtom(type, value);
  if (atom.kind === 'scalar') return validateScalar(atom, value);
  if (value === null) return [];
  if (atom.kind === 'list') {
    if (!Array.isArray(value)) return [{ path: '', message: `expected list, got ${smdValueV(value)}` }];
    const errors: ValidationError[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < value.length; i++) {
      let prefix = `[${i}]`;
      if (atom.associative) {
        const element = listItemPathElement(atom, value[i]);
        // An item without a path element stops the walk: nothing below it can be named.
        if (!isPathElement(element)) return [...errors, { path: '', message: `element ${i}: ${element.error}` }];
        prefix = pathElementString(element);
        const id = serializePathElement(element);
        if (seen.has(id)) errors.push({ path: '', message: `duplicate entries for key ${prefix}` });
        seen.add(id);
      }
      errors.push(...prefixed(prefix, walk(value[i], atom.element)));
    }
    return errors;
  }
  if (!isJsonObject(value)) return [{ path: '', message: `expected map, got ${smdValueV(value)}` }];
  const errors: ValidationError[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childType = fieldType(atom, key);
    // The first unknown field ends the walk of its map.
    if (!childType) return [...errors, { path: `.${key}`, message: 'field not declared in schema' }];
    errors.push(...prefixed(`.${key}`, walk(child, childType)));
  }
  return errors;
}

function prefixed(prefix: string, errors: ValidationError[]): ValidationError[] {
  return errors.map((e) => ({ path: prefix + e.path, message: e.message }));
}

function validateScalar(type: ScalarType, v: JsonValue): ValidationError[] {
  if (v === null) return [];
  const fail = (message: string) => [{ path: '', message }];
  switch (type.scalar) {
    case 'numeric':
      return typeof v === 'number' ? [] : fail(`expected numeric (int or float), got ${goTypeName(v)}`);
    case 'string':
      return typeof v === 'string' ? [] : fail(`expected string, got ${smdValueSyntax(v)}`);
    case 'boolean':
      return typeof v === 'boolean' ? [] : fail(`expected boolean, got ${smdValueV(v)}`);
    default:
      return typeof v === 'object' ? fail(`expected any scalar, got ${smdValueV(v)}`) : [];
  }
}
