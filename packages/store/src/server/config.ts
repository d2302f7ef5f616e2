// `k8ts store` configuration: etcd's flag names and defaults.
import path from 'node:path';

export interface StoreConfig {
  name: string;
  dataDir: string;
  listenClientUrls: string[];
  advertiseClientUrls: string[];
  listenPeerUrls: string[];
  initialAdvertisePeerUrls: string[];
  /** name → peer URLs */
  initialCluster: Map<string, string[]>;
  initialClusterState: 'new' | 'existing';
  initialClusterToken: string;
  snapshotCount: number;
  /** Entries kept in the Raft log behind a snapshot, for slow followers (etcd 3.5's
   *  --experimental-snapshot-catchup-entries); a follower further behind gets the snapshot. */
  snapshotCatchupEntries: number;
  /** WAL and snapshot files kept after purging (etcd's --max-wals / --max-snapshots) */
  maxWals: number;
  maxSnapshots: number;
  maxRequestBytes: number;
  maxTxnOps: number;
  /** bytes; 0 = etcd's default of 2 GiB; negative = no quota */
  quotaBackendBytes: number;
  /** periodic: a duration ("1h", "30m", or hours as a number); revision: a count. "0" = off */
  autoCompactionRetention: string;
  autoCompactionMode: 'periodic' | 'revision';
  heartbeatIntervalMs: number;
  electionTimeoutMs: number;
}

export const DEFAULT_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;

export function defaultConfig(): StoreConfig {
  return {
    name: 'default',
    dataDir: path.resolve('default.k8ts-store'),
    listenClientUrls: ['http://127.0.0.1:2379'],
    advertiseClientUrls: ['http://127.0.0.1:2379'],
    listenPeerUrls: ['http://127.0.0.1:2380'],
    initialAdvertisePeerUrls: ['http://127.0.0.1:2380'],
    initialCluster: new Map([['default', ['http://127.0.0.1:2380']]]),
    initialClusterState: 'new',
    initialClusterToken: 'etcd-cluster',
    // etcd 3.4's default (clusters made by kubeadm pass --snapshot-count=10000, as `k8ts up` does)
    snapshotCount: 100_000,
    snapshotCatchupEntries: 5000,
    maxWals: 5,
    maxSnapshots: 5,
    maxRequestBytes: 1.5 * 1024 * 1024,
    maxTxnOps: 128,
    quotaBackendBytes: 0,
    autoCompactionRetention: '0',
    autoCompactionMode: 'periodic',
    heartbeatIntervalMs: 100,
    electionTimeoutMs: 1000,
  };
}

/** etcd refuses election timeouts beyond this. */
const MAX_ELECTION_TIMEOUT_MS = 50_000;

/** etcd's checks of the timing flags; throws with etcd's wording. */
export function validateTimings(cfg: StoreConfig): void {
  const { heartbeatIntervalMs: tick, electionTimeoutMs: election } = cfg;
  if (!(tick > 0)) throw new Error(`--heartbeat-interval[${tick}ms] must be positive`);
  if (5 * tick > election) {
    throw new Error(`error verifying flags, --election-timeout[${election}ms] should be at least as 5 times as --heartbeat-interval[${tick}ms]. See 'etcd --help'.`);
  }
  if (election > MAX_ELECTION_TIMEOUT_MS) {
    throw new Error(`error verifying flags, --election-timeout[${election}ms] is too long, and should be set less than ${MAX_ELECTION_TIMEOUT_MS}ms. See 'etcd --help'.`);
  }
}

/** How long a client waits for its request to be replicated and applied (etcd's ReqTimeout). */
export function requestTimeoutMs(cfg: StoreConfig): number {
  return 5000 + 2 * cfg.electionTimeoutMs;
}

/** "default=http://a:2380,other=http://b:2380" → name → URLs */
export function parseInitialCluster(s: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of s.split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`--initial-cluster: "${part}" is not name=URL`);
    const name = part.slice(0, eq);
    out.set(name, [...(out.get(name) ?? []), part.slice(eq + 1)]);
  }
  return out;
}

/** etcd's --auto-compaction-retention in periodic mode: "1h", "90m", "10s", or a number of hours. */
export function parseRetentionMs(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(h|m|s|ms)?$/.exec(s.trim());
  if (!m) throw new Error(`--auto-compaction-retention: cannot parse "${s}" (use e.g. 1h, 30m, or a number of hours)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'h';
  return n * { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[unit]!;
}
