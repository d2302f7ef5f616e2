// The schema as structured-merge-diff sees it, derived from the registry's messages the way
// Kubernetes derives it from its OpenAPI: structs are maps with named fields, map[string]T are
// maps with an element type, lists are atomic unless +listType says set or map (or a merge patch
// strategy makes them associative), and custom-JSON types (time, quantity, int-or-string) are
// untyped scalars. Types are resolved lazily: some messages (JSONSchemaProps) are recursive.
import { schema } from '../schema/registry.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import { isJsonObject, type JsonValue } from '../object.ts';

export type ScalarKind = 'string' | 'numeric' | 'boolean' | 'untyped';

export interface ScalarType {
  readonly kind: 'scalar';
  readonly scalar: ScalarKind;
}

export interface ListType {
  readonly kind: 'list';
  readonly element: SmdType;
  /** associative lists are sets (no keys) or maps (keys); the others are atomic */
  readonly associative: boolean;
  readonly keys: readonly string[];
  /** a key field's schema default, used for items that omit it (ports' protocol: "TCP") */
  keyDefault(name: string): JsonValue | undefined;
}

export interface MapType {
  readonly kind: 'map';
  readonly atomic: boolean;
  /** a declared (struct) field; undefined for map keys and unknown fields */
  field(name: string): SmdType | undefined;
  /** the type of keys that are not declared fields; undefined: unknown keys are not allowed */
  readonly element: SmdType | undefined;
}

/** Free-form JSON: `deduced` maps are granular (lists atomic), `atomic` everything is a leaf. */
export interface UntypedType {
  readonly kind: 'untyped';
  readonly atomic: boolean;
}

export type SmdType = ScalarType | ListType | MapType | UntypedType;
/** A type with the untyped case resolved against a value. */
export type Atom = ScalarType | ListType | MapType;

const UNTYPED_ATOMIC: UntypedType = { kind: 'untyped', atomic: true };
export const DEDUCED: UntypedType = { kind: 'untyped', atomic: false };
const UNTYPED_SCALAR: ScalarType = { kind: 'scalar', scalar: 'untyped' };
const ATOMIC_UNTYPED_LIST: ListType = {
  kind: 'list',
  element: UNTYPED_ATOMIC,
  associative: false,
  keys: [],
  keyDefault: () => undefined,
};
const noFields = () => undefined;
const DEDUCED_MAP: MapType = { kind: 'map', atomic: false, field: noFields, element: DEDUCED };
const ATOMIC_MAP: MapType = { kind: 'map', atomic: true, field: noFields, element: UNTYPED_ATOMIC };

/**
 * The atom that handles `value`: typed atoms are what they are; untyped ones follow the value's
 * shape, and an absent or null value counts as a map (structured-merge-diff tries maps first).
 */
export function resolveAtom(type: SmdType, value: JsonValue | undefined): Atom {
  if (type.kind !== 'untyped') return type;
  if (Array.isArray(value)) return ATOMIC_UNTYPED_LIST;
  if (value === undefined || value === null || isJsonObject(value)) return type.atomic ? ATOMIC_MAP : DEDUCED_MAP;
  return UNTYPED_SCALAR;
}

/** The type of `key` in a map: its declared field, else the element type. */
export function fieldType(map: MapType, key: string): SmdType | undefined {
  return map.field(key) ?? map.element;
}

const SCALARS: Record<string, ScalarKind> = {
  string: 'string',
  bytes: 'string',
  bool: 'boolean',
  int32: 'numeric',
  int64: 'numeric',
  uint32: 'numeric',
  uint64: 'numeric',
  double: 'numeric',
  float: 'numeric',
};

function scalarType(protoType: string): ScalarType {
  return { kind: 'scalar', scalar: SCALARS[protoType] ?? 'untyped' };
}

const structCache = new Map<string, MapType>();

/** The type of a message: a struct, or for custom-JSON messages the shape their JSON has. */
function messageType(message: MessageSchema, relationship?: 'atomic' | 'granular'): SmdType {
  switch (message.jsonShape) {
    case 'object':
      return structType(message, (relationship ?? message.structType) === 'atomic');
    case 'duration':
      return { kind: 'scalar', scalar: 'string' };
    case 'string-list':
      return { ...ATOMIC_UNTYPED_LIST, element: { kind: 'scalar', scalar: 'string' } };
    case 'raw':
      // RawExtension is an opaque leaf; apiextensions JSON values are free-form documents.
      return message.name === 'RawExtension' ? UNTYPED_ATOMIC : DEDUCED;
    case 'fields-v1':
    case 'json-schema-or-array':
    case 'json-schema-or-bool':
    case 'json-schema-or-string-array':
      return DEDUCED;
    default: // time, micro-time, quantity, int-or-string
      return UNTYPED_SCALAR;
  }
}

function structType(message: MessageSchema, atomic: boolean): MapType {
  const cacheKey = `${message.fullName}/${atomic}`;
  const cached = structCache.get(cacheKey);
  if (cached) return cached;
  const fields = new Map<string, SmdType>();
  const type: MapType = {
    kind: 'map',
    atomic,
    element: undefined,
    field(name) {
      let t = fields.get(name);
      if (t) return t;
      if (message.typeMeta && (name === 'apiVersion' || name === 'kind')) t = scalarType('string');
      else {
        const f = message.properties.get(name);
        if (!f) return undefined;
        t = typeOfField(f);
      }
      fields.set(name, t);
      return t;
    },
  };
  structCache.set(cacheKey, type);
  return type;
}

function typeOfField(field: FieldSchema): SmdType {
  const relationship = field.mapType ?? field.structType;
  if (field.kind === 'map') {
    const element =
      field.mapValueKind === 'message' ? messageType(schema.message(field.mapValue!)) : scalarType(field.mapValue!);
    return { kind: 'map', atomic: relationship === 'atomic', field: noFields, element };
  }
  const element = field.kind === 'message' ? messageType(schema.message(field.type), relationship) : scalarType(field.type);
  return field.repeated ? listType(field, element) : element;
}

function listType(field: FieldSchema, element: SmdType): ListType {
  let associative = field.listType === 'set' || field.listType === 'map';
  let keys = field.listType === 'map' ? (field.listMapKeys ?? []) : [];
  // Without +listType, a merge patch strategy makes the list associative (keyed by the merge key).
  if (!field.listType && field.patchStrategy.includes('merge')) {
    associative = true;
    keys = field.patchMergeKey ? [field.patchMergeKey] : [];
  }
  const itemMessage = field.kind === 'message' ? schema.findMessage(field.type) : undefined;
  return {
    kind: 'list',
    element,
    associative,
    keys,
    keyDefault(name) {
      const literal = itemMessage?.properties.get(name)?.defaultLiteral;
      if (literal === undefined) return undefined;
      try {
        return JSON.parse(literal) as JsonValue;
      } catch {
        return undefined; // a ref(Const) default names a Go constant, not a value
      }
    },
  };
}

const objectMetaType = () => messageType(schema.message('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta'));

/**
 * The type of a whole object: its kind's message, or for kinds the registry does not know (custom
 * resources) typed metadata and free-form content, maps granular and lists atomic.
 */
export function objectType(message: MessageSchema | undefined): SmdType {
  if (message) return messageType(message);
  return {
    kind: 'map',
    atomic: false,
    element: DEDUCED,
    field(name) {
      if (name === 'metadata') return objectMetaType();
      return name === 'apiVersion' || name === 'kind' ? scalarType('string') : undefined;
    },
  };
}
