import type { KubeObject } from '@k8ts/api';
import { describe, expect, it } from 'vitest';
import { FreshestObjects } from './freshest-objects.ts';

const at = (rv: string, uid = 'u1'): KubeObject => ({ metadata: { name: 'x', uid, resourceVersion: rv } });

describe('FreshestObjects', () => {
  it('prefers what was written until the cache shows that version or a newer one', () => {
    const fresh = new FreshestObjects();
    fresh.remember('pv/x', at('12'));
    expect(fresh.pick('pv/x', at('10'))?.metadata.resourceVersion).toBe('12');
    expect(fresh.pick('pv/x', undefined)?.metadata.resourceVersion).toBe('12');
    expect(fresh.pick('pv/x', at('13'))?.metadata.resourceVersion).toBe('13');
    // forgotten once the cache caught up
    expect(fresh.pick('pv/x', at('10'))?.metadata.resourceVersion).toBe('10');
  });

  it('lets a recreated object (another uid) and a deletion win', () => {
    const fresh = new FreshestObjects();
    fresh.remember('pv/x', at('12'));
    expect(fresh.pick('pv/x', at('5', 'u2'))?.metadata.uid).toBe('u2');
    fresh.remember('pv/x', at('20'));
    fresh.forget('pv/x');
    expect(fresh.pick('pv/x', undefined)).toBeUndefined();
  });
});
