import { describe, expect, it } from 'vitest';
import { add, equals, lessThanOrEqual, mask, negativeNames, parseResourceList, prettyPrint, removeZeros, resourceListJson, subtractNonNegative } from './resource-list.ts';

const list = (json: Record<string, string>) => parseResourceList(json);

describe('quota resource lists', () => {
  it('adds name by name, keeping the format a memory sum is written in', () => {
    const sum = add(list({ 'requests.memory': '100Mi', pods: '1' }), list({ 'requests.memory': '28Mi', 'requests.cpu': '250m' }));
    expect(resourceListJson(sum)).toEqual({ pods: '1', 'requests.cpu': '250m', 'requests.memory': '128Mi' });
  });

  it('masks, compares and prints as the Forbidden messages do', () => {
    const used = list({ pods: '2', 'requests.cpu': '1500m' });
    const hard = list({ pods: '2', 'requests.cpu': '1' });
    expect(lessThanOrEqual(used, hard)).toEqual({ allowed: false, exceeded: ['requests.cpu'] });
    expect(lessThanOrEqual(mask(used, ['pods']), hard).allowed).toBe(true);
    expect(prettyPrint(used)).toBe('pods=2,requests.cpu=1500m');
  });

  it('treats 1 and 1000m as equal, and drops zeros and negatives on request', () => {
    expect(equals(list({ cpu: '1' }), list({ cpu: '1000m' }))).toBe(true);
    expect(equals(list({ cpu: '1' }), list({ cpu: '1', pods: '0' }))).toBe(false);
    expect(removeZeros(list({ cpu: '0', pods: '1' }))).toEqual(list({ pods: '1' }));
    expect(negativeNames(list({ b: '-1', a: '-2m', c: '3' }))).toEqual(['a', 'b']);
    expect(resourceListJson(subtractNonNegative(list({ cpu: '1', pods: '1' }), list({ cpu: '2' })))).toEqual({ cpu: '0', pods: '1' });
  });

  it('leaves out values that are not quantities', () => {
    expect(Object.keys(parseResourceList({ cpu: 'lots', memory: '1Gi' }))).toEqual(['memory']);
  });
});
