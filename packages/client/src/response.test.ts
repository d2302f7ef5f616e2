import { describe, expect, it } from 'vitest';
import { ExpiredError, genericServerError, isAlreadyExists, isConflict, isExpired, isNotFound, StatusError } from './errors.ts';
import { decodeResponse, parseWarnings, retryDelaySeconds } from './response.ts';

const json = { 'content-type': ['application/json'] };

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error('did not throw');
}

describe('decodeResponse', () => {
  it('returns the object of a 2xx response, and undefined for an empty one', () => {
    expect(decodeResponse(200, json, Buffer.from('{"kind":"Pod","metadata":{"name":"p"}}'), 'GET', undefined)).toEqual({ kind: 'Pod', metadata: { name: 'p' } });
    expect(decodeResponse(204, {}, Buffer.alloc(0), 'DELETE', undefined)).toBeUndefined();
  });

  it('turns a failure Status into a StatusError carrying it', () => {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'pods' },
      code: 404,
    };
    const err = thrown(() => decodeResponse(404, json, Buffer.from(JSON.stringify(status)), 'GET', { group: '', resource: 'pods', name: 'x' }));
    expect(err.message).toBe('pods "x" not found');
    expect(err.status).toEqual(status);
    expect(isNotFound(err)).toBe(true);
  });

  it('makes 410 an ExpiredError the reflector recognizes', () => {
    const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 5 (20)', reason: 'Expired', code: 410 };
    const err = thrown(() => decodeResponse(410, json, Buffer.from(JSON.stringify(body)), 'GET', undefined));
    expect(err).toBeInstanceOf(ExpiredError);
    expect(isExpired(err)).toBe(true);
  });

  it('returns a Success Status (e.g. from DELETE) as the result', () => {
    const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'web', kind: 'deployments' } };
    expect(decodeResponse(200, json, Buffer.from(JSON.stringify(body)), 'DELETE', undefined)).toEqual(body);
  });

  it('words responses without a Status as kubectl shows them', () => {
    const text = { 'content-type': ['text/plain; charset=utf-8'] };
    const err = thrown(() => decodeResponse(500, text, Buffer.from('boom\n'), 'GET', { group: '', resource: 'pods' }));
    expect(err.message).toBe('an error on the server ("boom") has prevented the request from succeeding (get pods)');
    expect(err.reason).toBe('InternalError');
    expect(err.status.details?.causes).toEqual([{ reason: 'UnexpectedServerResponse', message: 'boom' }]);

    const conflictOnCreate = thrown(() => decodeResponse(409, {}, Buffer.alloc(0), 'POST', { group: 'apps', resource: 'deployments', name: 'web' }));
    expect(isAlreadyExists(conflictOnCreate)).toBe(true);
    expect(conflictOnCreate.message).toBe('the server reported a conflict (post deployments.apps web)');
    expect(isConflict(thrown(() => decodeResponse(409, {}, Buffer.alloc(0), 'PUT', undefined)))).toBe(true);

    // JSON that is not a Status says "unknown"; Forbidden keeps the server's text.
    expect(thrown(() => decodeResponse(502, json, Buffer.from('{"a":1}'), 'GET', undefined)).message).toBe(
      'an error on the server ("unknown") has prevented the request from succeeding',
    );
    expect(thrown(() => decodeResponse(403, text, Buffer.from('denied'), 'GET', undefined)).message).toBe('denied');
    expect(thrown(() => decodeResponse(418, {}, Buffer.alloc(0), 'GET', undefined)).message).toBe(
      'the server responded with the status code 418 but did not return more information',
    );
  });

  it('keeps Retry-After in the error details', () => {
    expect(genericServerError(429, 'GET', undefined, 'x', 7).status.details?.retryAfterSeconds).toBe(7);
    expect(thrown(() => decodeResponse(429, { 'retry-after': ['3'] }, Buffer.alloc(0), 'GET', undefined)).status.details?.retryAfterSeconds).toBe(3);
  });
});

describe('retryDelaySeconds', () => {
  it('retries 429 and 5xx that carry a whole-second Retry-After, nothing else', () => {
    expect(retryDelaySeconds(429, { 'retry-after': ['2'] })).toBe(2);
    expect(retryDelaySeconds(503, { 'retry-after': ['0'] })).toBe(0);
    expect(retryDelaySeconds(429, {})).toBeUndefined();
    expect(retryDelaySeconds(409, { 'retry-after': ['1'] })).toBeUndefined();
    expect(retryDelaySeconds(503, { 'retry-after': ['Wed, 21 Oct 2015 07:28:00 GMT'] })).toBeUndefined();
  });
});

describe('parseWarnings', () => {
  it('reads the text of 299 warnings, however many', () => {
    expect(parseWarnings({ warning: ['299 - "v1 ComponentStatus is deprecated in v1.19+"', '299 - "a \\"quoted\\" word", 199 - "other"'] })).toEqual([
      'v1 ComponentStatus is deprecated in v1.19+',
      'a "quoted" word',
    ]);
  });
});
