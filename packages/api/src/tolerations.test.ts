import { describe, expect, it } from 'vitest';
import { toleratesTaint } from './tolerations.ts';

const taint = { key: 'dedicated', value: 'infra', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it('matches by key, value and effect as Kubernetes does', () => {
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'infra' }, taint)).toBe(true); // "" is Equal; no effect matches any
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true); // empty key with Exists: everything
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Lt', value: 'infra' }, taint)).toBe(false);
  });
});
