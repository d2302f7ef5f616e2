// Server-side apply and managedFields: who owns which field of an object, as Kubernetes 1.32
// records it (structured-merge-diff semantics).
import type { JsonValue } from '../object.ts';
import type { MessageSchema } from '../schema/types.ts';
import type { FieldSet } from './field-set.ts';
import { objectType } from './smd-type.ts';
import { toFieldSet } from './to-field-set.ts';

export { serverSideApply, updateManagedFields, type ApplyOptions, type UpdateOptions } from './field-manager.ts';
export { ApplyConflictError, FieldManagerError, type ApplyConflict } from './errors.ts';
export { FieldSet } from './field-set.ts';
export { encodeFieldsV1, decodeFieldsV1 } from './fields-v1.ts';
export { pathString, type Path, type PathElement, type KeyField } from './path.ts';
export { defaultResetFields } from './reset-fields.ts';
export { LAST_APPLIED_ANNOTATION } from './last-applied.ts';

/** The fields an object (or applied configuration) sets, typed by its kind's schema (undefined: free-form). */
export function fieldSetOf(value: JsonValue, message: MessageSchema | undefined): FieldSet {
  return toFieldSet(value, objectType(message));
}
