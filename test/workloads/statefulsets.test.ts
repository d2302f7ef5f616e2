// The StatefulSet journey of the tutorials ("StatefulSet Basics") on a hollow-node cluster
// started with `k8ts up --runtime fake --nodes 3`, through real kubectl 1.32: a headless Service
// and a StatefulSet "web" of 3 with a volumeClaimTemplate; pods web-0..2 start in order (a watch
// sees each created only after its predecessor is Ready), each with its own claim
// www-web-<n>; a deleted pod comes back under the same name with the same claim; a rolling
// update replaces the pods from the highest ordinal down and `kubectl rollout
// status/history/undo` follow it; scaling down keeps the claims.
// The claims use the default class `k8ts up` installs (standard, WaitForFirstConsumer): each is
// provisioned on the node its pod was scheduled to, and the pod stays there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW, type Pod } from './fake-cluster.ts';

const cluster = new FakeCluster('sts', 3);
const NS = 'stateful';

const MANIFEST = `apiVersion: v1
kind: Service
metadata:
  name: nginx
  namespace: ${NS}
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: ${NS}
spec:
  serviceName: nginx
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
      storageClassName: standard
      resources:
        requests:
          storage: 1Gi
`;

interface StatefulSet {
  metadata: { name: string; uid: string; generation: number };
  spec: { template: { spec: { containers: { image: string }[] } } };
  status: { observedGeneration?: number; replicas: number; readyReplicas?: number; currentRevision?: string; updateRevision?: string; collisionCount?: number };
}

interface Claim {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { storageClassName?: string; volumeName?: string };
  status?: { phase?: string };
}

interface PodWithVolumes extends Pod {
  spec: Pod['spec'] & { hostname?: string; subdomain?: string; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
}

const imageOf = (pod: Pod): string => pod.spec.containers[0]!.image;

async function rolledOut(): Promise<string> {
  return cluster.kubectlOk(['rollout', 'status', 'statefulset/web', '-n', NS, '--timeout=240s']);
}

async function readyPods(count: number): Promise<PodWithVolumes[]> {
  return cluster.eventually(`${count} ready web pods`, async () => {
    const pods = (await cluster.pods(NS, 'app=nginx')).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === count && pods.every(isReady) ? (pods as PodWithVolumes[]).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!)) : undefined;
  }, 240_000);
}

