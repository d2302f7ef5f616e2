import { describe, expect, it } from 'vitest';
import { formatFieldSelector, matchesFields, parseFieldSelector } from './field-selector.ts';
import { SelectorError } from './selector-error.ts';

describe('parseFieldSelector', () => {
  it('reads =, == and != terms joined by commas, sorted like k8s', () => {
    expect(parseFieldSelector('status.phase!=Succeeded,spec.nodeName==node-1,metadata.name=web')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'web' },
      { field: 'spec.nodeName', operator: '=', value: 'node-1' },
      { field: 'status.phase', operator: '!=', value: 'Succeeded' },
    ]);
  });

  it('selects everything with an empty selector and skips empty terms', () => {
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector('a=1,,b=2,')).toEqual([
      { field: 'a', operator: '=', value: '1' },
      { field: 'b', operator: '=', value: '2' },
    ]);
  });

  it('allows empty values and keeps spaces as written', () => {
    expect(parseFieldSelector('spec.nodeName=')).toEqual([{ field: 'spec.nodeName', operator: '=', value: '' }]);
    expect(parseFieldSelector('a = b')).toEqual([{ field: 'a ', operator: '=', value: ' b' }]);
  });

  it('unescapes \\\\, \\, and \\= in values', () => {
    expect(parseFieldSelector('a=x\\,y\\=z\\\\w,b=1')).toEqual([
      { field: 'a', operator: '=', value: 'x,y=z\\w' },
      { field: 'b', operator: '=', value: '1' },
    ]);
  });

  it.each([
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['a=1,x', "invalid selector: 'a=1,x'; can't understand 'x'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=\\q', 'invalid field selector: invalid escape sequence: \\q'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j with the apiserver message', (text, message) => {
    expect(() => parseFieldSelector(text)).toThrow(new SelectorError(message));
  });

  it('round-trips values with special characters through formatFieldSelector', () => {
    const requirements = [
      { field: 'involvedObject.fieldPath', operator: '=' as const, value: 'spec.containers{a,b=c}\\' },
      { field: 'metadata.name', operator: '!=' as const, value: 'web' },
    ];
    const text = formatFieldSelector(requirements);
    expect(text).toBe('involvedObject.fieldPath=spec.containers{a\\,b\\=c}\\\\,metadata.name!=web');
    expect(parseFieldSelector(text)).toEqual(requirements);
  });
});

describe('matchesFields', () => {
  const pod = { 'metadata.name': 'web-1', 'spec.nodeName': 'node-1', 'status.phase': 'Running' };
  it.each([
    ['', true],
    ['spec.nodeName=node-1', true],
    ['spec.nodeName=node-2', false],
    ['status.phase!=Succeeded,status.phase!=Failed', true],
    ['status.phase!=Running', false],
    ['metadata.name=web-1,spec.nodeName=node-1', true],
    ['status.podIP=', true], // a field without a value is ""
    ['status.podIP!=', false],
  ])('%j is %s for a running pod on node-1', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), pod)).toBe(expected);
  });
});
