import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../object.ts';
import { PatchError, UNPROCESSABLE_MESSAGE } from './errors.ts';
import { applyJsonPatch } from './json-patch.ts';

function failure(run: () => unknown): PatchError {
  try {
    run();
  } catch (error) {
    if (error instanceof PatchError) return error;
    throw error;
  }
  throw new Error('expected a PatchError');
}

/** A patch that cannot be applied: 422 with the apiserver's fixed message, the cause in `detail`. */
function rejection(original: JsonValue, operations: JsonValue): string | undefined {
  const error = failure(() => applyJsonPatch(original, operations));
  expect(error.code).toBe('Invalid');
  expect(error.message).toBe(UNPROCESSABLE_MESSAGE);
  return error.detail;
}

describe('JSON patch (RFC 6902)', () => {
  // RFC 6902 Appendix A examples that succeed.
  const examples: [string, JsonValue, JsonValue, JsonValue][] = [
    ['A.1 adding an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 adding an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 removing an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 removing an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replacing a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'A.6 moving a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['A.7 moving an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    [
      'A.8 testing a value: success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    ['A.10 adding a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignoring unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.16 adding an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  ];
  it.each(examples)('%s', (_name, original, operations, expected) => {
    expect(applyJsonPatch(original, operations)).toEqual(expected);
  });

  it('A.9 a failing test rejects the whole patch with 422', () => {
    expect(rejection({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }])).toBe('testing value /baz failed: test failed');
    // A.15: a string never equals a number.
    expect(rejection({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }])).toBe('testing value /~01 failed: test failed');
  });

  it('A.12 adding to a nonexistent target is refused', () => {
    expect(rejection({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }])).toBe(
      'add operation does not apply: doc is missing path: "/baz/bat": missing value',
    );
  });

  it('words bad paths and indexes as the apiserver does', () => {
    const doc = { spec: { args: ['a', 'b'] } };
    expect(rejection(doc, [{ op: 'remove', path: '/spec/missing' }])).toBe(
      "error in remove for path: '/spec/missing': Unable to remove nonexistent key: missing: missing value",
    );
    expect(rejection(doc, [{ op: 'add', path: '/spec/args/5', value: 'x' }])).toBe(
      "error in add for path: '/spec/args/5': Unable to access invalid index: 5: invalid index referenced",
    );
    expect(rejection(doc, [{ op: 'add', path: '/spec/args/x', value: 'x' }])).toBe(
      `error in add for path: '/spec/args/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`,
    );
    expect(rejection(doc, [{ op: 'replace', path: '/spec/args/2', value: 'x' }])).toBe(
      'replace operation does not apply: doc is missing key: /spec/args/2: missing value',
    );
    expect(rejection(doc, [{ op: 'remove', path: '/nothing/here' }])).toBe(
      'remove operation does not apply: doc is missing path: "/nothing/here": missing value',
    );
    expect(rejection(doc, [{ op: 'add', value: 1 }])).toBe('add operation failed to decode path: missing value');
    expect(rejection(doc, [{ op: 'replace', path: 7, value: 1 }])).toBe(
      'replace operation failed to decode path: json: cannot unmarshal number into Go value of type string',
    );
    expect(rejection(doc, [{ op: 'move', path: '/a' }])).toBe('move operation failed to decode from: operation, missing from field: missing value');
    expect(rejection(doc, [{ op: 'frobnicate', path: '/a' }])).toBe('Unexpected kind: frobnicate');
    expect(rejection(doc, [{ path: '/a' }])).toBe('Unexpected kind: unknown');
  });

  it('applies nothing when any operation fails', () => {
    const doc = { a: 1 };
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 2 }])).toThrow(PatchError);
    expect(doc).toEqual({ a: 1 });
  });

  it('refuses a body that is not a list of operations with 400', () => {
    const notAList = failure(() => applyJsonPatch({}, { op: 'add', path: '/a', value: 1 }));
    expect(notAList.code).toBe('BadRequest');
    expect(notAList.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    const badOperation = failure(() => applyJsonPatch({}, ['add']));
    expect(badOperation.code).toBe('BadRequest');
    expect(badOperation.message).toBe('json: cannot unmarshal string into Go value of type jsonpatch.Operation');
    expect(applyJsonPatch({ a: 1 }, null)).toEqual({ a: 1 });
  });

  it('counts negative array indexes from the end', () => {
    expect(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'remove', path: '/l/-1' }])).toEqual({ l: [1, 2] });
    expect(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'replace', path: '/l/-3', value: 0 }])).toEqual({ l: [0, 2, 3] });
    expect(applyJsonPatch({ l: [1, 2] }, [{ op: 'add', path: '/l/-1', value: 9 }])).toEqual({ l: [1, 2, 9] });
    expect(rejection({ l: [1] }, [{ op: 'remove', path: '/l/-2' }])).toBe(
      "error in remove for path: '/l/-2': Unable to access invalid index: -2: invalid index referenced",
    );
  });

  it('keeps the library quirks the apiserver exhibits', () => {
    // replace of a missing object member adds it; copy from a missing member copies null
    expect(applyJsonPatch({ a: {} }, [{ op: 'replace', path: '/a/b', value: 1 }])).toEqual({ a: { b: 1 } });
    expect(applyJsonPatch({ a: {} }, [{ op: 'copy', from: '/a/x', path: '/a/y' }])).toEqual({ a: { y: null } });
    // test treats a missing member as null; replace of the root swaps in an object
    expect(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/b', value: null }])).toEqual({ a: 1 });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
    // a null member cannot be walked through
    expect(rejection({ a: null }, [{ op: 'add', path: '/a/b', value: 1 }])).toBe('add operation does not apply: doc is missing path: "/a/b": missing value');
  });

  it('applies a kubectl rollout undo patch (template and annotations replaced)', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: {
        replicas: 2,
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      },
    };
    const previousTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
    const undone = applyJsonPatch(deployment, [
      { op: 'replace', path: '/spec/template', value: previousTemplate },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ]);
    expect(undone).toEqual({
      ...deployment,
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas: 2, template: previousTemplate },
    });
  });

  it('leaves both inputs untouched and shares nothing with them', () => {
    const value = { deep: [1] };
    const original = { list: [value] };
    const operations: JsonValue = [{ op: 'add', path: '/list/-', value }, { op: 'copy', from: '/list/0', path: '/copied' }];
    const before = structuredClone([original, operations]);
    const result = applyJsonPatch(original, operations) as { copied: { deep: number[] } };
    result.copied.deep.push(2);
    expect([original, operations]).toEqual(before);
  });
});
