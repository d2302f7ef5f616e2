// How a failed patch is reported. The codes name the Status the real kube-apiserver answers
// with, so the HTTP layer can translate a PatchError without knowing which algorithm failed.

/**
 * - BadRequest: 400, reason BadRequest (the patch document itself is malformed).
 * - Invalid: 422, reason Invalid. The real apiserver builds these with a fixed message and drops
 *   the library's explanation, which survives here only in `detail` (for logs and tests).
 * - Conflict: 409, reason Conflict (not raised by the three algorithms; for the apiserver's own
 *   preconditions).
 * - Unknown: 500 with an empty reason. The real apiserver passes most strategic-merge-patch
 *   errors through unconverted, and kubectl prints them as "Error from server: <message>".
 */
export type PatchErrorCode = 'BadRequest' | 'Invalid' | 'Conflict' | 'Unknown';

export class PatchError extends Error {
  constructor(
    message: string,
    readonly code: PatchErrorCode,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

/** The message of every 422 the apiserver builds from a bare HTTP code (apimachinery errors.go). */
export const UNPROCESSABLE_MESSAGE = 'the server rejected our request due to an error in our request';

export function unprocessable(detail: string): PatchError {
  return new PatchError(UNPROCESSABLE_MESSAGE, 'Invalid', detail);
}
