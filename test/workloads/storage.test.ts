// The storage journeys of the tutorials on a hollow-node cluster started with `k8ts up --runtime
// fake --nodes 2`, through real kubectl 1.32:
//   - static binding: a 10Mi hostPath PersistentVolume and a 5Mi claim of the same class bind,
//     and the claim shows the volume's 10Mi; a 100Mi claim stays Pending and says why; a pod
//     using the bound claim runs;
//   - dynamic provisioning through the default StorageClass ("standard", k8ts.io/local-path,
//     WaitForFirstConsumer): a claim waits for its first consumer, the scheduler picks the pod's
//     node, the provisioner makes a node-local volume there, the pod runs on that node; the
//     claim, deleted while in use, stays Terminating until the pod is gone, and its volume is
//     deleted with it (reclaim policy Delete).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW, type Pod } from './fake-cluster.ts';

const cluster = new FakeCluster('storage', 2);
const NS = 'volumes';

interface PersistentVolume {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    capacity: { storage: string };
    claimRef?: { namespace: string; name: string; uid: string };
    hostPath?: { path: string; type?: string };
    persistentVolumeReclaimPolicy: string;
    storageClassName?: string;
    nodeAffinity?: { required: { nodeSelectorTerms: { matchExpressions: { key: string; operator: string; values: string[] }[] }[] } };
  };
  status: { phase: string };
}

interface PersistentVolumeClaim {
  metadata: { name: string; uid: string; annotations?: Record<string, string> };
  spec: { volumeName?: string; storageClassName?: string };
  status: { phase: string; capacity?: { storage: string } };
}

const STATIC = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: host-10m-pv
spec:
  storageClassName: host-test
  accessModes:
  - ReadWriteOnce
  capacity:
    storage: 10Mi
  hostPath:
    path: /tmp/host-10m-pv/
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: host-5m-pvc
  namespace: ${NS}
spec:
  storageClassName: host-test
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 5Mi
`;

function claimManifest(name: string, size: string, storageClassName?: string): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
  namespace: ${NS}
spec:
${storageClassName !== undefined ? `  storageClassName: "${storageClassName}"\n` : ''}  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: ${size}
`;
}

