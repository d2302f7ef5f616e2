// components.schemas of the OpenAPI v3 documents, generated from the schema registry. The shape
// follows what kube-apiserver publishes: one object schema per message, properties that point to
// other messages through `allOf: [{$ref}]` (so they can carry their own description), the
// structured-merge and strategic-merge extensions on fields, and the x-kubernetes-group-version-kind
// list on every registered kind — kubectl explain and kubectl apply find schemas by that list.
import type { JsonObject, JsonValue } from '../object.ts';
import { schema } from '../schema/registry.ts';
import type { FieldSchema, GroupVersionKind, MessageSchema } from '../schema/types.ts';
import { byteOrder } from '../discovery/groups.ts';
import { descriptions } from './descriptions.ts';
import { schemaName, schemaRef } from './names.ts';

const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension';

/** A property of a message's JSON object, with the message that declares it (inline members flatten in). */
interface Property {
  readonly owner: MessageSchema;
  readonly field: FieldSchema;
}

/** The JSON properties of a message in declaration order, inline members expanded. */
function propertiesOf(message: MessageSchema): Property[] {
  const out: Property[] = [];
  for (const field of message.fields) {
    if (field.json === null) out.push(...propertiesOf(schema.message(field.type)));
    else if (field.json !== '-') out.push({ owner: message, field });
  }
  return out;
}

/** Messages rendered inline as arrays of strings rather than as components (meta.v1.Verbs, ExtraValue). */
function isInlinedList(message: MessageSchema): boolean {
  return message.jsonShape === 'string-list';
}

const SCALAR_SCHEMAS: Readonly<Record<string, JsonObject>> = {
  string: { type: 'string' },
  bytes: { type: 'string', format: 'byte' },
  bool: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  uint32: { type: 'integer', format: 'int32' },
  uint64: { type: 'integer', format: 'int64' },
  double: { type: 'number', format: 'double' },
  float: { type: 'number', format: 'float' },
};

const ZERO_VALUES: Readonly<Record<string, JsonValue>> = {
  string: '',
  bool: false,
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  double: 0,
  float: 0,
};

function scalarSchema(type: string): JsonObject {
  const s = SCALAR_SCHEMAS[type];
  if (!s) throw new Error(`openapi: no schema for scalar type ${type}`);
  return { ...s };
}

/** A message whose Go zero value marshals to a JSON object (or a zero time/quantity), so openapi-gen gives it `default: {}`. */
function hasObjectDefault(message: MessageSchema): boolean {
  return message.jsonShape !== 'raw' && !isInlinedList(message);
}

/** Schema of one value of a message type (an array item, a map value): a $ref, with `default: {}` where Go has one. */
function messageValueSchema(message: MessageSchema): JsonObject {
  if (isInlinedList(message)) return { type: 'array', items: { type: 'string', default: '' } };
  if (!hasObjectDefault(message)) return { $ref: schemaRef(message.fullName) };
  return { default: {}, allOf: [{ $ref: schemaRef(message.fullName) }] };
}

/** Schema of one scalar value (an array item, a map value): non-pointer elements default to their zero value. */
function scalarValueSchema(field: FieldSchema, type: string): JsonObject {
  const s = scalarSchema(type);
  if (type in ZERO_VALUES) s.default = ZERO_VALUES[type];
  if (field.enumValues) s.enum = sortedEnum(field.enumValues);
  return s;
}

function sortedEnum(values: readonly string[]): string[] {
  return [...values].sort(byteOrder);
}

/** The default a property carries: its +default marker, else Go's zero value where openapi-gen writes one. */
function propertyDefault(field: FieldSchema, target: MessageSchema | undefined): JsonValue | undefined {
  if (field.defaultLiteral !== undefined) {
    try {
      return JSON.parse(field.defaultLiteral) as JsonValue;
    } catch {
      return undefined; // ref(ConstName) markers name a Go constant; there is no literal to publish
    }
  }
  if (field.pointer || field.repeated || field.kind === 'map') return undefined;
  if (target) return hasObjectDefault(target) ? {} : undefined;
  if (field.omitempty) return undefined;
  return ZERO_VALUES[field.type];
}

function propertySchema(property: Property, kind: MessageSchema): JsonObject {
  const { owner, field } = property;
  const out: JsonObject = { description: descriptions.field(owner, field, kind) };
  const target = field.kind === 'message' ? schema.message(field.type) : undefined;
  if (field.kind === 'map') {
    out.type = 'object';
    out.additionalProperties =
      field.mapValueKind === 'message' ? messageValueSchema(schema.message(field.mapValue!)) : scalarValueSchema(field, field.mapValue!);
  } else if (field.repeated) {
    out.type = 'array';
    out.items = target ? messageValueSchema(target) : scalarValueSchema(field, field.type);
  } else if (target && isInlinedList(target)) {
    Object.assign(out, messageValueSchema(target));
  } else if (target) {
    const dflt = propertyDefault(field, target);
    if (dflt !== undefined) out.default = dflt;
    out.allOf = [{ $ref: schemaRef(target.fullName) }];
  } else {
    Object.assign(out, scalarSchema(field.type));
    const dflt = propertyDefault(field, undefined);
    if (dflt !== undefined) out.default = dflt;
    if (field.enumValues) out.enum = sortedEnum(field.enumValues);
  }
  if (field.listMapKeys) out['x-kubernetes-list-map-keys'] = [...field.listMapKeys];
  if (field.listType) out['x-kubernetes-list-type'] = field.listType;
  const mapType = field.mapType ?? field.structType;
  if (mapType) out['x-kubernetes-map-type'] = mapType;
  if (field.patchMergeKey) out['x-kubernetes-patch-merge-key'] = field.patchMergeKey;
  if (field.patchStrategy.length > 0) out['x-kubernetes-patch-strategy'] = field.patchStrategy.join(',');
  return out;
}