async function claimNames(): Promise<string[]> {
  const out = await cluster.kubectlOk(['get', 'pvc', '-n', NS, '-l', 'app=nginx', '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.trim().split(/\s+/).filter(Boolean).sort();
}

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('a StatefulSet on hollow nodes', () => {
  it('starts web-0, web-1, web-2 in order, each after its predecessor is Ready, each with its own claim', async () => {
    // Per pod: the step at which the watch first saw it, and first saw it Ready.
    const seen = new Map<string, number>();
    const ready = new Map<string, number>();
    let step = 0;
    const watch = await cluster.watchPods(NS, 'app=nginx', (pods) => {
      step++;
      for (const [name, pod] of pods) {
        if (!seen.has(name)) seen.set(name, step);
        if (!ready.has(name) && isReady(pod)) ready.set(name, step);
      }
    });
    try {
      const applied = await cluster.kubectlOk(['apply', '-f', '-'], MANIFEST);
      expect(applied).toContain('statefulset.apps/web created');
      await readyPods(3);
    } finally {
      watch.stop();
    }
    expect(seen.get('web-1')!).toBeGreaterThan(ready.get('web-0')!);
    expect(seen.get('web-2')!).toBeGreaterThan(ready.get('web-1')!);

    expect(await rolledOut()).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const row = (await cluster.kubectlOk(['get', 'statefulset', 'web', '-n', NS, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 2)).toEqual(['web', '3/3']);

    const sts = await cluster.json<StatefulSet>(['get', 'statefulset', 'web', '-n', NS]);
    expect(sts.status).toMatchObject({ observedGeneration: 1, replicas: 3, readyReplicas: 3, collisionCount: 0 });
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
    expect(sts.status.currentRevision).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);

    for (const [ordinal, pod] of (await readyPods(3)).entries()) {
      expect(pod.metadata.name).toBe(`web-${ordinal}`);
      expect(pod.spec.hostname).toBe(`web-${ordinal}`);
      expect(pod.spec.subdomain).toBe('nginx');
      expect(pod.metadata.labels).toMatchObject({
        'statefulset.kubernetes.io/pod-name': `web-${ordinal}`,
        'apps.kubernetes.io/pod-index': String(ordinal),
        'controller-revision-hash': sts.status.currentRevision,
      });
      expect(pod.spec.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim?.claimName).toBe(`www-web-${ordinal}`);
      expect(pod.metadata.ownerReferences).toMatchObject([{ kind: 'StatefulSet', name: 'web', uid: sts.metadata.uid, controller: true }]);
    }

    expect(await claimNames()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    const claim = await cluster.json<Claim>(['get', 'pvc', 'www-web-0', '-n', NS]);
    expect(claim.metadata.labels).toEqual({ app: 'nginx' });
    expect(claim.spec.storageClassName).toBe('standard');
    // provisioned for the node web-0 was scheduled to, and bound
    const bound = await cluster.eventually('www-web-0 Bound', async () => {
      const c = await cluster.json<Claim>(['get', 'pvc', 'www-web-0', '-n', NS]);
      return c.status?.phase === 'Bound' ? c : undefined;
    });
    const web0 = (await readyPods(3))[0]!;
    expect(bound.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(web0.spec.nodeName);
    const volume = await cluster.kubectlOk(['get', 'pv', bound.spec.volumeName!, '-o', 'jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}']);
    expect(volume).toBe(web0.spec.nodeName);

    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    for (let ordinal = 0; ordinal < 3; ordinal++) {
      expect(events).toContain(`SuccessfulCreate: create Claim www-web-${ordinal} Pod web-${ordinal} in StatefulSet web success`);
      expect(events).toContain(`SuccessfulCreate: create Pod web-${ordinal} in StatefulSet web successful`);
    }
  }, SLOW);

  it('brings a deleted pod back under the same name, with the same claim', async () => {
    const before = (await readyPods(3))[1]!;
    await cluster.kubectlOk(['delete', 'pod', 'web-1', '-n', NS]);
    const pods = await cluster.eventually('web-1 replaced and Ready', async () => {
      const current = await readyPods(3);
      return current[1]!.metadata.uid !== before.metadata.uid ? current : undefined;
    }, 240_000);
    expect(pods.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1', 'web-2']);
    expect(pods[1]!.spec.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim?.claimName).toBe('www-web-1');
    expect(await claimNames()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
  }, SLOW);

  it('rolls out a new image from the highest ordinal down, with rollout status, history and undo', async () => {
    const deletedInOrder: string[] = [];
    const live = new Set<string>();
    const watch = await cluster.watchPods(NS, 'app=nginx', (pods) => {
      for (const name of live) if (!pods.has(name) && deletedInOrder.at(-1) !== name) deletedInOrder.push(name);
      live.clear();
      for (const name of pods.keys()) live.add(name);
    });
    try {
      // A revision copies the set's annotations when it is made: the change-cause goes first.
      await cluster.kubectlOk(['annotate', 'statefulset', 'web', '-n', NS, 'kubernetes.io/change-cause=upgrade to 0.27']);
      await cluster.kubectlOk(['set', 'image', 'statefulset/web', 'nginx=registry.k8s.io/nginx-slim:0.27', '-n', NS]);
      expect(await rolledOut()).toContain('partitioned roll out complete: 3 new pods have been updated...');
      await cluster.eventually('the update revision current', async () => {
        const sts = await cluster.json<StatefulSet>(['get', 'statefulset', 'web', '-n', NS]);
        return sts.status.currentRevision === sts.status.updateRevision && sts.status.readyReplicas === 3 ? sts : undefined;
      }, 240_000);
    } finally {
      watch.stop();
    }
    expect(deletedInOrder).toEqual(['web-2', 'web-1', 'web-0']);
    expect((await readyPods(3)).map(imageOf)).toEqual(Array(3).fill('registry.k8s.io/nginx-slim:0.27'));

    const history = await cluster.kubectlOk(['rollout', 'history', 'statefulset/web', '-n', NS]);
    expect(history).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+upgrade to 0\.27$/m);
    const revisions = await cluster.kubectlOk(['get', 'controllerrevisions', '-n', NS, '-l', 'app=nginx', '--no-headers']);
    expect(revisions.trim().split('\n')).toHaveLength(2);

    expect(await cluster.kubectlOk(['rollout', 'undo', 'statefulset/web', '-n', NS])).toContain('statefulset.apps/web rolled back');
    await cluster.eventually('the rollback rolled out', async () => {
      const pods = await readyPods(3);
      return pods.every((p) => imageOf(p) === 'registry.k8s.io/nginx-slim:0.24') ? pods : undefined;
    }, 240_000);
    const after = await cluster.kubectlOk(['rollout', 'history', 'statefulset/web', '-n', NS]);
    expect(after).toMatch(/^2\s+/m);
    expect(after).toMatch(/^3\s+/m);
    expect(after).not.toMatch(/^1\s+/m);
  }, SLOW);

  it('scales down to 1 from the highest ordinal, keeping every claim', async () => {
    await cluster.kubectlOk(['scale', 'statefulset', 'web', '--replicas=1', '-n', NS]);
    const pods = await readyPods(1);
    expect(pods.map((p) => p.metadata.name)).toEqual(['web-0']);
    expect(await claimNames()).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    expect(events).toContain('delete Pod web-2 in StatefulSet web successful');
    expect(events).toContain('delete Pod web-1 in StatefulSet web successful');
  }, SLOW);
});
