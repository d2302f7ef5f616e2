// The errors of apimachinery's strategic merge patch, worded as kubectl users see them. The
// apiserver turns the malformed-directive ones into 400s, "lists of lists" into a 422, and passes
// every other one through as a 500 with an empty reason.
import type { JsonObject, JsonValue } from '../object.ts';
import { PatchError, unprocessable } from './errors.ts';
import { goString, goTypeName, goValue } from './go-format.ts';

export const GO_MAP_TYPE = 'map[string]interface {}';
export const GO_LIST_TYPE = '[]interface {}';

export function noMergeKey(item: JsonValue, mergeKey: string): PatchError {
  return new PatchError(`map: ${goValue(item)} does not contain declared merge key: ${mergeKey}`, 'Unknown');
}

export function badArgType(expected: typeof GO_MAP_TYPE | typeof GO_LIST_TYPE, actual: JsonValue | undefined): PatchError {
  return new PatchError(`expected a ${expected}, but received a ${goTypeName(actual)}`, 'Unknown');
}

export function badPatchType(directive: JsonValue, map: JsonObject): PatchError {
  return new PatchError(`unknown patch type: ${goString(directive)} in map: ${goValue(map)}`, 'Unknown');
}

export function notAMap(index: number): PatchError {
  return new PatchError(`value for key ${index} is not a map`, 'Unknown');
}

export function mergeFailure(message: string): PatchError {
  return new PatchError(message, 'Unknown');
}

export function badFormat(of: 'retainKeys' | 'setElementOrder list' | 'primitive list'): PatchError {
  return new PatchError(`invalid patch format of ${of}`, 'BadRequest');
}

export const listsOfLists = (): PatchError => unprocessable('lists of lists are not supported');
