import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../object.ts';
import { create, lines, stored, update } from '../testing/fixtures.ts';

const configMap = (data: JsonObject, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app', namespace: 'default' },
  data,
  ...extra,
});

const secret = (type: string, data: JsonObject, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'app', namespace: 'default' },
  type,
  data,
  ...extra,
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('ConfigMap', () => {
  it('accepts file-like keys', () => {
    expect(create(configMap({ 'game.properties': 'x=1', 'UI_COLOR': 'red' }))).toEqual([]);
  });

  it('rejects keys outside [-._a-zA-Z0-9]', () => {
    expect(lines(create(configMap({ 'my key': 'v' })))).toEqual([
      "data[my key]: Invalid value: \"my key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
  });

  it('limits the data to 1 MiB, reported on the whole object', () => {
    expect(lines(create(configMap({ big: 'x'.repeat(1024 * 1024 + 1) })))).toEqual([': Too long: may not be more than 1048576 bytes']);
  });

  it('freezes an immutable ConfigMap', () => {
    const old = stored(configMap({ a: '1' }, { immutable: true }));
    const changed = structuredClone(old);
    changed.data = { a: '2' };
    expect(lines(update(changed, old))).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    const unfrozen = structuredClone(old);
    unfrozen.immutable = false;
    expect(lines(update(unfrozen, old))).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set']);
  });
});

describe('Secret', () => {
  it('wants tls.crt and tls.key in a TLS secret', () => {
    expect(lines(create(secret('kubernetes.io/tls', { 'tls.crt': b64('cert') })))).toEqual(['data[tls.key]: Required value']);
    expect(create(secret('kubernetes.io/tls', { 'tls.crt': b64('cert'), 'tls.key': b64('key') }))).toEqual([]);
  });

  it('counts stringData as data', () => {
    expect(create(secret('kubernetes.io/tls', {}, { stringData: { 'tls.crt': 'c', 'tls.key': 'k' } }))).toEqual([]);
    expect(lines(create(secret('Opaque', {}, { stringData: { 'bad key': 'v' } })))[0]).toMatch(/^data\[bad key\]: Invalid value: "bad key": a valid config key/);
  });

  it('limits decoded data to 1 MiB', () => {
    expect(lines(create(secret('Opaque', { big: b64('x'.repeat(1024 * 1024 + 1)) })))).toEqual(['data: Too long: may not be more than 1048576 bytes']);
  });

  it('wants a username or password in basic-auth secrets', () => {
    expect(lines(create(secret('kubernetes.io/basic-auth', {})))).toEqual(['data[username]: Required value', 'data[password]: Required value']);
  });

  it('checks docker config JSON', () => {
    expect(lines(create(secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64('not json') })))).toEqual([
      'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'o\' in literal null (expecting \'u\')',
    ]);
  });

  it('keeps the type on update', () => {
    const old = stored(secret('Opaque', { a: b64('1') }));
    const changed = structuredClone(old);
    changed.type = 'kubernetes.io/basic-auth';
    changed.data = { username: b64('u') };
    expect(lines(update(changed, old))).toEqual(['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
  });
});
