// Every failed request answers with a Kubernetes Status object whose HTTP code equals `code`
// (contract §5). kubectl and client-go branch on `reason`, so each failure has its own.
import type { Status, StatusCause } from '@k8ts/api';

export interface ResourceRef {
  group: string;
  /** plural resource, e.g. "deployments" */
  resource: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message);
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "deployments.apps", or "pods" for the core group: how Kubernetes names a resource in messages. */
export function qualifiedResource(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function details(ref: ResourceRef, name: string): Status['details'] {
  return { name, group: ref.group, kind: ref.resource };
}

export const errors = {
  notFound: (ref: ResourceRef, name: string) =>
    new ApiError(404, 'NotFound', `${qualifiedResource(ref)} "${name}" not found`, details(ref, name)),
  alreadyExists: (ref: ResourceRef, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualifiedResource(ref)} "${name}" already exists`, details(ref, name)),
  conflict: (ref: ResourceRef, name: string, why: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(ref)} "${name}": ${why}`,
      details(ref, name),
    ),
  modified: (ref: ResourceRef, name: string) =>
    errors.conflict(ref, name, 'the object has been modified; please apply your changes to the latest version and try again'),
  invalid: (kind: string, group: string, name: string, message: string, causes: StatusCause[]) =>
    new ApiError(422, 'Invalid', message, { ...(name ? { name } : {}), group, kind, causes }),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (message: string, details?: Status['details']) => new ApiError(403, 'Forbidden', message, details),
  /** A request refused for one resource (apimachinery's NewForbidden): `configmaps "x" is forbidden: <why>`. */
  forbiddenResource: (ref: ResourceRef, name: string, why: string, causes?: StatusCause[]) =>
    new ApiError(
      403,
      'Forbidden',
      `${qualifiedResource(ref)}${name ? ` "${name}"` : ''} is forbidden: ${why}`,
      { ...(name ? { name } : {}), group: ref.group, kind: ref.resource, ...(causes ? { causes } : {}) },
    ),
  // No route for the path or method: Kubernetes' router answers these, with empty details.
  methodNotAllowed: () =>
    new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}),
  notFoundPath: () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}),
  /** A handler that cannot decode the body's media type (negotiation's error: no details). */
  unsupportedMediaType: (accepted: readonly string[]) =>
    new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`),
  /** PATCH with a Content-Type no patch route consumes: refused by the router itself. */
  unsupportedPatchMediaType: () => new ApiError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {}),
  notAcceptable: (accepted: readonly string[]) =>
    new ApiError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`),
  expired: (message: string) => new ApiError(410, 'Expired', message),
  gone: (message: string) => new ApiError(410, 'Gone', message),
  tooLarge: (message: string) => new ApiError(413, 'RequestEntityTooLarge', message),
  tooManyRequests: (message: string, retryAfterSeconds?: number) =>
    new ApiError(429, 'TooManyRequests', message, retryAfterSeconds ? { retryAfterSeconds } : undefined),
  internal: (message: string) =>
    new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
  timeout: (message: string) => new ApiError(504, 'Timeout', message),
  serviceUnavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
};
