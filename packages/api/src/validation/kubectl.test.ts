// The 422 messages users see from everyday kubectl commands, end to end: validation of the object
// as the apiserver holds it after defaulting, then the Status message.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../object.ts';
import { invalidMessage } from './message.ts';
import { container, create, deployment, pod, podSpec } from './testing/fixtures.ts';

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('messages kubectl shows', () => {
  it('kubectl create deployment Web --image=nginx', () => {
    const errors = create(deployment('Web'));
    expect(invalidMessage('Deployment', 'apps', 'Web', errors)).toBe(`Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": ${SUBDOMAIN}`);
    expect(errors).toEqual([{ type: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "Web": ${SUBDOMAIN}` }]);
  });

  it('kubectl run Web --image=nginx (the container is named after the pod)', () => {
    const p = pod('Web', podSpec({ containers: [container('Web')] }));
    expect(invalidMessage('Pod', '', 'Web', create(p))).toBe(
      `Pod "Web" is invalid: [metadata.name: Invalid value: "Web": ${SUBDOMAIN}, spec.containers[0].name: Invalid value: "Web": ${LABEL}]`,
    );
  });

  it('kubectl scale deploy web --replicas=-1 (as a full object)', () => {
    const d = deployment();
    (d.spec as JsonObject).replicas = -1;
    expect(invalidMessage('Deployment', 'apps', 'web', create(d))).toBe(
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('a pod without an image', () => {
    const p = pod('web', podSpec({ containers: [{ ...container(), image: '' }] }));
    expect(invalidMessage('Pod', '', 'web', create(p))).toBe('Pod "web" is invalid: spec.containers[0].image: Required value');
  });
});
