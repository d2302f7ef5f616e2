import { describe, expect, it } from 'vitest';
import { checkTyped, decodeTypedBody } from './decode-object.ts';

const CONFIG_MAP = { group: '', version: 'v1', kind: 'ConfigMap' };
const body = (value: unknown) => Buffer.from(JSON.stringify(value));
const withUnknown = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', colour: 'red' }, data: { a: '1' }, extra: true };

// Unknown fields are reported in the order the body has them, as Go's JSON decoder meets them.
describe('strict field validation', () => {
  it('names the kind a create or update body could not become', () => {
    expect(() => decodeTypedBody('application/json', body(withUnknown), CONFIG_MAP, 'Strict', { warnings: [] })).toThrow(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.colour", unknown field "extra"',
    );
  });

  it('reports a patched object with the strict decoding error alone', () => {
    expect(() => checkTyped(withUnknown, [], CONFIG_MAP, 'Strict', { warnings: [] })).toThrow(/^strict decoding error: unknown field "metadata.colour", unknown field "extra"$/);
  });

  it('warns instead under Warn, and drops the unknown fields', () => {
    const warnings: string[] = [];
    const object = decodeTypedBody('application/json', body(withUnknown), CONFIG_MAP, 'Warn', { warnings });
    expect(warnings).toEqual(['unknown field "metadata.colour"', 'unknown field "extra"']);
    expect(object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
  });
});
