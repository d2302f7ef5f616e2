import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './label-parser.ts';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels } from './label-selector.ts';
import { SelectorError } from './selector-error.ts';

describe('matchesLabels', () => {
  const web = { app: 'web', tier: 'frontend', gen: '7' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (db,web)', true],
    ['missing in (a)', false],
    ['app notin (web)', false],
    ['missing notin (a)', true],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['gen>6', true],
    ['gen>7', false],
    ['gen<8', true],
    ['app>1', false], // a non-integer label never satisfies gt/lt
    ['missing<1', false],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
  ])('%j on {app:web,tier:frontend,gen:7} is %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), web)).toBe(expected);
  });

  it('distinguishes an empty label value from a missing label', () => {
    expect(matchesLabels(parseLabelSelector('a='), { a: '' })).toBe(true);
    expect(matchesLabels(parseLabelSelector('a='), {})).toBe(false);
    expect(matchesLabels(parseLabelSelector('a'), { a: '' })).toBe(true);
  });

  it('matches objects without labels only with negative requirements', () => {
    expect(matchesLabels(parseLabelSelector('!a,b!=c'), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector('a'), undefined)).toBe(false);
  });

  it('compares gt/lt as 64-bit integers, not strings', () => {
    expect(matchesLabels(parseLabelSelector('n>9'), { n: '10' })).toBe(true);
    expect(matchesLabels(parseLabelSelector('n<9223372036854775807'), { n: '9223372036854775806' })).toBe(true);
    expect(matchesLabels(parseLabelSelector('n>1'), { n: '9223372036854775808' })).toBe(false);
  });
});

describe('labelSelectorFromObject', () => {
  it('turns a missing selector into Nothing and an empty one into Everything', () => {
    expect(labelSelectorFromObject(null)).toBeNull();
    expect(labelSelectorFromObject(undefined)).toBeNull();
    expect(matchesLabels(labelSelectorFromObject(undefined), { app: 'web' })).toBe(false);
    expect(labelSelectorFromObject({})).toEqual([]);
    expect(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] })).toEqual([]);
    expect(matchesLabels(labelSelectorFromObject({}), { app: 'web' })).toBe(true);
  });

  it('prints like the Scale status.selector and the Table Selector column', () => {
    const selector = labelSelectorFromObject({
      matchLabels: { tier: 'frontend', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(formatLabelSelector(selector)).toBe('app=web,env in (dev,prod),!legacy,tier=frontend');
    expect(matchesLabels(selector, { app: 'web', tier: 'frontend', env: 'dev' })).toBe(true);
    expect(matchesLabels(selector, { app: 'web', tier: 'frontend', env: 'qa' })).toBe(false);
    expect(formatLabelSelector(null)).toBe('');
  });

  it('keeps expression values as written and sorts them only when printing', () => {
    const selector = labelSelectorFromObject({ matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['b', 'a', 'b'] }] });
    expect(selector).toEqual([{ key: 'k', operator: 'NotIn', values: ['b', 'a', 'b'] }]);
    expect(formatLabelSelector(selector)).toBe('k notin (a,b,b)');
  });

  it.each([
    [{ matchExpressions: [{ key: 'x', operator: 'In', values: [] }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'x', operator: 'NotIn' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [
      { matchExpressions: [{ key: 'x', operator: 'Exists', values: ['a', 'b'] }] },
      'values: Invalid value: []string{"a", "b"}: values set must be empty for exists and does not exist',
    ],
    [{ matchExpressions: [{ key: 'x', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
  ])('rejects %j', (selector, message) => {
    expect(() => labelSelectorFromObject(selector)).toThrow(SelectorError);
    expect(() => labelSelectorFromObject(selector)).toThrow(new SelectorError(message));
  });

  it('reports a bad key under "key" and joins its problems with "; "', () => {
    expect(() => labelSelectorFromObject({ matchLabels: { '': 'v' } })).toThrow(
      /^key: Invalid value: "": name part must be non-empty; name part must consist of alphanumeric characters/,
    );
  });
});

describe('formatLabelSelector round trip', () => {
  it.each(['app=web', 'a!=b,c in (x,y),!d,e notin (z),f', 'n>5,n<9', 'x in (,a)', 'example.com/role=api'])(
    '%j survives print and parse',
    (text) => {
      const selector = parseLabelSelector(text);
      expect(parseLabelSelector(formatLabelSelector(selector))).toEqual(selector);
    },
  );
});
