/**
 * A label or field selector the apiserver cannot use. The message is exactly the text
 * Kubernetes puts in the 400 Bad Request Status, so the apiserver can pass it through.
 */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}
