import { describe, expect, it } from 'vitest';
import { checkBodyKind, summarizeBody, unrecognizedBody } from './decode-errors.ts';

const CONFIGMAP = { group: '', version: 'v1', kind: 'ConfigMap' };
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const HPA_V1 = { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' };
const message = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('summarizeBody', () => {
  it('quotes JSON text and shows anything else as hex, 30 bytes at most', () => {
    expect(summarizeBody(Buffer.alloc(0))).toBe('<empty>');
    expect(summarizeBody(Buffer.from('{bad'))).toBe('{bad');
    expect(summarizeBody(Buffer.from(`{"apiVersion":"v1","kind":"ConfigMap"}`))).toBe('{"apiVersion":"v1","kind":"Con ...');
    expect(summarizeBody(Buffer.from('a: [b\n'))).toBe('613a205b620a');
    expect(unrecognizedBody('Pod', 'x', Buffer.from('[1]')).message).toBe('the object provided is unrecognized (must be of type Pod): x (5b315d)');
  });
});

describe('checkBodyKind', () => {
  it('takes the kind of the URL, filling in what the body leaves out', () => {
    expect(checkBodyKind({}, CONFIGMAP)).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(checkBodyKind(null, CONFIGMAP)).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(checkBodyKind({ apiVersion: 'apps/v1' }, DEPLOYMENT)).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(checkBodyKind({ kind: 'Deployment', apiVersion: 'apps/v1' }, DEPLOYMENT)).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
  });

  it('refuses kinds that are not registered', () => {
    expect(message(() => checkBodyKind({ apiVersion: 'v1', kind: 'pod' }, CONFIGMAP))).toBe(
      'pod in version "v1" cannot be handled as a ConfigMap: no kind "pod" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    );
    expect(message(() => checkBodyKind({ apiVersion: 'apps/v1', kind: 'ConfigMap' }, CONFIGMAP))).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    );
  });

  it('refuses other kinds as failed conversions, and other versions of the same kind by version', () => {
    expect(message(() => checkBodyKind({ apiVersion: 'v1', kind: 'Secret' }, CONFIGMAP))).toBe(
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
    );
    expect(message(() => checkBodyKind({ apiVersion: 'v1', kind: 'ConfigMap' }, DEPLOYMENT))).toBe(
      'ConfigMap in version "v1" cannot be handled as a Deployment: converting (v1.ConfigMap) to (apps.Deployment): unknown conversion',
    );
    expect(message(() => checkBodyKind({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' }, HPA_V1))).toBe(
      'the API version in the data (autoscaling/v2) does not match the expected API version (autoscaling/v1)',
    );
  });

  it('refuses bodies whose type meta cannot be read, as Go json.Unmarshal words it', () => {
    expect(message(() => checkBodyKind([1], CONFIGMAP))).toBe(
      `couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
    expect(message(() => checkBodyKind({ apiVersion: 7 }, CONFIGMAP))).toBe(
      "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string",
    );
    expect(message(() => checkBodyKind({ apiVersion: 'a/b/c' }, CONFIGMAP))).toBe('unexpected GroupVersion string: a/b/c');
  });
});
