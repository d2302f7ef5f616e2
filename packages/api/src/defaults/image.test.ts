import { describe, expect, it } from 'vitest';
import { defaultPullPolicy, parseImageReference } from './image.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  it('reads name, tag and digest the way the runtime does', () => {
    expect(parseImageReference('nginx:1.25-alpine')).toEqual({ name: 'nginx', tag: '1.25-alpine', digest: '' });
    expect(parseImageReference('registry.local:5000/team/app:v2')).toEqual({
      name: 'registry.local:5000/team/app',
      tag: 'v2',
      digest: '',
    });
    expect(parseImageReference(`nginx@${DIGEST}`)).toEqual({ name: 'nginx', tag: '', digest: DIGEST });
  });

  it('treats an image with neither tag nor digest as :latest', () => {
    expect(parseImageReference('nginx')?.tag).toBe('latest');
    expect(parseImageReference('localhost:5000/app')?.tag).toBe('latest');
  });

  it('rejects what the reference grammar rejects', () => {
    expect(parseImageReference('')).toBeUndefined();
    expect(parseImageReference('Nginx:1.25')).toBeUndefined();
    expect(parseImageReference('nginx:')).toBeUndefined();
    expect(parseImageReference('a'.repeat(64))).toBeUndefined();
  });
});

describe('default imagePullPolicy', () => {
  it('is Always for :latest or no tag, IfNotPresent for any other tag or a digest', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy(`busybox:latest@${DIGEST}`)).toBe('Always');
    expect(defaultPullPolicy('redis:5-alpine')).toBe('IfNotPresent');
    expect(defaultPullPolicy(`busybox@${DIGEST}`)).toBe('IfNotPresent');
  });

  it('is IfNotPresent for an image that does not parse (validation reports it)', () => {
    expect(defaultPullPolicy('library/NGINX')).toBe('IfNotPresent');
    expect(defaultPullPolicy(undefined)).toBe('IfNotPresent');
  });
});
