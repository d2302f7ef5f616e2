// `k8ts up`: creates a cluster (first run) or starts it again with its state, and returns once
// every component serves. Like kubeadm init it makes the PKI and a kubeconfig per component;
// unlike kubeadm, the components are processes under a supervisor of their own, not static Pods.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureClusterPki, writeClientKubeconfig, type CertificateAndKey } from '@k8ts/pki';
import { clusterName, HELP_FLAG, home, NAME_FLAG } from './cluster-flags.ts';
import { componentKubeconfig, componentLog, type ClusterPaths } from './cluster-paths.ts';
import { writeClusterRecord, writeFileAtomically, type ClusterRecord, type ClusterSettings, type ComponentSpec } from './cluster-record.ts';
import { readClusterState, stopCluster, stopOrphans, supervisorArgs, supervisorMention, type ClusterState } from './cluster-state.ts';
import { adminClient, ensureAddons } from './addons.ts';
import { adminTls, describeError, readyNodeNames } from './health.ts';
import { apiserverUrl, authenticationConfiguration, firstServiceIp, nodeNames, planComponents, portRoles } from './component-plan.ts';
import { failureHint, LOG_LINES_SHOWN, tailFile } from './failure-report.ts';
import { withHomeLock } from './home-lock.ts';
import { K8TS_BIN } from './k8ts-bin.ts';
import { choosePorts, portIsFree, portsOfOtherClusters } from './ports.ts';
import { isOurs, sleep, STOP_GRACE_MS } from './process-control.ts';
import { readProcessTable } from './process-table.ts';
import { formatSeconds, Progress } from './progress.ts';
import { resolveSettings } from './up-settings.ts';

const HELP = `usage: k8ts up [flags]

Creates a cluster and starts it, or starts an existing one again with all its objects. Every
component runs as its own process under a supervisor that restarts it when it crashes.

  --name NAME                 the cluster (default "default"); state in $K8TS_HOME/NAME (default ~/.k8ts/NAME)
  --nodes N                   nodes (default 1)
  --store-members 1|3|5       store members (default 1)
  --runtime fake|docker       the nodes' container runtime (default fake: hollow nodes whose
                              containers are simulated; docker is not built yet)
  --kubernetes-version V      v1.32.x (default v1.32.0)
  --extra-config C.FLAG=V     adds --FLAG=V to component C (apiserver, controller-manager, scheduler,
                              kubelet, store), e.g. controller-manager.horizontal-pod-autoscaler-sync-period=5s;
                              repeatable; kept for later starts until given again
  --wait DURATION             how long each component may take to serve (default 90s)

Settings other than --name, --extra-config and --wait are fixed when the cluster is created.`;

const OPTIONS = {
  ...NAME_FLAG,
  ...HELP_FLAG,
  nodes: { type: 'string' },
  'store-members': { type: 'string' },
  runtime: { type: 'string' },
  'kubernetes-version': { type: 'string' },
  'extra-config': { type: 'string', multiple: true },
  wait: { type: 'string', default: '90s' },
} as const;

/** The identity each component's client certificate carries (kubeadm's users and groups). */
function componentIdentities(cluster: string, nodes: number): Array<{ file: string; commonName: string; organizations?: string[] }> {
  return [
    { file: 'controller-manager', commonName: 'system:kube-controller-manager' },
    { file: 'scheduler', commonName: 'system:kube-scheduler' },
    { file: 'kube-proxy', commonName: 'system:kube-proxy' },
    ...nodeNames(cluster, nodes).map((node) => ({ file: `kubelet-${node}`, commonName: `system:node:${node}`, organizations: ['system:nodes'] })),
  ];
}

function parseWait(text: string): number {
  const match = /^(\d+)(s|m)$/.exec(text);
  if (!match) throw new Error(`--wait: "${text}" must be a duration such as 90s or 5m`);
  return Number(match[1]) * (match[2] === 'm' ? 60_000 : 1_000);
}

