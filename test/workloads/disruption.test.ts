// The PodDisruptionBudget journey of the tutorials on a hollow-node cluster started with `k8ts up
// --runtime fake --nodes 2`, through real kubectl 1.32: a Deployment of 2 under a budget of
// minAvailable 2 cannot be drained off a node (the eviction is refused with 429 until kubectl's
// timeout); once the Deployment is scaled to 3, the budget allows one disruption and the drain
// goes through.
import { RestClient, type StatusError } from '@k8ts/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW } from './fake-cluster.ts';

const cluster = new FakeCluster('pdb', 2);
const NS = 'budget';
const POD = { group: '', version: 'v1', kind: 'Pod' };

interface Budget {
  metadata: { generation: number };
  status?: {
    observedGeneration?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    disruptionsAllowed?: number;
    conditions?: { type: string; status: string; reason: string }[];
  };
}

async function budget(): Promise<Budget> {
  return cluster.json<Budget>(['get', 'pdb', 'web', '-n', NS]);
}

async function readyPods(count: number) {
  return cluster.eventually(`${count} ready web pods`, async () => {
    const pods = (await cluster.pods(NS, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === count && pods.every(isReady) ? pods : undefined;
  });
}

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('a PodDisruptionBudget on hollow nodes', () => {
  let node = '';

  it('reports no disruption allowed for 2 pods that must stay 2', async () => {
    await cluster.kubectlOk(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '-n', NS]);
    const pods = await readyPods(2);
    node = pods[0]!.spec.nodeName!;
    expect(await cluster.kubectlOk(['create', 'pdb', 'web', '--selector=app=web', '--min-available=2', '-n', NS])).toContain(
      'poddisruptionbudget.policy/web created',
    );
    const status = await cluster.eventually('the budget observed', async () => {
      const b = await budget();
      return b.status?.observedGeneration === b.metadata.generation && b.status.expectedPods === 2 ? b.status : undefined;
    });
    expect(status).toMatchObject({ currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 });
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' })]);
    const table = await cluster.kubectlOk(['get', 'pdb', '-n', NS]);
    const [header, row] = table.trim().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    expect(row!.split(/\s+/).slice(0, 4)).toEqual(['web', '2', 'N/A', '0']);
  }, SLOW);

  it('blocks a drain that would evict one of them', async () => {
    const drain = await cluster.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=20s']);
    expect(drain.code).not.toBe(0);
    expect(drain.stdout + drain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget");
    // Nothing was evicted, and the node stays cordoned.
    expect((await readyPods(2)).length).toBe(2);
    expect(await cluster.kubectlOk(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}'])).toBe('true');
  }, SLOW);

  it('lets the drain through once a third pod makes room', async () => {
    await cluster.kubectlOk(['scale', 'deployment', 'web', '--replicas=3', '-n', NS]);
    await readyPods(3);
    await cluster.eventually('one disruption allowed', async () => ((await budget()).status?.disruptionsAllowed === 1 ? true : undefined));
    const row = (await cluster.kubectlOk(['get', 'pdb', 'web', '-n', NS, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 4)).toEqual(['web', '2', 'N/A', '1']);

    const drain = await cluster.kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    expect(drain.code, drain.stderr).toBe(0);
    expect(drain.stdout).toContain(`node/${node} drained`);
    const pods = await readyPods(3);
    expect(pods.every((p) => p.spec.nodeName !== node)).toBe(true);
    await cluster.eventually('the budget back at 3 healthy', async () => {
      const status = (await budget()).status;
      return status?.currentHealthy === 3 && status.disruptionsAllowed === 1 ? true : undefined;
    });
  }, SLOW);

  it('refuses evictions while a changed budget waits for the disruption controller', async () => {
    const manager = cluster.pidOf('controller-manager');
    process.kill(manager, 'SIGSTOP');
    try {
      await cluster.kubectlOk(['patch', 'pdb', 'web', '-n', NS, '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
      const [pod] = await readyPods(3);
      // kubectl drain shows only the message; the reason is in the Status's causes
      const client = new RestClient(cluster.client().config, { maxRetries: 0 });
      const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod!.metadata.name!, namespace: NS } };
      const refused = await client.forKind(POD).namespace(NS).evict(eviction).then(
        () => undefined,
        (err: unknown) => err as StatusError,
      );
      expect(refused?.status.code).toBe(429);
      expect(refused?.status.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
      expect(refused?.status.details?.causes).toEqual([{ reason: 'DisruptionBudget', message: 'The disruption budget web is still being processed by the server.' }]);
    } finally {
      process.kill(manager, 'SIGCONT');
    }
    await cluster.eventually('the new budget counted', async () => {
      const b = await budget();
      return b.status?.observedGeneration === b.metadata.generation && b.status?.disruptionsAllowed === 2 ? true : undefined;
    });
  }, SLOW);
});
