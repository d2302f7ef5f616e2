// Validation as the Kubernetes 1.32 apiserver does it: what a create or update must satisfy (422
// Invalid), and the decoding checks before it (type errors, unknown and duplicate fields).
export type { FieldError, FieldErrorType } from './field-error.ts';
export { validateCreate, validateUpdate } from './validate.ts';
export { findTypeError, findUnknownFields, strictDecodingErrors } from './strict.ts';
export { parseJsonStrict } from './json-strict.ts';
export type { KeyPositions, StrictJson } from './json-strict.ts';
export { invalidMessage } from './message.ts';
