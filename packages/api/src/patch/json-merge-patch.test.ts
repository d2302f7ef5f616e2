import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../object.ts';
import { PatchError } from './errors.ts';
import { jsonMergePatch } from './json-merge-patch.ts';

function failure(run: () => unknown): PatchError {
  try {
    run();
  } catch (error) {
    if (error instanceof PatchError) return error;
    throw error;
  }
  throw new Error('expected a PatchError');
}

describe('JSON merge patch (RFC 7386)', () => {
  // RFC 7386 Appendix A, for every case where the patch is an object or an array.
  const examples: [JsonValue, JsonValue, JsonValue][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(examples)('applies %j + %j', (original, patch, expected) => {
    expect(jsonMergePatch(original, patch)).toEqual(expected);
  });

  it('applies the RFC 7386 section 3 example', () => {
    const original = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(jsonMergePatch(original, patch)).toEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it('refuses a null or scalar patch as the apiserver does, with 400 "Invalid JSON Patch"', () => {
    for (const patch of [null, 'bar', 42, true]) {
      const error = failure(() => jsonMergePatch({ a: 'foo' }, patch));
      expect(error.code).toBe('BadRequest');
      expect(error.message).toBe('Invalid JSON Patch');
    }
  });

  it('drops nulls from objects it adds, even inside added lists', () => {
    expect(jsonMergePatch({}, { items: [{ a: 1, b: null }, null] })).toEqual({ items: [{ a: 1 }, null] });
  });

  it('labels and unlabels an object the way kubectl label does', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const labelled = jsonMergePatch(pod, { metadata: { labels: { tier: 'fe' } } });
    expect(labelled).toEqual({ ...pod, metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } } });
    expect(jsonMergePatch(labelled, { metadata: { labels: { tier: null } } })).toEqual(pod);
  });

  it('scales through the scale subresource with {"spec":{"replicas":5}}', () => {
    const scale = {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default', resourceVersion: '42' },
      spec: { replicas: 3 },
      status: { replicas: 3, selector: 'app=web' },
    };
    expect(jsonMergePatch(scale, { spec: { replicas: 5 } })).toEqual({ ...scale, spec: { replicas: 5 } });
  });

  it('leaves both inputs untouched', () => {
    const original = { a: { b: 1, c: [1] } };
    const patch = { a: { b: null, d: { e: null } } };
    const before = structuredClone([original, patch]);
    const result = jsonMergePatch(original, patch) as { a: { c: number[] } };
    result.a.c.push(2);
    expect([original, patch]).toEqual(before);
  });

  it('treats "__proto__" as an ordinary member', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true}}') as JsonValue;
    const result = jsonMergePatch({}, patch) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(result.polluted).toBeUndefined();
  });
});
