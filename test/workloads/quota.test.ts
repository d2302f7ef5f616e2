// The Namespace, Quota and LimitRange journey of the tutorials on a hollow-node cluster, through
// real kubectl 1.32: a namespace whose ResourceQuota limits cpu and memory refuses a pod that
// states no resources, with Kubernetes' exact Forbidden message; once a LimitRange gives
// defaults the same `kubectl run` is accepted and the pod carries them (and the limit-ranger
// annotation); `describe quota` shows Used against Hard; a count quota refuses the pod too
// many, and gives the room back when a pod is deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, SLOW } from './fake-cluster.ts';

const cluster = new FakeCluster('quota', 1);
const DEV = 'dev-ns';
const COUNT = 'count-ns';

const DEV_QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: dev-qt
  namespace: ${DEV}
spec:
  hard:
    requests.cpu: "1"
    requests.memory: 1Gi
    limits.cpu: "2"
    limits.memory: 2Gi
    pods: "10"
`;

const DEV_LIMITS = `apiVersion: v1
kind: LimitRange
metadata:
  name: dev-limits
  namespace: ${DEV}
spec:
  limits:
  - type: Container
    defaultRequest:
      cpu: 200m
      memory: 50Mi
    default:
      cpu: 500m
      memory: 100Mi
  - type: Pod
    max:
      cpu: 800m
      memory: 200Mi
`;

function pod(name: string, cpu: string, memory: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${DEV}
spec:
  containers:
  - name: nginx
    image: nginx:alpine
    resources:
      requests: {cpu: ${cpu}, memory: ${memory}}
      limits: {cpu: ${cpu}, memory: ${memory}}
`;
}

/** Waits until the quota controller has recorded `resource` as `value` in status.used. */
function usedBecomes(namespace: string, quota: string, resource: string, value: string): Promise<string> {
  const path = `{.status.used.${resource.replace(/\./g, '\\.').replace(/\//g, '\\/')}}`;
  return cluster.eventually(`${quota} ${resource} used ${value}`, async () => {
    const used = await cluster.kubectlOk(['get', 'resourcequota', quota, '-n', namespace, '-o', `jsonpath=${path}`]);
    return used === value ? used : undefined;
  });
}

