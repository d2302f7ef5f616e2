// Small readers of plain JSON values shared by the converters, which must take whatever a client
// sent (a field of the wrong type reads as absent) and write Go's omitempty shape back.
import type { JsonObject, JsonValue } from '@k8ts/api';
import { isJsonObject } from '@k8ts/api';

/** Set and not null (a Go pointer that is not nil). */
export const present = (value: JsonValue | undefined): value is JsonValue => value !== undefined && value !== null;

export const objectField = (value: unknown): JsonObject => (isJsonObject(value) ? value : {});

export const stringField = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

/** `fields` without the absent entries (Go's omitempty on pointers), in the order given. */
export function compact(fields: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (present(value)) out[key] = value;
  return out;
}

/** The JSON in an annotation, or undefined when it is not JSON. */
export function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