/** A field the JSON object must have: no omitempty and no +optional (or an explicit +required). */
function isRequired(field: FieldSchema): boolean {
  return field.required || (!field.optional && !field.omitempty);
}

let kindIndex: Map<string, GroupVersionKind[]> | undefined;

/** Every group/version/kind each message is registered under (DeleteOptions: one per group version). */
function registeredKinds(fullName: string): readonly GroupVersionKind[] {
  if (!kindIndex) {
    kindIndex = new Map();
    const groupVersions = [{ group: 'meta.k8s.io', version: 'v1' }];
    for (const gv of schema.groupVersions) for (const version of gv.versions) groupVersions.push({ group: gv.group, version });
    // Not only messages with TypeMeta: WatchEvent is registered in every group version too.
    for (const message of schema.allMessages()) {
      for (const gv of groupVersions) {
        const gvk = { group: gv.group, version: gv.version, kind: message.name };
        if (schema.kindSchema(gvk) !== message) continue;
        const list = kindIndex.get(message.fullName) ?? [];
        list.push(gvk);
        kindIndex.set(message.fullName, list);
      }
    }
    for (const list of kindIndex.values()) {
      list.sort((a, b) => byteOrder(a.group, b.group) || byteOrder(a.version, b.version));
    }
  }
  return kindIndex.get(fullName) ?? [];
}

/** The component schema of a message. */
export function componentSchema(message: MessageSchema): JsonObject {
  const description = descriptions.message(message);
  switch (message.jsonShape) {
    case 'time':
    case 'micro-time':
      return { description, type: 'string', format: 'date-time' };
    case 'duration':
      return { description, type: 'string' };
    case 'quantity':
      return { description, oneOf: [{ type: 'string' }, { type: 'number' }] };
    // kube-apiserver describes these two with format/oneOf only; the structural-schema markers are
    // added so consumers of these documents (server-side apply, field validation) need no special
    // case for built-in types. kubectl ignores them.
    case 'int-or-string':
      return { description, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    case 'raw':
      // RawExtension is always an object; apiextensions JSON may be any JSON value.
      return message.fullName === RAW_EXTENSION
        ? { description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
        : { description, 'x-kubernetes-preserve-unknown-fields': true };
    case 'fields-v1':
      return { description, type: 'object' };
    case 'string-list':
      return { description, type: 'array', items: { type: 'string', default: '' } };
    case 'json-schema-or-array':
    case 'json-schema-or-bool':
    case 'json-schema-or-string-array':
      return { description };
    case 'object':
      return objectSchema(message, description);
  }
}

function objectSchema(message: MessageSchema, description: string): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  const typeMeta = message.typeMeta
    ? [
        ['apiVersion', descriptions.common.apiVersion],
        ['kind', descriptions.common.kind],
      ]
    : [];
  for (const [json, text] of typeMeta) properties[json] = { description: text, type: 'string' };
  for (const property of propertiesOf(message)) {
    properties[property.field.json!] = propertySchema(property, message);
    if (isRequired(property.field)) required.push(property.field.json!);
  }
  const out: JsonObject = { description, type: 'object', properties: sortKeys(properties) };
  if (required.length > 0) out.required = required;
  const gvks = registeredKinds(message.fullName);
  if (gvks.length > 0) out['x-kubernetes-group-version-kind'] = gvks.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
  if (message.structType) out['x-kubernetes-map-type'] = message.structType;
  return out;
}

function sortKeys(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(o).sort(byteOrder)) out[key] = o[key];
  return out;
}

/** Messages a message's schema refers to directly. */
function referencedMessages(message: MessageSchema): string[] {
  if (message.jsonShape !== 'object') return [];
  const out: string[] = [];
  for (const { field } of propertiesOf(message)) {
    const target = field.kind === 'message' ? field.type : field.kind === 'map' && field.mapValueKind === 'message' ? field.mapValue! : undefined;
    if (target && !isInlinedList(schema.message(target))) out.push(target);
  }
  return out;
}

/**
 * components.schemas for a document: the given messages and everything they reach, keyed by
 * OpenAPI name in sorted order.
 */
export function schemasReachableFrom(roots: Iterable<string>): JsonObject {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...referencedMessages(schema.message(next)));
  }
  const out: JsonObject = {};
  const names = [...seen].map((fullName) => [schemaName(fullName), fullName] as const);
  names.sort((a, b) => byteOrder(a[0], b[0]));
  for (const [name, fullName] of names) out[name] = componentSchema(schema.message(fullName));
  return out;
}