async function refusal(args: string[], stdin?: string): Promise<string> {
  const result = await cluster.kubectl(args, stdin);
  expect(result.code).toBe(1);
  return result.stderr.trim();
}

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', DEV]);
  await cluster.kubectlOk(['create', 'namespace', COUNT]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('ResourceQuota and LimitRange', () => {
  it('refuses a pod without resources once a cpu/memory quota exists', async () => {
    await cluster.kubectlOk(['apply', '-f', '-'], DEV_QUOTA);
    await usedBecomes(DEV, 'dev-qt', 'requests.cpu', '0');
    expect(await refusal(['run', 'ngx', '--image=nginx:alpine', '-n', DEV])).toBe(
      'Error from server (Forbidden): pods "ngx" is forbidden: failed quota: dev-qt: must specify limits.cpu for: ngx; limits.memory for: ngx; requests.cpu for: ngx; requests.memory for: ngx',
    );
  }, SLOW);

  it('accepts the same pod with the LimitRange defaults, and says which it set', async () => {
    await cluster.kubectlOk(['apply', '-f', '-'], DEV_LIMITS);
    await cluster.eventually('the LimitRange applies', async () => ((await cluster.kubectl(['run', 'ngx', '--image=nginx:alpine', '-n', DEV])).code === 0 ? true : undefined));
    const created = await cluster.json<{ metadata: { annotations?: Record<string, string> }; spec: { containers: { resources: unknown }[] } }>(['get', 'pod', 'ngx', '-n', DEV]);
    expect(created.spec.containers[0]!.resources).toEqual({ limits: { cpu: '500m', memory: '100Mi' }, requests: { cpu: '200m', memory: '50Mi' } });
    expect(created.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container ngx; cpu, memory limit for container ngx',
    );
  }, SLOW);

  it('shows the usage in describe quota', async () => {
    const described = await cluster.kubectlOk(['describe', 'quota', 'dev-qt', '-n', DEV]);
    expect(described).toMatch(/^Name: +dev-qt\nNamespace: +dev-ns\nResource +Used +Hard\n-+ +-+ +-+\n/);
    expect(described).toMatch(/^limits\.cpu +500m +2$/m);
    expect(described).toMatch(/^limits\.memory +100Mi +2Gi$/m);
    expect(described).toMatch(/^pods +1 +10$/m);
    expect(described).toMatch(/^requests\.cpu +200m +1$/m);
    expect(described).toMatch(/^requests\.memory +50Mi +1Gi$/m);
  }, SLOW);

  it('refuses what breaks the LimitRange, and what would go over the quota', async () => {
    expect(await refusal(['apply', '-f', '-'], pod('big', '900m', '64Mi'))).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "big" is forbidden: maximum cpu usage per Pod is 800m, but limit is 900m',
    );
    await cluster.kubectlOk(['apply', '-f', '-'], pod('fits', '800m', '64Mi'));
    await usedBecomes(DEV, 'dev-qt', 'requests.cpu', '1');
    expect(await refusal(['run', 'one-more', '--image=nginx:alpine', '-n', DEV])).toBe(
      'Error from server (Forbidden): pods "one-more" is forbidden: exceeded quota: dev-qt, requested: requests.cpu=200m, used: requests.cpu=1, limited: requests.cpu=1',
    );
  }, SLOW);

  it('refuses the third pod under pods=2, and the second deployment under count/deployments.apps=1', async () => {
    await cluster.kubectlOk(['create', 'quota', 'pods-max', '--hard=pods=2,count/deployments.apps=1', '-n', COUNT]);
    await usedBecomes(COUNT, 'pods-max', 'pods', '0');
    await cluster.kubectlOk(['run', 'p1', '--image=nginx:alpine', '-n', COUNT]);
    await cluster.kubectlOk(['run', 'p2', '--image=nginx:alpine', '-n', COUNT]);
    expect(await refusal(['run', 'p3', '--image=nginx:alpine', '-n', COUNT])).toBe(
      'Error from server (Forbidden): pods "p3" is forbidden: exceeded quota: pods-max, requested: pods=1, used: pods=2, limited: pods=2',
    );
    await cluster.kubectlOk(['create', 'deployment', 'web', '--image=nginx:alpine', '--replicas=0', '-n', COUNT]);
    expect(await refusal(['create', 'deployment', 'web2', '--image=nginx:alpine', '--replicas=0', '-n', COUNT])).toBe(
      'error: failed to create deployment: deployments.apps "web2" is forbidden: exceeded quota: pods-max, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
  }, SLOW);

  it('gives the room back when a pod is deleted', async () => {
    await cluster.kubectlOk(['delete', 'pod', 'p1', '-n', COUNT]);
    await usedBecomes(COUNT, 'pods-max', 'pods', '1');
    await cluster.kubectlOk(['run', 'p3', '--image=nginx:alpine', '-n', COUNT]);
    const described = await cluster.kubectlOk(['describe', 'quota', 'pods-max', '-n', COUNT]);
    expect(described).toMatch(/^count\/deployments\.apps +1 +1$/m);
    expect(described).toMatch(/^pods +2 +2$/m);
  }, SLOW);

  it('keeps a ReplicaSet from going over, which creates its pod once there is room', async () => {
    await cluster.kubectlOk(['scale', 'deployment', 'web', '--replicas=1', '-n', COUNT]);
    const failed = await cluster.eventually('a FailedCreate event', async () => {
      const messages = await cluster.kubectlOk(['get', 'events', '-n', COUNT, '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[*].message}']);
      return messages || undefined;
    });
    expect(failed).toMatch(/^Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pods-max, requested: pods=1, used: pods=2, limited: pods=2/);
    await cluster.kubectlOk(['delete', 'pod', 'p2', '-n', COUNT]);
    const pods = await cluster.eventually('the deployment\'s pod', async () => {
      const found = await cluster.pods(COUNT, 'app=web');
      return found.length === 1 ? found : undefined;
    });
    expect(pods[0]!.metadata.name).toMatch(/^web-/);
    await usedBecomes(COUNT, 'pods-max', 'pods', '2');
  }, SLOW);
});
