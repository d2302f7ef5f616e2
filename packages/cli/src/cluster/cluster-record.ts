// cluster.json: what a cluster is. Settings are fixed when it is created (changing the store's
// member count or the service range would strand its data); ports are chosen on the first
// `k8ts up` and reused on every later one; the component plan is rewritten by each `up`, so a
// newer k8ts starts the same cluster with the flags it has learnt since.
import fs from 'node:fs';
import path from 'node:path';

export type Runtime = 'docker' | 'fake';

export interface ClusterSettings {
  nodes: number;
  runtime: Runtime;
  storeMembers: number;
  kubernetesVersion: string;
  serviceClusterIpRange: string;
  /** --extra-config values (<component>.<flag>=<value>); the only setting a later `up` may change */
  extraConfig?: string[];
}

/** How `k8ts up`, `k8ts status` and the supervisor tell that a component is serving. */
export type Probe =
  /**
   * Maintenance.Status on the store's client URL, answered by the member with this ID (decimal,
   * as etcd derives it from the peer URLs and cluster token) — not some other cluster's store
   * that happens to listen there.
   */
  | { kind: 'store'; endpoint: string; memberId: string }
  /**
   * GET over HTTPS, answered 200 "ok". `verify: 'cluster-ca'` checks the server against the
   * cluster CA and presents the admin certificate; `'none'` is for components serving a
   * self-signed certificate, which kubelet's HTTPS probes do not verify either.
   */
  | { kind: 'https'; url: string; verify: 'cluster-ca' | 'none' }
  /** nothing to ask: running is all we know */
  | { kind: 'process' };

export interface ComponentSpec {
  name: string;
  /** arguments after `k8ts` */
  args: string[];
  probe: Probe;
}

export interface ClusterRecord {
  name: string;
  createdAt: string;
  settings: ClusterSettings;
  /** role → port, e.g. { apiserver: 6443, storeClient: 2379 } */
  ports: Record<string, number>;
  /** in start order */
  components: ComponentSpec[];
}

export function readClusterRecord(file: string): ClusterRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as ClusterRecord;
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); delete the cluster or fix the file`);
  }
}

export function writeClusterRecord(file: string, record: ClusterRecord): void {
  writeFileAtomically(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** Readers (status, the supervisor) never see half a file: write aside, then rename over. */
export function writeFileAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
