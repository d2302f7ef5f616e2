// The core journey as a TypeScript program writes it with @kubernetes/client-node: typed CRUD
// on namespaces, configmaps and deployments against a real apiserver process on each store
// backend, with optimistic concurrency, the three patch types and Kubernetes' error Statuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { failure, kubeConfigFor } from './client.ts';

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

function webDeployment(): V1Deployment {
  return {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
            { name: 'logger', image: 'busybox:1.36', args: ['tail', '-f', '/dev/null'] },
          ],
        },
      },
    },
  };
}

describe.each(backends())('client-node API journey (store: %s)', (backend) => {
  let plane: ControlPlane;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  beforeAll(async () => {
    plane = await ControlPlane.start(backend);
    const config = kubeConfigFor(plane.url);
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
  });
  afterAll(async () => {
    await plane?.stop();
  });

  it('creates, reads, lists and deletes a namespace', async () => {
    const created = await core.createNamespace({ body: { metadata: { name: 'journey' } } });
    expect(created.metadata?.labels).toEqual({ 'kubernetes.io/metadata.name': 'journey' });
    expect(created.spec?.finalizers).toEqual(['kubernetes']);
    expect(created.status?.phase).toBe('Active');
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const read = await core.readNamespace({ name: 'journey' });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);

    const all = await core.listNamespace();
    expect(all.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'journey', 'kube-node-lease', 'kube-public', 'kube-system']),
    );
    const selected = await core.listNamespace({ labelSelector: 'kubernetes.io/metadata.name=journey' });
    expect(selected.items.map((n) => n.metadata?.name)).toEqual(['journey']);
    expect(Number(selected.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(created.metadata?.resourceVersion));

    const duplicate = await failure(core.createNamespace({ body: { metadata: { name: 'journey' } } }));
    expect(duplicate.code).toBe(409);
    expect(duplicate.status).toMatchObject({ reason: 'AlreadyExists', message: 'namespaces "journey" already exists' });

    // Without a namespace controller the namespace stays Terminating (its "kubernetes" finalizer).
    await core.deleteNamespace({ name: 'journey' });
    const terminating = await core.readNamespace({ name: 'journey' });
    expect(terminating.status?.phase).toBe('Terminating');
    expect(terminating.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    const refused = await failure(core.createNamespacedConfigMap({ namespace: 'journey', body: { metadata: { name: 'late' } } }));
    expect(refused.code).toBe(403);
    expect(refused.status).toMatchObject({
      reason: 'Forbidden',
      message: 'configmaps "late" is forbidden: unable to create new content in namespace journey because it is being terminated',
      details: { name: 'late', kind: 'configmaps', causes: [{ reason: 'NamespaceTerminating', field: 'metadata.namespace' }] },
    });
  });

  it('does CRUD on configmaps with label selectors and optimistic concurrency', async () => {
    await core.createNamespace({ body: { metadata: { name: 'settings' } } });
    const namespace = 'settings';
    const backendCm = await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'backend', labels: { tier: 'backend', app: 'shop' } }, data: { mode: 'fast' } },
    });
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'frontend', labels: { tier: 'frontend', app: 'shop' } }, data: { theme: 'dark' } },
    });
    expect(backendCm.metadata?.namespace).toBe(namespace);
    expect(backendCm.data).toEqual({ mode: 'fast' });

    const read = await core.readNamespacedConfigMap({ namespace, name: 'backend' });
    expect(read.metadata?.resourceVersion).toBe(backendCm.metadata?.resourceVersion);

    const names = async (labelSelector: string) =>
      (await core.listNamespacedConfigMap({ namespace, labelSelector })).items.map((c) => c.metadata?.name);
    expect(await names('tier=backend')).toEqual(['backend']);
    expect(await names('app=shop,tier!=backend')).toEqual(['frontend']);
    expect(await names('tier in (backend,frontend)')).toEqual(['backend', 'frontend']);
    expect(await names('tier notin (backend,frontend)')).toEqual([]);
    const bad = await failure(core.listNamespacedConfigMap({ namespace, labelSelector: 'tier in backend' }));
    expect(bad.code).toBe(400);
    expect(bad.status.reason).toBe('BadRequest');

    // Replace carries the resourceVersion it read: the first writer wins, the stale one gets 409.
    const stale = structuredClone(read);
    read.data = { mode: 'safe' };
    const replaced = await core.replaceNamespacedConfigMap({ namespace, name: 'backend', body: read });
    expect(replaced.data).toEqual({ mode: 'safe' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    stale.data = { mode: 'lost' };
    const conflict = await failure(core.replaceNamespacedConfigMap({ namespace, name: 'backend', body: stale }));
    expect(conflict.code).toBe(409);
    expect(conflict.status).toMatchObject({
      status: 'Failure',
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "backend": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'backend', kind: 'configmaps' },
    });
    expect((await core.readNamespacedConfigMap({ namespace, name: 'backend' })).data).toEqual({ mode: 'safe' });

    const smp = await core.patchNamespacedConfigMap({ namespace, name: 'backend', body: { data: { level: '3' } } }, strategic);
    expect(smp.data).toEqual({ mode: 'safe', level: '3' });
    const mp = await core.patchNamespacedConfigMap({ namespace, name: 'backend', body: { data: { mode: null }, metadata: { labels: { release: 'v2' } } } }, merge);
    expect(mp.data).toEqual({ level: '3' });
    expect(mp.metadata?.labels).toEqual({ tier: 'backend', app: 'shop', release: 'v2' });
    const jp = await core.patchNamespacedConfigMap(
      { namespace, name: 'backend', body: [{ op: 'replace', path: '/data/level', value: '4' }, { op: 'remove', path: '/metadata/labels/release' }] },
      jsonPatch,
    );
    expect(jp.data).toEqual({ level: '4' });
    expect(jp.metadata?.labels).toEqual({ tier: 'backend', app: 'shop' });
    // A JSON patch whose `test` fails changes nothing.
    const failedTest = await failure(
      core.patchNamespacedConfigMap(
        { namespace, name: 'backend', body: [{ op: 'test', path: '/data/level', value: '3' }, { op: 'replace', path: '/data/level', value: '9' }] },
        jsonPatch,
      ),
    );
    expect(failedTest.code).toBe(422);
    expect((await core.readNamespacedConfigMap({ namespace, name: 'backend' })).data).toEqual({ level: '4' });

    const deleted = await core.deleteNamespacedConfigMap({ namespace, name: 'backend' });
    expect(deleted).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'backend', kind: 'configmaps' } });
    const missing = await failure(core.readNamespacedConfigMap({ namespace, name: 'backend' }));
    expect(missing.code).toBe(404);
    expect(missing.status).toMatchObject({ reason: 'NotFound', message: 'configmaps "backend" not found' });
    expect(await names('app=shop')).toEqual(['frontend']);
  });

  it('does CRUD on deployments: defaults, patches by merge key, scale, foreground delete', async () => {
    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
    const namespace = 'shop';
    const created = await apps.createNamespacedDeployment({ namespace, body: webDeployment() });
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(created.spec?.revisionHistoryLimit).toBe(10);
    expect(created.spec?.progressDeadlineSeconds).toBe(600);
    expect(created.spec?.template.spec?.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });

    const invalid = await failure(
      apps.createNamespacedDeployment({ namespace, body: { ...webDeployment(), metadata: { name: 'Bad_Name' } } }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.status.reason).toBe('Invalid');
    expect(invalid.status.message).toContain('Deployment.apps "Bad_Name" is invalid');

    // Strategic merge: containers merge by name, so the logger survives an image change.
    const rolled = await apps.patchNamespacedDeployment(
      { namespace, name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } } },
      strategic,
    );
    expect(rolled.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['nginx=nginx:1.28', 'logger=busybox:1.36']);
    expect(rolled.metadata?.generation).toBe(2);
    // JSON merge patch replaces the list wholesale.
    const merged = await apps.patchNamespacedDeployment(
      { namespace, name: 'web', body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.29' }] } } } } },
      merge,
    );
    expect(merged.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['nginx=nginx:1.29']);
    // The default patch type of the generated client is JSON patch.
    const scaledByPatch = await apps.patchNamespacedDeployment({ namespace, name: 'web', body: [{ op: 'replace', path: '/spec/replicas', value: 4 }] });
    expect(scaledByPatch.spec?.replicas).toBe(4);

    const scale = await apps.readNamespacedDeploymentScale({ namespace, name: 'web' });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 4 }, status: { selector: 'app=web' } });
    scale.spec = { replicas: 1 };
    await apps.replaceNamespacedDeploymentScale({ namespace, name: 'web', body: scale });
    const current = await apps.readNamespacedDeployment({ namespace, name: 'web' });
    expect(current.spec?.replicas).toBe(1);

    current.spec!.paused = true;
    const replaced = await apps.replaceNamespacedDeployment({ namespace, name: 'web', body: current });
    expect(replaced.spec?.paused).toBe(true);
    const conflict = await failure(apps.replaceNamespacedDeployment({ namespace, name: 'web', body: current }));
    expect(conflict.code).toBe(409);
    expect(conflict.status.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );

    await apps.createNamespacedDeployment({ namespace, body: { ...webDeployment(), metadata: { name: 'api', labels: { app: 'api' } } } });
    const selected = await apps.listDeploymentForAllNamespaces({ labelSelector: 'app=api' });
    expect(selected.items.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`)).toEqual(['shop/api']);

    // Foreground deletion waits for the garbage collector: the object stays with a finalizer.
    await apps.deleteNamespacedDeployment({ namespace, name: 'web', propagationPolicy: 'Foreground' });
    const deleting = await apps.readNamespacedDeployment({ namespace, name: 'web' });
    expect(deleting.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(deleting.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    // Removing the last finalizer lets the deletion finish.
    await apps.patchNamespacedDeployment({ namespace, name: 'web', body: { metadata: { finalizers: null } } }, merge);
    expect((await failure(apps.readNamespacedDeployment({ namespace, name: 'web' }))).code).toBe(404);

    const gone = await apps.deleteNamespacedDeployment({ namespace, name: 'api' });
    expect(gone).toMatchObject({ status: 'Success', details: { name: 'api', group: 'apps', kind: 'deployments' } });
    expect((await apps.listNamespacedDeployment({ namespace })).items).toEqual([]);
  });
});
