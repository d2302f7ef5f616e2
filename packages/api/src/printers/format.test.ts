import { describe, expect, it } from 'vitest';
import { containerCells, formatLabels, formatLabelSelector, formatQuantity, labelSelectorString } from './format.ts';

describe('formatLabels', () => {
  it('writes labels in key order, <none> when there are none', () => {
    expect(formatLabels({ tier: 'web', app: 'shop', 'app.kubernetes.io/name': 'shop' })).toBe('app=shop,app.kubernetes.io/name=shop,tier=web');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });
});

describe('label selectors', () => {
  it('writes every operator the way labels.Selector does', () => {
    const selector = {
      matchExpressions: [
        { key: 'track', operator: 'NotIn', values: ['canary', 'beta'] },
        { key: 'env', operator: 'In', values: ['prod'] },
        { key: 'gpu', operator: 'Exists' },
        { key: 'spot', operator: 'DoesNotExist' },
      ],
    };
    expect(labelSelectorString(selector)).toBe('env in (prod),gpu,!spot,track notin (beta,canary)');
  });

  it('distinguishes select-everything from invalid selectors', () => {
    expect(labelSelectorString({})).toBe('');
    expect(labelSelectorString(undefined)).toBe('');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toBeUndefined();
    expect(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toBeUndefined();
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toBe('<error>');
    expect(formatLabelSelector({ matchLabels: { 'bad key!': 'x' } })).toBe('<error>');
  });
});

describe('containerCells', () => {
  it('joins container names and images', () => {
    expect(containerCells([{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:2' }])).toEqual(['a,b', 'x:1,y:2']);
    expect(containerCells(undefined)).toEqual(['', '']);
  });
});

describe('formatQuantity', () => {
  it('writes quantities canonically, and anything else as it is', () => {
    expect(formatQuantity('1024Mi')).toBe('1Gi');
    expect(formatQuantity('1500m')).toBe('1500m');
    expect(formatQuantity('0.5')).toBe('500m');
    expect(formatQuantity(2.5)).toBe('2500m');
    expect(formatQuantity('lots')).toBe('lots');
  });
});
