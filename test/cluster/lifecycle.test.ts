// One cluster through its life: `k8ts up` to a TLS apiserver kubectl reaches as admin, status and
// logs, restart after kill -9, down and up again with its objects kept.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOurs } from '../../packages/cli/src/cluster/process-control.ts';
import { eventually, K8tsHome } from './k8ts-home.ts';

const SLOW = 240_000;

describe('k8ts up / status / down', () => {
  const home = new K8tsHome();
  const NAME = home.cluster('life');
  let upOutput = '';

  beforeAll(async () => {
    upOutput = await home.ok(['up', '--name', NAME]);
  }, SLOW);

  afterAll(() => home.cleanup(), SLOW);

  it('reports each step with its time and ends with the kubeconfig to export', () => {
    expect(upOutput).toContain(`Creating cluster "${NAME}" in ${home.clusterDir(NAME)}\n`);
    expect(upOutput).toMatch(/^✓ certificates \(\d+\.\ds\): \d+ created$/m);
    expect(upOutput).toMatch(/^✓ store \(\d+\.\ds\)$/m);
    expect(upOutput).toMatch(/^✓ apiserver \(\d+\.\ds\)$/m);
    expect(upOutput).toMatch(/^✓ controller-manager \(\d+\.\ds\)$/m);
    expect(upOutput).toMatch(/^✓ scheduler \(\d+\.\ds\)$/m);
    expect(upOutput).toMatch(/^✓ kubelets \(\d+\.\ds\): 1 running$/m);
    expect(upOutput).toMatch(/^✓ nodes \(\d+\.\ds\): 1 Ready$/m);
    expect(upOutput).toMatch(/^✓ addons \(\d+\.\ds\): created default-storageclass, metrics-server$/m);
    expect(upOutput).toMatch(/not built yet: proxy/);
    expect(upOutput).toContain(`  export KUBECONFIG=${home.adminKubeconfig(NAME)}\n`);
  });

  it('serves kubectl over TLS as the admin of its client certificate', async () => {
    expect(await home.kubectlOk(NAME, ['get', '--raw', '/readyz'])).toBe('ok');
    const namespaces = await home.kubectlOk(NAME, ['get', 'ns', '-o', 'name']);
    expect(namespaces.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
    const whoami = await home.kubectlOk(NAME, ['auth', 'whoami', '-o', 'json']);
    const { status } = JSON.parse(whoami) as { status: { userInfo: { username: string; groups: string[] } } };
    expect(status.userInfo.username).toBe('kubernetes-admin');
    expect(status.userInfo.groups).toContain('system:masters');
  });

  it('installs a default StorageClass served by the built-in local-path provisioner', async () => {
    const classes = await home.kubectlOk(NAME, ['get', 'storageclass']);
    expect(classes).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$/m);
    expect(classes).toMatch(/^standard \(default\)\s+k8ts\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\d+s$/m);
  });

  it('shows each process with pid, uptime, restarts and health, the store leader, and the cluster in the list', async () => {
    const status = await home.ok(['status', '--name', NAME]);
    const { components } = home.processes(NAME);
    expect(status).toMatch(new RegExp(`^cluster "${NAME}": running \\(supervisor pid \\d+, up \\d+`, 'm'));
    expect(status).toMatch(/^COMPONENT\s+PID\s+UPTIME\s+RESTARTS\s+HEALTH$/m);
    for (const component of components) {
      const health = component.name.startsWith('kubelet-') ? 'running \\(no health endpoint\\)' : 'ok';
      expect(status).toMatch(new RegExp(`^${component.name}\\s+${component.pid}\\s+\\d+[smh]\\S*\\s+0\\s+${health}$`, 'm'));
    }
    expect(status).toMatch(/^store\s+[0-9a-f]+\s+leader\s+http:\/\/127\.0\.0\.1:\d+/m);

    expect(await home.ok(['list'])).toMatch(new RegExp(`^${NAME}\\s+running\\s+https://127\\.0\\.0\\.1:\\d+\\s+1\\s+\\d+`, 'm'));
    expect((await home.ok(['kubeconfig', '--name', NAME])).trim()).toBe(home.adminKubeconfig(NAME));
    expect(await home.ok(['logs', 'apiserver', '--name', NAME])).toMatch(/k8ts supervisor: starting apiserver/);
    const unknown = await home.k8ts(['logs', 'proxy', '--name', NAME]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no component "proxy" in cluster "${NAME}"; its components: store, apiserver, controller-manager, scheduler, kubelet-${NAME}-node-1`);
  });

  it('runs the other components with kubeconfigs of their own, not the admin\'s', async () => {
    const { components } = JSON.parse(fs.readFileSync(path.join(home.clusterDir(NAME), 'cluster.json'), 'utf8')) as { components: Array<{ name: string; args: string[] }> };
    const others = components.filter((c) => ['controller-manager', 'scheduler'].includes(c.name));
    expect(others.map((c) => c.name)).toEqual(['controller-manager', 'scheduler']);
    for (const component of others) {
      const kubeconfig = component.args.find((arg) => arg.startsWith('--kubeconfig='))!.slice('--kubeconfig='.length);
      expect(kubeconfig).toBe(path.join(home.clusterDir(NAME), 'kubeconfigs', `${component.name}.kubeconfig`));
      const whoami = await home.kubectl(NAME, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig });
      expect(whoami.stdout).toBe(`system:kube-${component.name}`);
    }
  });

  it('restarts the apiserver after kill -9, and kubectl works again', async () => {
    const before = home.processes(NAME).components.find((c) => c.name === 'apiserver')!;
    process.kill(before.pid!, 'SIGKILL');
    const after = await eventually('a new apiserver serving', () => {
      const now = home.processes(NAME).components.find((c) => c.name === 'apiserver')!;
      return now.pid !== undefined && now.pid !== before.pid && now.readyAt ? now : undefined;
    });
    expect(after.restarts).toBe(1);
    expect(await home.kubectlOk(NAME, ['get', '--raw', '/readyz'])).toBe('ok');
    // Components that lost the apiserver may have restarted too (a controller-manager that
    // cannot renew its leader lease exits, as kube-controller-manager does); all serve again.
    const status = await eventually('every component healthy', async () => {
      const result = await home.k8ts(['status', '--name', NAME]);
      return result.code === 0 ? result.stdout : undefined;
    });
    expect(status).toMatch(new RegExp(`^apiserver\\s+${after.pid}\\s+\\S+\\s+1\\s+ok$`, 'm'));
  }, SLOW);

  it('keeps its objects across down and up', async () => {
    await home.kubectlOk(NAME, ['create', 'configmap', 'kept', '--from-literal=greeting=hello']);
    const pids = home.processes(NAME).components.map((c) => c.pid!);
    const down = await home.ok(['down', '--name', NAME]);
    expect(down).toMatch(new RegExp(`^✓ stopped cluster "${NAME}" \\(\\d+\\.\\ds\\); its state is kept in `));
    for (const pid of pids) expect(isOurs(pid, home.clusterDir(NAME))).toBe(false);
    expect(await home.ok(['list'])).toMatch(new RegExp(`^${NAME}\\s+stopped\\s`, 'm'));
    const stopped = await home.k8ts(['status', '--name', NAME]);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain(`cluster "${NAME}": stopped\n`);

    const up = await home.ok(['up', '--name', NAME]);
    expect(up).toContain(`Starting cluster "${NAME}"`);
    expect(up).toMatch(/^✓ certificates \(\d+\.\ds\): kept$/m);
    expect(up).toMatch(/^✓ addons \(\d+\.\ds\): present$/m);
    const data = await home.kubectlOk(NAME, ['get', 'configmap', 'kept', '-o', 'jsonpath={.data.greeting}']);
    expect(data).toBe('hello');
  }, SLOW);

  it('says so when up runs for a cluster already running', async () => {
    const again = await home.ok(['up', '--name', NAME]);
    expect(again).toMatch(new RegExp(`^Cluster "${NAME}" is already running \\(supervisor pid \\d+\\); checking its components$`, 'm'));
    expect(again).toMatch(/^✓ apiserver/m);
  }, SLOW);
});
