import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import type { ClusterState } from './attributes.ts';
import { resourceQuota } from './resource-quota.ts';
import { attributesFor, dependencies, memoryState, refusal } from './test-support.ts';

const podNamed = (name: string): KubeObject => ({ metadata: { name, namespace: 'dev' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
const quota = (hard: Record<string, string>, used: Record<string, string>): KubeObject => ({
  metadata: { name: 'dev-qt', namespace: 'dev', resourceVersion: '1' },
  spec: { hard },
  status: { hard, used },
});
const createPod = (name: string, dryRun = false) => ({ ...attributesFor({ operation: 'CREATE', resource: 'pods', namespace: 'dev', object: podNamed(name) }), dryRun });

describe('ResourceQuota admission', () => {
  it('records each admitted create so the next one is measured against it', async () => {
    const stored = quota({ pods: '2' }, { pods: '0' });
    const plugin = resourceQuota(dependencies(memoryState({ '/resourcequotas': [stored] })));
    await plugin.validate!(createPod('a'));
    await plugin.validate!(createPod('b'));
    const third = await refusal(plugin.validate!(createPod('c')));
    expect(third).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(third.message).toBe('pods "c" is forbidden: exceeded quota: dev-qt, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('takes concurrent creates in one namespace one at a time', async () => {
    const state = memoryState({ '/resourcequotas': [quota({ pods: '3' }, { pods: '0' })] });
    const plugin = resourceQuota(dependencies(state));
    const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((name) => plugin.validate!(createPod(name))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect((await state.get({ group: '', resource: 'resourcequotas' }, 'dev', 'dev-qt'))?.status).toMatchObject({ used: { pods: '3' } });
  });

  it('re-checks against the fresh quota when its status write loses a race', async () => {
    const state = memoryState({ '/resourcequotas': [quota({ pods: '2' }, { pods: '0' })] });
    let raced = false;
    // The quota controller writes first: the stored usage moves to 2 under the plugin's feet.
    const racing: ClusterState = {
      ...state,
      get: (ref, ns, name) => state.get(ref, ns, name),
      getLive: (ref, ns, name) => state.getLive(ref, ns, name),
      list: (ref, ns) => state.list(ref, ns),
      async updateStatus(ref, object) {
        if (!raced) {
          raced = true;
          await state.updateStatus(ref, { ...object, status: { hard: { pods: '2' }, used: { pods: '2' } } });
        }
        return state.updateStatus(ref, object);
      },
    };
    const plugin = resourceQuota(dependencies(racing));
    expect((await refusal(plugin.validate!(createPod('a')))).message).toBe('pods "a" is forbidden: exceeded quota: dev-qt, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('checks dry runs without recording them, and ignores other namespaces, subresources and namespaces themselves', async () => {
    const state = memoryState({ '/resourcequotas': [quota({ pods: '1', 'count/namespaces': '0' }, { pods: '0', 'count/namespaces': '0' })] });
    const plugin = resourceQuota(dependencies(state));
    await plugin.validate!(createPod('dry', true));
    await plugin.validate!(createPod('real'));
    expect((await refusal(plugin.validate!(createPod('more')))).message).toContain('exceeded quota');
    await plugin.validate!({ ...attributesFor({ operation: 'CREATE', resource: 'pods', namespace: 'other', object: podNamed('x') }) });
    await plugin.validate!(attributesFor({ operation: 'CREATE', resource: 'namespaces', namespace: 'dev', name: 'dev', object: { metadata: { name: 'dev' } } }));
  });
});