function podManifest(name: string, claimName: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  containers:
  - name: nginx
    image: nginx:alpine
    volumeMounts:
    - name: data
      mountPath: /tmp
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: ${claimName}
`;
}

async function claim(name: string): Promise<PersistentVolumeClaim> {
  return cluster.json<PersistentVolumeClaim>(['get', 'pvc', name, '-n', NS]);
}

async function volume(name: string): Promise<PersistentVolume> {
  return cluster.json<PersistentVolume>(['get', 'pv', name]);
}

async function readyPod(name: string): Promise<Pod> {
  return cluster.eventually(`pod ${name} Ready`, async () => {
    const pod = await cluster.json<Pod>(['get', 'pod', name, '-n', NS]);
    return isReady(pod) ? pod : undefined;
  });
}

/** "<type> <reason> <message>" of the events about one object, oldest first. */
async function eventsAbout(name: string): Promise<string[]> {
  const list = await cluster.json<{ items: { type: string; reason: string; message: string; lastTimestamp?: string }[] }>([
    'get',
    'events',
    '-n',
    NS,
    '--field-selector',
    `involvedObject.name=${name}`,
    '--sort-by=.lastTimestamp',
  ]);
  return list.items.map((e) => `${e.type} ${e.reason} ${e.message}`);
}

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('PersistentVolumes and claims on hollow nodes', () => {
  it('binds a 5Mi claim to the 10Mi hostPath volume and shows 10Mi', async () => {
    await cluster.kubectlOk(['apply', '-f', '-'], STATIC);
    const row = await cluster.eventually('host-5m-pvc Bound', async () => {
      const cells = (await cluster.kubectlOk(['get', 'pvc', 'host-5m-pvc', '-n', NS, '--no-headers'])).trim().split(/\s+/);
      return cells[1] === 'Bound' ? cells : undefined;
    });
    // NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE
    expect(row.slice(0, 7)).toEqual(['host-5m-pvc', 'Bound', 'host-10m-pv', '10Mi', 'RWO', 'host-test', '<unset>']);
    const pvRow = (await cluster.kubectlOk(['get', 'pv', 'host-10m-pv', '--no-headers'])).trim().split(/\s+/);
    // NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS ...
    expect(pvRow.slice(0, 7)).toEqual(['host-10m-pv', '10Mi', 'RWO', 'Retain', 'Bound', `${NS}/host-5m-pvc`, 'host-test']);
    const pvc = await claim('host-5m-pvc');
    expect(pvc.metadata.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect((await volume('host-10m-pv')).spec.claimRef).toMatchObject({ namespace: NS, name: 'host-5m-pvc', uid: pvc.metadata.uid });
  }, SLOW);

  it('keeps a 100Mi claim Pending, saying why', async () => {
    // Of the class with the 10Mi volume, which no StorageClass object provisions.
    await cluster.kubectlOk(['apply', '-f', '-'], claimManifest('host-100m-pvc', '100Mi', 'host-test'));
    // Of no class at all.
    await cluster.kubectlOk(['apply', '-f', '-'], claimManifest('plain-100m-pvc', '100Mi', ''));
    const events = await cluster.eventually('events on both claims', async () => {
      const [classed, plain] = [await eventsAbout('host-100m-pvc'), await eventsAbout('plain-100m-pvc')];
      return classed.length > 0 && plain.length > 0 ? { classed, plain } : undefined;
    });
    expect(events.classed).toContain('Warning ProvisioningFailed storageclass.storage.k8s.io "host-test" not found');
    expect(events.plain).toContain('Normal FailedBinding no persistent volumes available for this claim and no storage class is set');
    expect((await claim('host-100m-pvc')).status.phase).toBe('Pending');
    expect((await claim('plain-100m-pvc')).status.phase).toBe('Pending');
    const described = await cluster.kubectlOk(['describe', 'pvc', 'plain-100m-pvc', '-n', NS]);
    expect(described).toMatch(/Status:\s+Pending/);
    expect(described).toMatch(/FailedBinding\s+.+\s+persistentvolume-controller\s+no persistent volumes available for this claim and no storage class is set/);
  }, SLOW);

  it('runs a pod using the bound claim', async () => {
    await cluster.kubectlOk(['apply', '-f', '-'], podManifest('host-pvc-pod', 'host-5m-pvc'));
    const pod = await readyPod('host-pvc-pod');
    expect(pod.spec.nodeName).toMatch(new RegExp(`^${cluster.name}-node-[12]$`));
  }, SLOW);
});

describe('dynamic provisioning through the default StorageClass', () => {
  it('has the default class "standard" served by k8ts.io/local-path', async () => {
    const row = (await cluster.kubectlOk(['get', 'storageclass', 'standard', '--no-headers'])).trim().split(/\s+/);
    // NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE
    expect(row.slice(0, 5)).toEqual(['standard', '(default)', 'k8ts.io/local-path', 'Delete', 'WaitForFirstConsumer']);
  }, SLOW);

  it('waits for the first consumer, provisions on its node, binds, runs it there, and deletes the volume with the claim', async () => {
    await cluster.kubectlOk(['apply', '-f', '-'], claimManifest('dyn-10m-pvc', '10Mi'));
    const waiting = await cluster.eventually('WaitForFirstConsumer', async () => {
      const events = await eventsAbout('dyn-10m-pvc');
      return events.length > 0 ? events : undefined;
    });
    expect(waiting).toEqual(['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);
    expect((await claim('dyn-10m-pvc')).spec.storageClassName).toBe('standard');
    expect((await claim('dyn-10m-pvc')).status.phase).toBe('Pending');

    await cluster.kubectlOk(['apply', '-f', '-'], podManifest('dyn-pod', 'dyn-10m-pvc'));
    const pod = await readyPod('dyn-pod');
    const pvc = await claim('dyn-10m-pvc');
    expect(pvc.status.phase).toBe('Bound');
    expect(pvc.status.capacity).toEqual({ storage: '10Mi' });
    expect(pvc.metadata.annotations).toMatchObject({
      'volume.kubernetes.io/selected-node': pod.spec.nodeName,
      'volume.kubernetes.io/storage-provisioner': 'k8ts.io/local-path',
    });
    const pvName = `pvc-${pvc.metadata.uid}`;
    expect(pvc.spec.volumeName).toBe(pvName);
    const pv = await volume(pvName);
    expect(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('k8ts.io/local-path');
    expect(pv.spec.hostPath).toEqual({ path: `/var/lib/k8ts/local-path/${NS}_dyn-10m-pvc_${pvName}`, type: 'DirectoryOrCreate' });
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.spec.nodeAffinity?.required.nodeSelectorTerms[0]?.matchExpressions[0]).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: [pod.spec.nodeName] });
    const events = await cluster.eventually('ProvisioningSucceeded', async () => {
      const all = await eventsAbout('dyn-10m-pvc');
      return all.some((e) => e.includes('ProvisioningSucceeded')) ? all : undefined;
    });
    expect(events).toContain(
      "Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'k8ts.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    );
    expect(events).toContain(`Normal Provisioning External provisioner is provisioning volume for claim "${NS}/dyn-10m-pvc"`);
    expect(events).toContain(`Normal ProvisioningSucceeded Successfully provisioned volume ${pvName}`);

    // In use: the claim is protected (kubernetes.io/pvc-protection) and stays Terminating.
    await cluster.kubectlOk(['delete', 'pvc', 'dyn-10m-pvc', '-n', NS, '--wait=false']);
    const status = (await cluster.kubectlOk(['get', 'pvc', 'dyn-10m-pvc', '-n', NS, '--no-headers'])).trim().split(/\s+/)[1];
    expect(status).toBe('Terminating');
    await cluster.kubectlOk(['delete', 'pod', 'dyn-pod', '-n', NS, '--wait=true']);
    await cluster.eventually('claim gone', async () => ((await cluster.kubectl(['get', 'pvc', 'dyn-10m-pvc', '-n', NS])).code !== 0 ? true : undefined));
    await cluster.eventually(`volume ${pvName} deleted`, async () => {
      const result = await cluster.kubectl(['get', 'pv', pvName]);
      return result.code !== 0 && /NotFound|not found/.test(result.stderr) ? true : undefined;
    });
  }, SLOW);
});
