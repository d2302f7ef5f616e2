// Decoding checks the apiserver makes before validation, walking the schema registry the way the
// Go JSON decoder (sigs.k8s.io/json) walks the Go types:
//  - findTypeError: the error Go gives for a value of the wrong JSON type (400 Bad Request),
//  - findUnknownFields: properties no Go field takes (strict field validation),
//  - strictDecodingErrors: unknown and duplicate fields in document order, as k8s lists them.
import type { JsonObject, JsonValue } from '../object.ts';
import { isJsonObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import type { StrictJson } from './json-strict.ts';
import { ERR_FORMAT_WRONG, quantityOf } from './quantity.ts';

/** What a JSON value decodes into: a scalar, a message, or a list or map of those. */
type Target =
  | { kind: 'scalar'; type: string }
  | { kind: 'message'; message: MessageSchema }
  | { kind: 'list'; elem: Target }
  | { kind: 'map'; elem: Target };

function elementTarget(type: string, kind: 'scalar' | 'message'): Target {
  if (kind === 'scalar') return { kind: 'scalar', type };
  const message = schema.findMessage(type);
  return message ? { kind: 'message', message } : { kind: 'scalar', type: 'raw' };
}

function fieldTarget(field: FieldSchema): Target {
  if (field.kind === 'map') return { kind: 'map', elem: elementTarget(field.mapValue ?? 'string', field.mapValueKind ?? 'scalar') };
  const elem = elementTarget(field.type, field.kind === 'message' ? 'message' : 'scalar');
  return field.repeated ? { kind: 'list', elem } : elem;
}

const SCALAR_GO_TYPES: Record<string, string> = { string: 'string', int32: 'int32', int64: 'int64', bool: 'bool', double: 'float64', float: 'float32', bytes: '[]uint8' };

/** The Go type name Go's errors print: package name + type ("v1.PodSpec", "[]v1.Container"). */
function goTypeName(target: Target): string {
  switch (target.kind) {
    case 'scalar':
      return SCALAR_GO_TYPES[target.type] ?? target.type;
    case 'message':
      return `${target.message.package.split('.').pop()}.${target.message.name}`;
    case 'list':
      return `[]${goTypeName(target.elem)}`;
    case 'map':
      return `map[string]${goTypeName(target.elem)}`;
  }
}

function jsonKind(value: JsonValue): string {
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** Go's error context: the innermost struct and the JSON field names from the root. */
interface Context {
  struct: string;
  fields: string[];
}

function typeError(valueText: string, type: string, ctx: Context): string {
  return ctx.struct !== '' || ctx.fields.length > 0
    ? `json: cannot unmarshal ${valueText} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${type}`
    : `json: cannot unmarshal ${valueText} into Go value of type ${type}`;
}

const INT_RANGES: Record<string, [number, number]> = { int32: [-2147483648, 2147483647], int64: [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024] };

/** The error of Go's base64.StdEncoding.Decode (padding required, CR/LF ignored), or undefined. */
function base64Error(text: string): string | undefined {
  const corrupt = (at: number) => `illegal base64 data at input byte ${at}`;
  const isNewline = (ch: string | undefined) => ch === '\n' || ch === '\r';
  let si = 0;
  for (;;) {
    let j = 0;
    while (j < 4) {
      if (si === text.length) return j === 0 ? undefined : corrupt(si - j);
      const ch = text[si++];
      if (/[A-Za-z0-9+/]/.test(ch)) {
        j++;
        continue;
      }
      if (isNewline(ch)) continue;
      if (ch !== '=' || j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < text.length && isNewline(text[si])) si++;
        if (si === text.length) return corrupt(text.length);
        if (text[si] !== '=') return corrupt(si - 1);
        si++;
      }
      while (si < text.length && isNewline(text[si])) si++;
      return si < text.length ? corrupt(si) : undefined;
    }
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION = /^[-+]?(([0-9]*(\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/;

/** A decoding problem: `saved` ones (UnmarshalTypeError) let decoding go on and the first one
 *  wins; `fatal` ones (from a type's own UnmarshalJSON) stop decoding at once. */
interface Problem {
  message: string;
  fatal: boolean;
}

class TypeChecker {
  saved: string | undefined;

  private save(message: string): void {
    this.saved ??= message;
  }

  /** Returns a fatal problem, if decoding stops here. */
  check(value: JsonValue, target: Target, ctx: Context): Problem | undefined {
    if (value === null) return undefined;
    switch (target.kind) {
      case 'scalar':
        this.checkScalar(value, target.type, ctx);
        return undefined;
      case 'list':
        if (!Array.isArray(value)) {
          this.save(typeError(jsonKind(value), goTypeName(target), ctx));
          return undefined;
        }
        for (const item of value) {
          const fatal = this.check(item, target.elem, ctx);
          if (fatal) return fatal;
        }
        return undefined;
      case 'map':
        if (!isJsonObject(value)) {
          this.save(typeError(jsonKind(value), goTypeName(target), ctx));
          return undefined;
        }
        for (const key of Object.keys(value)) {
          const fatal = this.check(value[key], target.elem, ctx);
          if (fatal) return fatal;
        }
        return undefined;
      case 'message':
        return this.checkMessage(value, target.message, ctx);
    }
  }

  private checkScalar(value: JsonValue, type: string, ctx: Context): void {
    const goType = SCALAR_GO_TYPES[type] ?? type;
    if (type === 'raw') return;
    if (type === 'string') {
      if (typeof value !== 'string') this.save(typeError(jsonKind(value), goType, ctx));
    } else if (type === 'bool') {
      if (typeof value !== 'boolean') this.save(typeError(jsonKind(value), goType, ctx));
    } else if (type === 'bytes') {
      if (typeof value === 'string') {
        const problem = base64Error(value);
        if (problem) this.save(problem);
      } else if (!Array.isArray(value)) {
        this.save(typeError(jsonKind(value), goType, ctx));
      }
    } else if (typeof value !== 'number') {
      this.save(typeError(jsonKind(value), goType, ctx));
    } else if (type in INT_RANGES) {
      const [lo, hi] = INT_RANGES[type];
      if (!Number.isInteger(value) || value < lo || value > hi) this.save(typeError(`number ${value}`, goType, ctx));
    }
  }

  private checkMessage(value: JsonValue, message: MessageSchema, ctx: Context): Problem | undefined {
    switch (message.jsonShape) {
      case 'object':
        break;
      case 'raw':
      case 'fields-v1':
      case 'json-schema-or-array':
      case 'json-schema-or-bool':
      case 'json-schema-or-string-array':
        return undefined;
      case 'quantity': {
        if (typeof value !== 'string' && typeof value !== 'number') return { message: ERR_FORMAT_WRONG, fatal: true };
        const parsed = quantityOf(value);
        return typeof parsed === 'string' ? { message: parsed, fatal: true } : undefined;
      }
      case 'int-or-string':
        if (typeof value === 'string') return undefined;
        if (typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return undefined;
        return { message: typeError(typeof value === 'number' ? `number ${value}` : jsonKind(value), 'int32', ctx), fatal: true };
      case 'time':
      case 'micro-time':
        if (typeof value !== 'string') return { message: typeError(jsonKind(value), 'string', ctx), fatal: true };
        if (value !== '' && !RFC3339.test(value)) {
          return { message: `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`, fatal: true };
        }
        return undefined;
      case 'duration':
        if (typeof value !== 'string') return { message: typeError(jsonKind(value), 'string', ctx), fatal: true };
        return DURATION.test(value) ? undefined : { message: `time: invalid duration ${JSON.stringify(value)}`, fatal: true };
      case 'string-list':
        if (!Array.isArray(value)) {
          this.save(typeError(jsonKind(value), `${message.package.split('.').pop()}.${message.name}`, ctx));
          return undefined;
        }
        for (const item of value) if (item !== null && typeof item !== 'string') this.save(typeError(jsonKind(item), 'string', ctx));
        return undefined;
    }
    if (!isJsonObject(value)) {
      this.save(typeError(jsonKind(value), `${message.package.split('.').pop()}.${message.name}`, ctx));
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const field = message.properties.get(key);
      const inner: Context = { struct: message.name, fields: [...ctx.fields, key] };
      if (!field) {
        if (message.typeMeta && (key === 'apiVersion' || key === 'kind')) this.checkScalar(value[key], 'string', inner);
        continue;
      }
      const fatal = this.check(value[key], fieldTarget(field), inner);
      if (fatal) return fatal;
    }
    return undefined;
  }
}

/** The decoding error Go's JSON decoder gives for this value, or undefined when it decodes. */
export function findTypeError(message: MessageSchema, value: JsonValue): string | undefined {
  const checker = new TypeChecker();
  const fatal = checker.check(value, { kind: 'message', message }, { struct: '', fields: [] });
  return fatal ? fatal.message : checker.saved;
}

/** A key of a decoded object: its path, whether the schema knows it, and how to go on inside it. */
interface KeyVisit {
  object: JsonObject;
  key: string;
  path: string;
  known: boolean;
}

/** Walks value and schema together, visiting every object key the decoder would see, with the
 *  paths sigs.k8s.io/json uses (map keys after ".", list items as "[i]"). */
function walkKeys(target: Target, value: JsonValue | undefined, path: string, visit: (v: KeyVisit) => void): void {
  if (value === null || value === undefined) return;
  const join = (key: string) => (path === '' ? key : `${path}.${key}`);
  switch (target.kind) {
    case 'scalar':
      return;
    case 'list':
      if (Array.isArray(value)) value.forEach((item, i) => walkKeys(target.elem, item, `${path}[${i}]`, visit));
      return;
    case 'map':
      if (!isJsonObject(value)) return;
      for (const key of Object.keys(value)) {
        visit({ object: value, key, path: join(key), known: true });
        walkKeys(target.elem, value[key], join(key), visit);
      }
      return;
    case 'message': {
      const message = target.message;
      if (message.jsonShape !== 'object' || !isJsonObject(value)) return;
      for (const key of Object.keys(value)) {
        const field = message.properties.get(key);
        const known = field !== undefined || (message.typeMeta && (key === 'apiVersion' || key === 'kind'));
        visit({ object: value, key, path: join(key), known });
        if (field) walkKeys(fieldTarget(field), value[key], join(key), visit);
      }
    }
  }
}

/** Paths of the properties no field of the schema takes, e.g. "spec.template.spec.containers[0].imagee". */
export function findUnknownFields(message: MessageSchema, value: JsonValue): string[] {
  const unknown: string[] = [];
  walkKeys({ kind: 'message', message }, value, '', (v) => {
    if (!v.known) unknown.push(v.path);
  });
  return unknown;
}

/** The strict decoding errors k8s lists for a body, in document order: `unknown field "…"` and
 *  `duplicate field "…"` (a repeated unknown field is reported only as unknown). */
export function strictDecodingErrors(message: MessageSchema, parsed: StrictJson): string[] {
  const found: { position: number; text: string }[] = [];
  walkKeys({ kind: 'message', message }, parsed.value, '', (v) => {
    const keys = parsed.positions.get(v.object);
    const position = keys?.first.get(v.key) ?? 0;
    if (!v.known) {
      found.push({ position, text: `unknown field ${JSON.stringify(v.path)}` });
      return;
    }
    for (const repeat of keys?.repeats ?? []) {
      if (repeat.key === v.key) found.push({ position: repeat.position, text: `duplicate field ${JSON.stringify(v.path)}` });
    }
  });
  found.sort((a, b) => a.position - b.position);
  return [...new Set(found.map((f) => f.text))];
}
