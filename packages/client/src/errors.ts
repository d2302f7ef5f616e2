// API errors as client-go's k8s.io/apimachinery/pkg/api/errors presents them: every failed
// request becomes a StatusError carrying the Kubernetes Status (reason, code, message), whether
// the server sent one or the client had to build it from a bare HTTP response. Callers branch on
// the reason (isNotFound, isConflict, …), never on message text.
import type { Status, StatusCause } from '@k8ts/api';

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? `the server responded with the status code ${status.code}`);
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? 'Unknown';
  }

  /** The error for a Status; 410 (Expired/Gone) becomes the typed ExpiredError. */
  static fromStatus(status: Status): StatusError {
    return status.code === 410 ? new ExpiredError(status) : new StatusError(status);
  }
}

/**
 * 410: the resource version asked for has been compacted away (a watch or list from an old RV,
 * an expired continue token). Reflectors answer it by listing again.
 */
export class ExpiredError extends StatusError {
  constructor(status: Status) {
    super(status);
    this.name = 'ExpiredError';
  }
}

export function failureStatus(code: number, reason: string, message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** What a request was about, for messages like "… (get pods web)". */
export interface RequestTarget {
  group: string;
  resource: string;
  name?: string;
}

/** The cause type client-go adds when a response was not a Status (CauseTypeUnexpectedServerResponse). */
export const UNEXPECTED_SERVER_RESPONSE = 'UnexpectedServerResponse';

const GENERIC_RESPONSES: Record<number, [reason: string, message: string | null]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  // These three keep the server's own text: it says who may do what, or which types are accepted.
  403: ['Forbidden', null],
  406: ['NotAcceptable', null],
  415: ['UnsupportedMediaType', null],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

/** Go's %q for the printable text servers send. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/**
 * apimachinery's NewGenericServerResponse: the error for a response that carried no Status
 * (a proxy's HTML page, an empty 500), worded as kubectl prints it.
 */
export function genericServerError(
  code: number,
  method: string,
  target: RequestTarget | undefined,
  serverMessage: string,
  retryAfterSeconds = 0,
): StatusError {
  let reason = 'Unknown';
  let message = `the server responded with the status code ${code} but did not return more information`;
  if (code === 409) {
    reason = method === 'POST' ? 'AlreadyExists' : 'Conflict';
    message = 'the server reported a conflict';
  } else if (code in GENERIC_RESPONSES) {
    const [genericReason, genericMessage] = GENERIC_RESPONSES[code];
    reason = genericReason;
    message = genericMessage ?? serverMessage;
  } else if (code >= 500) {
    reason = 'InternalError';
    message = `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
  }
  if (target && target.resource !== '') {
    const resource = target.group === '' ? target.resource : `${target.resource}.${target.group}`;
    message += target.name ? ` (${method.toLowerCase()} ${resource} ${target.name})` : ` (${method.toLowerCase()} ${resource})`;
  }
  const causes: StatusCause[] = [{ reason: UNEXPECTED_SERVER_RESPONSE, message: serverMessage }];
  return StatusError.fromStatus(
    failureStatus(code, reason, message, {
      group: target?.group ?? '',
      kind: target?.resource ?? '',
      name: target?.name ?? '',
      causes,
      ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
    }),
  );
}

export function reasonForError(err: unknown): string {
  return err instanceof StatusError ? err.reason : 'Unknown';
}

export const isNotFound = (err: unknown): boolean => reasonForError(err) === 'NotFound';
export const isAlreadyExists = (err: unknown): boolean => reasonForError(err) === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => reasonForError(err) === 'Conflict';
export const isInvalid = (err: unknown): boolean => reasonForError(err) === 'Invalid';
export const isForbidden = (err: unknown): boolean => reasonForError(err) === 'Forbidden';
export const isUnauthorized = (err: unknown): boolean => reasonForError(err) === 'Unauthorized';
export const isBadRequest = (err: unknown): boolean => reasonForError(err) === 'BadRequest';
export const isInternalError = (err: unknown): boolean => reasonForError(err) === 'InternalError';
export const isServiceUnavailable = (err: unknown): boolean => reasonForError(err) === 'ServiceUnavailable';
export const isMethodNotSupported = (err: unknown): boolean => reasonForError(err) === 'MethodNotAllowed';

/** client-go's IsResourceExpired || IsGone: the reflector's cue to relist. */
export function isExpired(err: unknown): boolean {
  const reason = reasonForError(err);
  return reason === 'Expired' || reason === 'Gone' || err instanceof ExpiredError;
}

export function isTooManyRequests(err: unknown): boolean {
  return err instanceof StatusError && (err.reason === 'TooManyRequests' || err.code === 429);
}

/** Node's error code for a refused TCP connection (utilnet.IsConnectionRefused). */
export function isConnectionRefused(err: unknown): boolean {
  return errorCode(err) === 'ECONNREFUSED';
}

/**
 * A connection that broke under a request (utilnet.IsConnectionReset / IsProbableEOF): safe to
 * retry for reads, and the normal way for a long watch to end.
 */
export function isConnectionBroken(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
