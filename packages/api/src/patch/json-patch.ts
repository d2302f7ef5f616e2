// application/json-patch+json (RFC 6902), as the apiserver applies it through
// gopkg.in/evanphx/json-patch.v4. A body that is not a list of operations is a 400; an operation
// that cannot be applied makes the whole patch a 422 (the apiserver keeps only a fixed message;
// the library's explanation is in PatchError.detail). Quirks of that library kept on purpose:
// "replace" of a missing object member adds it, "copy" from a missing object member copies null,
// and "test" treats a missing member as null.
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import { PatchError, unprocessable } from './errors.ts';
import { goJsonKind } from './go-format.ts';
import { deepEqual, member } from './json-members.ts';
import {
  addMember,
  findContainer,
  getMember,
  JsonPatchFailure,
  removeMember,
  replaceMember,
  type Container,
} from './json-pointer.ts';

type Operation = JsonObject | null;

/** The document being patched; "replace" at the root path swaps it. */
interface Document {
  root: Container;
}

export function applyJsonPatch(original: JsonValue, operations: JsonValue): JsonValue {
  const decoded = decodeOperations(operations);
  if (original === null || typeof original !== 'object') {
    throw unprocessable(`json: cannot unmarshal ${original === null ? 'null' : goJsonKind(original)} into Go value of type jsonpatch.partialDoc`);
  }
  const document: Document = { root: structuredClone(original) };
  for (const operation of decoded) {
    try {
      applyOperation(document, operation);
    } catch (error) {
      if (error instanceof JsonPatchFailure) throw unprocessable(error.message);
      throw error;
    }
  }
  return document.root;
}

function decodeOperations(operations: JsonValue): Operation[] {
  if (operations === null) return [];
  if (!Array.isArray(operations)) {
    throw new PatchError(`json: cannot unmarshal ${goJsonKind(operations)} into Go value of type jsonpatch.Patch`, 'BadRequest');
  }
  for (const operation of operations) {
    if (operation !== null && !isJsonObject(operation)) {
      throw new PatchError(`json: cannot unmarshal ${goJsonKind(operation)} into Go value of type jsonpatch.Operation`, 'BadRequest');
    }
  }
  return operations as Operation[];
}

function applyOperation(document: Document, operation: Operation): void {
  const kind = stringField(operation, 'op');
  switch (typeof kind === 'string' ? kind : 'unknown') {
    case 'add':
      return add(document, operation);
    case 'remove':
      return remove(document, operation);
    case 'replace':
      return replace(document, operation);
    case 'move':
      return move(document, operation);
    case 'test':
      return test(document, operation);
    case 'copy':
      return copy(document, operation);
    default:
      throw new JsonPatchFailure(`Unexpected kind: ${typeof kind === 'string' ? kind : 'unknown'}`);
  }
}

function add(document: Document, operation: Operation): void {
  const path = requirePath(operation, () => 'add operation failed to decode path: missing value');
  const target = findContainer(document.root, path);
  if (!target) throw new JsonPatchFailure(`add operation does not apply: doc is missing path: "${path}": missing value`);
  withContext(`error in add for path: '${path}'`, () => addMember(target.container, target.key, valueOf(operation)));
}

function remove(document: Document, operation: Operation): void {
  const path = requirePath(operation, () => 'remove operation failed to decode path: missing value');
  const target = findContainer(document.root, path);
  if (!target) throw new JsonPatchFailure(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  withContext(`error in remove for path: '${path}'`, () => removeMember(target.container, target.key));
}

function replace(document: Document, operation: Operation): void {
  const path = requirePath(operation, (reason) => `replace operation failed to decode path: ${reason}`);
  if (path === '') {
    // The library swaps the whole document for an object or array, and silently ignores any other value.
    const value = valueOf(operation);
    if (value !== null && typeof value === 'object') document.root = structuredClone(value);
    return;
  }
  const target = findContainer(document.root, path);
  if (!target) throw new JsonPatchFailure(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  withContext(`replace operation does not apply: doc is missing key: ${path}`, () => getMember(target.container, target.key), 'missing value');
  replaceMember(target.container, target.key, valueOf(operation));
}

function move(document: Document, operation: Operation): void {
  const from = requireFrom(operation, (reason) => `move operation failed to decode from: ${reason}`);
  const source = findContainer(document.root, from);
  if (!source) throw new JsonPatchFailure(`move operation does not apply: doc is missing from path: ${from}: missing value`);
  const value = withContext(`error in move for path: '${source.key}'`, () => {
    const moved = getMember(source.container, source.key);
    removeMember(source.container, source.key);
    return moved;
  });
  const path = requirePath(operation, (reason) => `move operation failed to decode path: ${reason}`);
  const target = findContainer(document.root, path);
  if (!target) throw new JsonPatchFailure(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
  withContext(`error in move for path: '${path}'`, () => addMember(target.container, target.key, value));
}

function test(document: Document, operation: Operation): void {
  const path = requirePath(operation, (reason) => `test operation failed to decode path: ${reason}`);
  let actual: JsonValue;
  if (path === '') {
    actual = document.root;
  } else {
    const target = findContainer(document.root, path);
    if (!target) throw new JsonPatchFailure(`test operation does not apply: is missing path: ${path}: missing value`);
    actual = withContext(`error in test for path: '${path}'`, () => getMember(target.container, target.key));
  }
  if (!deepEqual(actual, valueOf(operation))) throw new JsonPatchFailure(`testing value ${path} failed: test failed`);
}

function copy(document: Document, operation: Operation): void {
  const from = requireFrom(operation, (reason) => `copy operation failed to decode from: ${reason}`);
  const source = findContainer(document.root, from);
  if (!source) throw new JsonPatchFailure(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
  const value = withContext(`error in copy for from: '${from}'`, () => getMember(source.container, source.key));
  const path = requirePath(operation, () => 'copy operation failed to decode path: missing value');
  const target = findContainer(document.root, path);
  if (!target) throw new JsonPatchFailure(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
  withContext('error while adding value during copy', () => addMember(target.container, target.key, structuredClone(value)));
}

/** Runs a step, prefixing its failure the way the library wraps errors ("context: cause"). */
function withContext<T>(context: string, step: () => T, replacementCause?: string): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof JsonPatchFailure)) throw error;
    throw new JsonPatchFailure(`${context}: ${replacementCause ?? error.message}`);
  }
}

/** An absent "value" and an explicit null both mean null to the library. */
function valueOf(operation: Operation): JsonValue {
  return (operation && member(operation, 'value')) ?? null;
}

function requirePath(operation: Operation, describe: (reason: string) => string): string {
  return requireString(operation, 'path', 'operation missing path field: missing value', describe);
}

function requireFrom(operation: Operation, describe: (reason: string) => string): string {
  return requireString(operation, 'from', 'operation, missing from field: missing value', describe);
}

function requireString(operation: Operation, field: string, missing: string, describe: (reason: string) => string): string {
  const value = stringField(operation, field);
  if (value === undefined) throw new JsonPatchFailure(describe(missing));
  if (typeof value !== 'string') throw new JsonPatchFailure(describe(value.wrongType));
  return value;
}

/** A string member; undefined when absent or null; a decoding error for any other type. */
function stringField(operation: Operation, field: string): string | undefined | { wrongType: string } {
  const value = operation ? member(operation, field) : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return { wrongType: `json: cannot unmarshal ${goJsonKind(value)} into Go value of type string` };
}
