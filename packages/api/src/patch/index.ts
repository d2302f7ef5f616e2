// The three PATCH algorithms of the apiserver, selected by the request's Content-Type.
export { PatchError, UNPROCESSABLE_MESSAGE, type PatchErrorCode } from './errors.ts';
export { strategicMergePatch } from './strategic-merge.ts';
export { jsonMergePatch } from './json-merge-patch.ts';
export { applyJsonPatch } from './json-patch.ts';
