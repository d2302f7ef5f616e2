// Lookups into the schema registry shared by the decoder and the encoder. A miss here is a gap in
// the schema data, not bad input, so it is a plain Error.
import { schema } from '../schema/registry.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';

/** A field by its protobuf name (custom-JSON types are read field by field). */
export function fieldNamed(message: MessageSchema, name: string): FieldSchema {
  const field = message.fields.find((f) => f.name === name);
  if (!field) throw new Error(`schema: ${message.fullName} has no field ${name}`);
  return field;
}

/** The message a message field, or a map field's values, hold. */
export function messageOf(field: FieldSchema): MessageSchema {
  const message = schema.fieldMessage(field);
  if (!message) throw new Error(`schema: no message ${field.kind === 'map' ? field.mapValue : field.type}`);
  return message;
}
