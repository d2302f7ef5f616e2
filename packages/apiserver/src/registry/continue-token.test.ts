import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from './continue-token.ts';

const PREFIX = '/registry/configmaps/';
const token = (json: string) => Buffer.from(json).toString('base64url');

describe('continue tokens', () => {
  it('round-trips as unpadded URL-safe base64 of Kubernetes JSON', () => {
    const text = encodeContinue('/registry/configmaps/default/cm-2\x00', PREFIX, 42);
    expect(text).not.toMatch(/[=+/]/);
    expect(JSON.parse(Buffer.from(text, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'default/cm-2\x00' });
    expect(decodeContinue(text, PREFIX)).toEqual({ fromKey: '/registry/configmaps/default/cm-2\x00', revision: 42 });
  });

  it('refuses damaged tokens with the words of the Kubernetes storage layer', () => {
    const fails = (text: string) => () => decodeContinue(text, PREFIX);
    expect(fails('!!!!')).toThrow('continue key is not valid: illegal base64 data at input byte 0');
    expect(fails('abcde')).toThrow('continue key is not valid: illegal base64 data at input byte 4');
    expect(fails(token('{bad'))).toThrow("continue key is not valid: invalid character 'b' looking for beginning of object key string");
    expect(fails(token('[1]'))).toThrow('continue key is not valid: json: cannot unmarshal array into Go value of type storage.continueToken');
    expect(fails(token('{"v":1}'))).toThrow('continue key is not valid: json: cannot unmarshal number into Go struct field continueToken.v of type string');
    expect(fails(token('{"v":"meta.k8s.io/v1","rv":1.5,"start":"a"}'))).toThrow(
      'continue key is not valid: json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64',
    );
    expect(fails(token('{"v":"meta.k8s.io/v2","rv":1,"start":"a"}'))).toThrow('continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2');
    expect(fails(token('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'))).toThrow(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
    expect(fails(token('{"v":"meta.k8s.io/v1","rv":3,"start":""}'))).toThrow('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  });

  it('keeps the start key inside the listed prefix', () => {
    expect(() => decodeContinue(token('{"v":"meta.k8s.io/v1","rv":3,"start":"../secrets/x"}'), PREFIX)).toThrow('continue key is not valid: ../secrets/x');
    expect(decodeContinue(token('{"V":"meta.k8s.io/v1","RV":3,"Start":"/a"}'), PREFIX)).toEqual({ fromKey: '/registry/configmaps/a', revision: 3 });
  });
});
