import { describe, expect, it } from 'vitest';
import { copyJson } from './object.ts';

describe('copyJson', () => {
  it('copies objects and arrays all the way down, so changing the copy leaves the original alone', () => {
    const original = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] }, n: null, b: true };
    const copy = copyJson(original);
    expect(copy).toEqual(original);
    copy.metadata.labels.app = 'db';
    copy.spec.containers[0]!.ports.push({ containerPort: 81 });
    expect(original.metadata.labels.app).toBe('web');
    expect(original.spec.containers[0]!.ports).toHaveLength(1);
  });

  it('keeps a parsed "__proto__" member as a member', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"y":2}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(Object.keys(copy)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"x":1},"y":2}');
  });

  it('copies containers that are not plain JSON as structuredClone does', () => {
    const original = { data: Buffer.from('abc'), when: new Date(0) };
    const copy = copyJson(original);
    expect(Buffer.from(copy.data).toString()).toBe('abc');
    expect(copy.when.getTime()).toBe(0);
    expect(copy.when).not.toBe(original.when);
  });
});