export async function runUp(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const name = clusterName(values.name);
  const waitMs = parseWait(values.wait);
  const root = home();
  const state = readClusterState(root, name);
  const { paths } = state;
  const settings = resolveSettings(name, values, state.record?.settings);
  const out = (line: string) => console.log(line);
  const began = Date.now();
  const progress = new Progress(out);

  let record: ClusterRecord;
  let supervisorPid: number;
  const startedHere = state.supervisorPid === undefined || !state.record;
  if (startedHere) {
    record = await prepareCluster(root, state, settings, progress, out);
    supervisorPid = startSupervisor(paths);
  } else {
    out(`Cluster "${name}" is already running (supervisor pid ${state.supervisorPid}); checking its components`);
    record = state.record!;
    supervisorPid = state.supervisorPid!;
  }

  progress.restart();
  process.once('SIGINT', () => {
    out(`\nInterrupted: cluster "${name}" goes on starting in the background (\`k8ts status --name ${name}\` shows it, \`k8ts down --name ${name}\` stops it).`);
    process.exit(130);
  });
  const failure =
    (await waitForComponents(paths, record.components, supervisorPid, waitMs, progress, began)) ??
    (await waitForNodes(record, paths, waitMs, progress)) ??
    (await installAddons(paths, progress));
  if (failure) {
    const log = componentLog(paths, failure.component);
    const logLines = tailFile(log, LOG_LINES_SHOWN);
    out(`  last ${logLines.length} lines of ${log}:`);
    for (const line of logLines) out(`    ${line}`);
    out(`hint: ${failureHint(failure.component, name, logLines)}`);
    if (startedHere) {
      // no crash loop left behind in the background; the state stays for the next `up`
      await stopCluster(readClusterState(root, name), STOP_GRACE_MS);
      out(`Stopped cluster "${name}" (its state is kept in ${paths.dir}).`);
    }
    return 1;
  }
  out('');
  out(`Cluster "${name}" is ready (${formatSeconds(Date.now() - began)}). Its admin kubeconfig is ${paths.adminKubeconfig}:`);
  out(`  export KUBECONFIG=${paths.adminKubeconfig}`);
  out('  kubectl get ns');
  return 0;
}

/**
 * Everything before the processes start: leftovers of a dead supervisor stopped, ports,
 * certificates and kubeconfigs, and the component plan written to cluster.json.
 */
async function prepareCluster(root: string, state: ClusterState, settings: ClusterSettings, progress: Progress, out: (line: string) => void): Promise<ClusterRecord> {
  const { paths } = state;
  const { name } = paths;
  out(`${state.record ? 'Starting' : 'Creating'} cluster "${name}" in ${paths.dir}`);
  const orphans = await stopOrphans(state, STOP_GRACE_MS);
  if (orphans.length > 0) out(`  stopped ${orphans.length} process(es) left running by a supervisor that died: ${orphans.join(', ')}`);

  // Chosen and recorded under the home's lock, so a cluster created meanwhile takes other ports.
  let record: ClusterRecord = await withHomeLock(root, async () => {
    const ports = await reservePorts(root, name, portRoles(settings.storeMembers), state.record?.ports ?? {});
    fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    const chosen = { name, createdAt: state.record?.createdAt ?? new Date().toISOString(), settings, ports, components: state.record?.components ?? [] };
    writeClusterRecord(paths.clusterFile, chosen);
    return chosen;
  });

  const changes = await ensureCertificates(paths, settings, apiserverUrl(record.ports), new Date());
  progress.done('certificates', changes === 0 ? 'kept' : `${changes} ${state.record ? 'renewed' : 'created'}`);

  const plan = planComponents(record, paths);
  writeFileAtomically(paths.authenticationConfig, authenticationConfiguration());
  record = { ...record, components: plan.components };
  writeClusterRecord(paths.clusterFile, record);
  progress.done('configuration', plan.components.map((c) => c.name).join(', '));
  if (plan.notBuilt.length > 0) {
    out(`  note: not built yet: ${plan.notBuilt.join(', ')} (--nodes ${settings.nodes} and --runtime ${settings.runtime} are recorded for when they are)`);
  }
  return record;
}

/** The recorded ports, checked free; or, for a new cluster, ports nobody else has. */
async function reservePorts(root: string, name: string, roles: string[], recorded: Record<string, number>): Promise<Record<string, number>> {
  for (const [role, port] of Object.entries(recorded)) {
    if (!(await portIsFree(port))) {
      throw new Error(
        `port ${port} (${role}) of cluster "${name}" is in use by another program: stop that program, or delete the cluster (k8ts delete --name ${name}) to have new ports chosen`,
      );
    }
  }
  return choosePorts(roles, recorded, portsOfOtherClusters(root, name), (port) => portIsFree(port));
}

