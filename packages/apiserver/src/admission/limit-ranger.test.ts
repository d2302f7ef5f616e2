import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { applyDefaults } from '@k8ts/api/defaults/index.ts';
import { limitRanger } from './limit-ranger.ts';
import { attributesFor, dependencies, memoryState, refusal } from './test-support.ts';

const limitRange = (limits: unknown[], name = 'dev-limits'): KubeObject => ({ metadata: { name, namespace: 'dev' }, spec: { limits } });
const DEV_LIMITS = limitRange([
  { type: 'Container', defaultRequest: { cpu: '200m', memory: '50Mi' }, default: { cpu: '500m', memory: '100Mi' } },
  { type: 'Pod', max: { cpu: '800m', memory: '200Mi' } },
]);

function pod(containers: unknown[], initContainers?: unknown[]): KubeObject {
  return { metadata: { name: 'ngx', namespace: 'dev' }, spec: { containers, ...(initContainers ? { initContainers } : {}) } };
}
const nginx = (resources?: Record<string, unknown>) => ({ name: 'nginx', image: 'nginx:alpine', ...(resources ? { resources } : {}) });

async function admitted(ranges: KubeObject[], object: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE', oldObject?: KubeObject): Promise<KubeObject> {
  const plugin = limitRanger(dependencies(memoryState({ '/limitranges': ranges })));
  const attributes = attributesFor({ operation, resource: 'pods', namespace: 'dev', object, ...(oldObject ? { oldObject } : {}) });
  await plugin.admit!(attributes);
  await plugin.validate!(attributes);
  return object;
}

async function refused(ranges: KubeObject[], object: KubeObject, resource = 'pods'): Promise<string> {
  const plugin = limitRanger(dependencies(memoryState({ '/limitranges': ranges })));
  const attributes = attributesFor({ operation: 'CREATE', resource, namespace: 'dev', object });
  await plugin.admit!(attributes);
  return (await refusal(plugin.validate!(attributes))).message;
}

describe('LimitRanger', () => {
  it('fills unset requests and limits from the Container defaults and says which in the annotation', async () => {
    const out = await admitted([DEV_LIMITS], pod([nginx()]));
    expect((out.spec as { containers: { resources: unknown }[] }).containers[0]!.resources).toEqual({
      limits: { cpu: '500m', memory: '100Mi' },
      requests: { cpu: '200m', memory: '50Mi' },
    });
    expect(out.metadata.annotations).toEqual({
      'kubernetes.io/limit-ranger': 'LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx',
    });
  });

  it('keeps what a container states, and names init containers apart', async () => {
    const out = await admitted([DEV_LIMITS], pod([nginx({ requests: { cpu: '100m' }, limits: { cpu: '300m', memory: '80Mi' } })], [{ name: 'setup', image: 'busybox' }]));
    const spec = out.spec as { containers: { resources: unknown }[]; initContainers: { resources: unknown }[] };
    expect(spec.containers[0]!.resources).toEqual({ requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '300m', memory: '80Mi' } });
    expect(out.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: memory request for container nginx; cpu, memory request for init container setup; cpu, memory limit for init container setup',
    );
  });

  it('lets a stated limit stand for the request, as the pod was decoded before admission', async () => {
    const decoded = pod([nginx({ limits: { cpu: '300m' } })]);
    applyDefaults({ group: '', version: 'v1', kind: 'Pod' }, decoded);
    const range = limitRange([{ type: 'Container', defaultRequest: { cpu: '100m', memory: '50Mi' }, default: { cpu: '500m', memory: '100Mi' } }]);
    const out = await admitted([range], decoded);
    expect((out.spec as { containers: { resources: unknown }[] }).containers[0]!.resources).toEqual({
      limits: { cpu: '300m', memory: '100Mi' },
      requests: { cpu: '300m', memory: '50Mi' },
    });
  });

  it('refuses containers outside min and max with Kubernetes wording', async () => {
    const range = limitRange([{ type: 'Container', max: { cpu: '1' }, min: { memory: '10Mi' } }]);
    expect(await refused([range], pod([nginx({ requests: { cpu: '500m', memory: '64Mi' }, limits: { cpu: '2', memory: '64Mi' } })]))).toBe(
      'pods "ngx" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
    expect(await refused([range], pod([nginx({ requests: { cpu: '500m', memory: '5Mi' }, limits: { cpu: '1', memory: '5Mi' } })]))).toBe(
      'pods "ngx" is forbidden: minimum memory usage per Container is 10Mi, but request is 5Mi',
    );
  });

  it('lists several violations at once, and checks the limit/request ratio', async () => {
    const range = limitRange([{ type: 'Container', max: { cpu: '1', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '2' } }]);
    const message = await refused([range], pod([nginx({ requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1500m', memory: '2Gi' } })]));
    // The defaults the range implies (default = max) leave these values as stated.
    expect(message).toBe(
      'pods "ngx" is forbidden: [maximum cpu usage per Container is 1, but limit is 1500m, maximum memory usage per Container is 1Gi, but limit is 2Gi, cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000]',
    );
  });

  it('checks a Pod item against the sum of the containers', async () => {
    const twoBig = pod([nginx({ limits: { cpu: '500m', memory: '100Mi' } }), { name: 'side', image: 'busybox', resources: { limits: { cpu: '500m', memory: '100Mi' } } }]);
    expect(await refused([DEV_LIMITS], twoBig)).toBe('pods "ngx" is forbidden: maximum cpu usage per Pod is 800m, but limit is 1');
  });

  it('checks claims against PersistentVolumeClaim bounds', async () => {
    const range = limitRange([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '5Gi' } }]);
    const claim = (storage: string): KubeObject => ({ metadata: { name: 'data', namespace: 'dev' }, spec: { resources: { requests: { storage } } } });
    expect(await refused([range], claim('10Gi'), 'persistentvolumeclaims')).toBe(
      'persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi',
    );
    expect(await refused([range], claim('500Mi'), 'persistentvolumeclaims')).toBe(
      'persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    );
  });

  it('leaves pod updates and namespaces without ranges alone', async () => {
    const old = pod([nginx()]);
    const out = await admitted([DEV_LIMITS], pod([nginx()]), 'UPDATE', old);
    expect(out.metadata.annotations).toBeUndefined();
    expect((await admitted([], pod([nginx()]))).metadata.annotations).toBeUndefined();
  });
});
