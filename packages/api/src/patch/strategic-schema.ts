// What strategic merge patch needs to know about a position in an object: the patch strategy and
// merge key of each field (the Go struct tags patchStrategy/patchMergeKey, carried by the schema
// registry), and the type found below it. Types with custom JSON (quantity, int-or-string, time,
// raw JSON, …) are opaque here: a patch replaces them as whole values.
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import { schema } from '../schema/registry.ts';
import { PatchError } from './errors.ts';

/** A type whose members a patch can merge into: an API struct, or a Go map of some value type. */
export type MergeableSchema =
  | { readonly kind: 'struct'; readonly message: MessageSchema }
  | { readonly kind: 'map'; readonly values: PatchSchema };

/** `goKind` is what Go's reflect names the type's kind, for error texts. */
export type PatchSchema = MergeableSchema | { readonly kind: 'opaque'; readonly goKind: string };

export interface FieldPatchMeta {
  /** 'merge', 'replace' or '' (no strategy: lists are replaced whole, maps merged). */
  readonly strategy: string;
  /** the element member that identifies list entries ('' when none) */
  readonly mergeKey: string;
  /** the schema of the field's value, or of its elements for a list */
  readonly schema: PatchSchema;
}

export function messageSchema(message: MessageSchema): PatchSchema {
  return message.jsonShape === 'object' ? { kind: 'struct', message } : { kind: 'opaque', goKind: 'struct' };
}

/** Patch metadata for a member holding an object (Go: LookupPatchMetadataForStruct). */
export function lookupMember(parent: MergeableSchema, key: string): FieldPatchMeta {
  if (parent.kind === 'map') return { strategy: '', mergeKey: '', schema: parent.values };
  const field = structField(parent.message, key);
  return { strategy: strategyOf(field), mergeKey: field.patchMergeKey ?? '', schema: fieldValueSchema(field) };
}

/** Patch metadata for a member holding a list (Go: LookupPatchMetadataForSlice). */
export function lookupList(parent: MergeableSchema, key: string): FieldPatchMeta {
  if (parent.kind === 'struct') {
    const field = structField(parent.message, key);
    // Only slices (and pointers, which Go looks through) can hold a list.
    if (!field.repeated && !field.pointer) throw new PatchError('expected slice or array type, but got: struct', 'Unknown');
  }
  return lookupMember(parent, key);
}

/** Go's LookupPatchMeta.Name() for a list's element type, used in "cannot merge lists" errors. */
export function schemaName(element: PatchSchema): string {
  return element.kind === 'opaque' ? element.goKind : element.kind;
}

function structField(message: MessageSchema, key: string): FieldSchema {
  const field = message.properties.get(key);
  if (!field) throw new PatchError(`unable to find api field in struct ${message.name} for the json field "${key}"`, 'Unknown');
  return field;
}

/** retainKeys only tells clients to send $retainKeys; what merging does is the other strategy. */
function strategyOf(field: FieldSchema): string {
  return field.patchStrategy.find((strategy) => strategy !== 'retainKeys') ?? '';
}

function fieldValueSchema(field: FieldSchema): PatchSchema {
  if (field.kind === 'map') {
    return { kind: 'map', values: field.mapValueKind === 'message' ? messageSchema(schema.message(field.mapValue!)) : scalarSchema(field.mapValue!) };
  }
  return field.kind === 'message' ? messageSchema(schema.message(field.type)) : scalarSchema(field.type);
}

const GO_KIND_OF_SCALAR: Record<string, string> = { double: 'float64', float: 'float32', bytes: 'slice' };

function scalarSchema(type: string): PatchSchema {
  return { kind: 'opaque', goKind: GO_KIND_OF_SCALAR[type] ?? type };
}