/** The PKI, the admin kubeconfig and one kubeconfig per component; returns how many things changed. */
async function ensureCertificates(paths: ClusterPaths, settings: ClusterSettings, server: string, now: Date): Promise<number> {
  const { name } = paths;
  const pki = await ensureClusterPki(paths.dir, {
    nodeNames: nodeNames(name, settings.nodes),
    nodeAddresses: ['127.0.0.1'],
    serviceIp: firstServiceIp(settings.serviceClusterIpRange),
    now,
  });
  const ca: CertificateAndKey = { certPem: fs.readFileSync(pki.ca.cert, 'utf8'), keyPem: fs.readFileSync(pki.ca.key, 'utf8') };
  // One kubeconfig cluster name per k8ts cluster, so that KUBECONFIG=a:b merges them cleanly.
  const clusterName = `k8ts-${name}`;
  const kubeconfigs = [
    { file: paths.adminKubeconfig, commonName: 'kubernetes-admin', organizations: ['system:masters'] },
    ...componentIdentities(name, settings.nodes).map((c) => ({ ...c, file: componentKubeconfig(paths, c.file) })),
  ];
  const before = kubeconfigs.map((k) => readOrEmpty(k.file));
  await Promise.all(
    kubeconfigs.map((k) => writeClientKubeconfig(k.file, ca, server, { commonName: k.commonName, organizations: k.organizations ?? [], now, clusterName })),
  );
  const rewritten = kubeconfigs.filter((k, i) => readOrEmpty(k.file) !== before[i]).length;
  return pki.changes.length + rewritten;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function startSupervisor(paths: ClusterPaths): number {
  fs.mkdirSync(paths.logsDir, { recursive: true });
  const fd = fs.openSync(path.join(paths.logsDir, 'supervisor.log'), 'a');
  // detached: its own session, so it outlives this command and the terminal it ran in
  const child = spawn(process.execPath, [K8TS_BIN, ...supervisorArgs(paths)], { cwd: paths.dir, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  child.unref();
  return child.pid!;
}

/** The progress step a component is shown under: one line for all kubelets, not one per node. */
function stepOf(component: string): string {
  return component.startsWith('kubelet-') ? 'kubelets' : component;
}

/**
 * Follows processes.json until each component, in order, serves. A component that exits
 * before it serves, or does not serve within `waitMs`, fails the wait.
 */
async function waitForComponents(
  paths: ClusterPaths,
  components: ComponentSpec[],
  supervisorPid: number,
  waitMs: number,
  progress: Progress,
  since: number,
): Promise<{ component: string } | undefined> {
  for (const component of components) {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const table = readProcessTable(paths.processesFile);
      const record = table?.supervisor.pid === supervisorPid ? table.components.find((c) => c.name === component.name) : undefined;
      if (record?.readyAt && record.pid !== undefined) {
        const step = stepOf(component.name);
        const next = components[components.indexOf(component) + 1];
        if (next === undefined || stepOf(next.name) !== step) {
          const count = components.filter((c) => stepOf(c.name) === step).length;
          progress.done(step, step === component.name ? undefined : `${count} running`);
        }
        break;
      }
      const exit = record?.lastExit;
      if (exit && Date.parse(exit.at) >= since) {
        progress.failed(component.name, `exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} before it served`);
        return { component: component.name };
      }
      if (!isOurs(supervisorPid, supervisorMention(paths))) {
        progress.failed(component.name, 'the supervisor exited');
        return { component: 'supervisor' };
      }
      if (Date.now() > deadline) {
        progress.failed(component.name, `not serving after ${formatSeconds(waitMs)}`);
        return { component: component.name };
      }
      await sleep(100);
    }
  }
  return undefined;
}

/** Waits until every node of the cluster has registered and reports Ready, showing how many do. */
async function waitForNodes(record: ClusterRecord, paths: ClusterPaths, waitMs: number, progress: Progress): Promise<{ component: string } | undefined> {
  const expected = record.components.filter((c) => c.name.startsWith('kubelet-')).map((c) => c.name.slice('kubelet-'.length));
  if (expected.length === 0) return undefined;
  const tls = adminTls(paths.adminKubeconfig);
  const deadline = Date.now() + waitMs;
  let ready: string[] = [];
  let problem = '';
  for (;;) {
    try {
      ready = (await readyNodeNames(apiserverUrl(record.ports), tls)).filter((n) => expected.includes(n));
      problem = '';
    } catch (err) {
      problem = describeError(err);
    }
    if (ready.length === expected.length) {
      progress.done('nodes', `${ready.length} Ready`);
      return undefined;
    }
    if (Date.now() > deadline) {
      const missing = expected.filter((n) => !ready.includes(n));
      progress.failed('nodes', `${ready.length}/${expected.length} Ready after ${formatSeconds(waitMs)}; not Ready: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}${problem ? ` (${problem})` : ''}`);
      return { component: `kubelet-${missing[0]}` };
    }
    await sleep(500);
  }
}

/** The default addons (a default StorageClass), created where missing. */
async function installAddons(paths: ClusterPaths, progress: Progress): Promise<{ component: string } | undefined> {
  try {
    const created = await ensureAddons(adminClient(paths.adminKubeconfig));
    progress.done('addons', created.length > 0 ? `created ${created.join(', ')}` : 'present');
    return undefined;
  } catch (err) {
    progress.failed('addons', describeError(err));
    return { component: 'apiserver' };
  }
}
