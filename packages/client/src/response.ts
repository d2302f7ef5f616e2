// Reading an apiserver response the way client-go's Request.transformResponse does: a Status
// body that reports failure becomes its StatusError; any other non-2xx becomes the generic error
// for its code; a 2xx body is the decoded object. Plus the two headers a client acts on:
// Retry-After (wait and retry) and Warning (tell the user).
import { isJsonObject, type Status } from '@k8ts/api';
import { genericServerError, StatusError, type RequestTarget } from './errors.ts';
import { headerValue } from './transport.ts';

/** client-go caps how much of an unstructured error body ends up in a message. */
const MAX_UNSTRUCTURED_BYTES = 2048;

function isJsonContent(contentType: string | undefined, body: Buffer): boolean {
  if (contentType === undefined) return body.length > 0 && (body[0] === 0x7b || body[0] === 0x5b);
  const media = contentType.split(';')[0].trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

function isStatus(value: unknown): value is Status {
  return isJsonObject(value) && value.kind === 'Status' && typeof value.status === 'string';
}

/** The decoded body of a successful response (undefined when empty); throws StatusError otherwise. */
export function decodeResponse(
  status: number,
  headers: Record<string, string[]>,
  body: Buffer,
  method: string,
  target: RequestTarget | undefined,
): unknown {
  const contentType = headerValue(headers, 'content-type');
  let decoded: unknown;
  let decodedJson = false;
  if (body.length > 0 && isJsonContent(contentType, body)) {
    try {
      decoded = JSON.parse(body.toString('utf8'));
      decodedJson = true;
    } catch {
      // not JSON after all: handled below as an unstructured body
    }
  }
  const success = status >= 200 && status <= 206;
  if (isStatus(decoded) && (!success || decoded.status === 'Failure')) {
    throw StatusError.fromStatus({ ...decoded, code: decoded.code || status });
  }
  if (!success) {
    const text = (contentType ?? '').trim().toLowerCase().startsWith('text/')
      ? body.subarray(0, MAX_UNSTRUCTURED_BYTES).toString('utf8').trim()
      : 'unknown';
    throw genericServerError(status, method, target, text, retryAfterSeconds(headers) ?? 0);
  }
  if (body.length === 0) return undefined;
  if (!decodedJson) throw new Error(`the server returned a body that is not JSON (Content-Type ${JSON.stringify(contentType ?? '')})`);
  return decoded;
}

/** A whole number of seconds from Retry-After, as client-go reads it (HTTP dates are not used). */
export function retryAfterSeconds(headers: Record<string, string[]>): number | undefined {
  const value = headerValue(headers, 'retry-after');
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** client-go's checkWait: 429 and 5xx responses that carry Retry-After are retried after it. */
export function retryDelaySeconds(status: number, headers: Record<string, string[]>): number | undefined {
  return status === 429 || status >= 500 ? retryAfterSeconds(headers) : undefined;
}

/** The texts of `Warning: 299 - "text"` headers (RFC 7234 warn-code 299, agent "-"). */
export function parseWarnings(headers: Record<string, string[]>): string[] {
  const texts: string[] = [];
  for (const value of headers['warning'] ?? []) {
    for (const match of value.matchAll(/(\d{3}) (\S+) "((?:[^"\\]|\\.)*)"/g)) {
      if (match[1] === '299') texts.push(match[3].replace(/\\(.)/g, '$1'));
    }
  }
  return texts;
}
