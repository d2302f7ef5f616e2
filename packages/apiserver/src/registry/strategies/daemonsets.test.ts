import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { daemonSetStrategy, TEMPLATE_GENERATION_ANNOTATION } from './daemonsets.ts';

const ctx = {} as never;

function daemonSet(image: string, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', ...(annotations ? { annotations } : {}) }, spec: { template: { spec: { containers: [{ name: 'c', image }] } } } };
}

const generation = (ds: KubeObject) => ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];

describe('DaemonSet template generation', () => {
  it('starts at 1 on create, keeping a valid one the client gave', () => {
    const created = daemonSet('a');
    daemonSetStrategy.prepareForCreate!(created, ctx);
    expect(generation(created)).toBe('1');
    const given = daemonSet('a', { [TEMPLATE_GENERATION_ANNOTATION]: '4', team: 'x' });
    daemonSetStrategy.prepareForCreate!(given, ctx);
    expect(given.metadata.annotations).toEqual({ [TEMPLATE_GENERATION_ANNOTATION]: '4', team: 'x' });
  });

  it('rises by one when an update changes the template, and cannot be changed by the client', () => {
    const old = daemonSet('a', { [TEMPLATE_GENERATION_ANNOTATION]: '2' });
    const changed = daemonSet('b', { [TEMPLATE_GENERATION_ANNOTATION]: '9' });
    daemonSetStrategy.prepareForUpdate!(changed, old, ctx);
    expect(generation(changed)).toBe('3');
    const same = daemonSet('a');
    daemonSetStrategy.prepareForUpdate!(same, old, ctx);
    expect(generation(same)).toBe('2');
  });
});
