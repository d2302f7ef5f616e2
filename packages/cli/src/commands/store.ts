// `k8ts store`: flags named and defaulted like etcd's.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig, EtcdServer, parseInitialCluster, restoreSnapshot, serveClients, type StoreConfig } from '@k8ts/store';
import { stopOnSignals } from './stop-signals.ts';

const FLAGS = {
  name: { type: 'string' },
  'data-dir': { type: 'string' },
  'listen-client-urls': { type: 'string' },
  'advertise-client-urls': { type: 'string' },
  'listen-peer-urls': { type: 'string' },
  'initial-advertise-peer-urls': { type: 'string' },
  'initial-cluster': { type: 'string' },
  'initial-cluster-state': { type: 'string' },
  'initial-cluster-token': { type: 'string' },
  'snapshot-count': { type: 'string' },
  'experimental-snapshot-catchup-entries': { type: 'string' },
  'max-request-bytes': { type: 'string' },
  'max-txn-ops': { type: 'string' },
  'max-wals': { type: 'string' },
  'max-snapshots': { type: 'string' },
  'quota-backend-bytes': { type: 'string' },
  'auto-compaction-retention': { type: 'string' },
  'auto-compaction-mode': { type: 'string' },
  'heartbeat-interval': { type: 'string' },
  'election-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `usage: k8ts store [flags]
       k8ts store snapshot restore FILE --data-dir DIR [--name N] [--initial-cluster C] [--initial-advertise-peer-urls U]

An etcd-v3-compatible store: real etcdctl and etcd clients talk to it.

  --name                         member name (default "default")
  --data-dir                     data directory (default "./<name>.k8ts-store")
  --listen-client-urls           URLs to serve clients on (default http://127.0.0.1:2379)
  --advertise-client-urls        client URLs told to the cluster (default: the listen URLs)
  --listen-peer-urls             URLs for peer traffic (default http://127.0.0.1:2380)
  --initial-advertise-peer-urls  this member's peer URLs (default: the listen peer URLs)
  --initial-cluster              name=peerURL,... (default <name>=<advertise peer URL>)
  --initial-cluster-state        new | existing (default new)
  --initial-cluster-token        (default etcd-cluster)
  --snapshot-count               applied entries between snapshots (default 100000)
  --experimental-snapshot-catchup-entries
                                 log entries kept after a snapshot for slow followers (default 5000)
  --max-request-bytes            largest client request (default 1572864)
  --max-txn-ops                  most operations in one txn (default 128)
  --max-wals / --max-snapshots   files kept after purging (default 5 / 5)
  --quota-backend-bytes          space quota; 0 = 2 GiB (default 0)
  --auto-compaction-retention    periodic: 1h, 30m, or hours; revision: a count (default 0 = off)
  --auto-compaction-mode         periodic | revision (default periodic)
  --heartbeat-interval           ms (default 100)
  --election-timeout             ms (default 1000)`;

export async function runStore(argv: string[]): Promise<number> {
  if (argv[0] === 'snapshot') return runSnapshot(argv.slice(1));
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const cfg = toConfig(values);
  const log = {
    info: (m: string) => console.error(`${new Date().toISOString()} info  k8ts-store: ${m}`),
    warn: (m: string) => console.error(`${new Date().toISOString()} warn  k8ts-store: ${m}`),
  };
  log.info(`starting member "${cfg.name}" with data dir ${cfg.dataDir}`);
  const server = await EtcdServer.start(cfg, log);
  await server.ready;
  const grpcServer = await serveClients(server, cfg.listenClientUrls);
  log.info(`serving client requests on ${cfg.listenClientUrls.join(', ')}`);
  await new Promise<void>((resolve) => {
    stopOnSignals(log).addEventListener('abort', () => {
      grpcServer.forceShutdown();
      void server.stop().finally(resolve);
    });
  });
  return 0;
}

async function runSnapshot(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'restore') throw new Error(`unknown "k8ts store snapshot ${verb ?? ''}"; use: k8ts store snapshot restore FILE --data-dir DIR`);
  const { values, positionals } = parseArgs({ args: rest, options: FLAGS, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new Error('snapshot restore needs exactly one FILE');
  if (!values['data-dir']) throw new Error('snapshot restore needs --data-dir for the new member');
  const cfg = toConfig(values);
  const { members } = await restoreSnapshot(positionals[0], cfg);
  console.log(`restored snapshot ${positionals[0]} into ${cfg.dataDir} (${members} member cluster); start it with: k8ts store --data-dir ${cfg.dataDir} --name ${cfg.name}`);
  return 0;
}

type Values = Partial<Record<keyof typeof FLAGS, string | boolean>>;

function toConfig(v: Values): StoreConfig {
  const cfg = defaultConfig();
  const str = (k: keyof typeof FLAGS) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const urls = (k: keyof typeof FLAGS) => str(k)?.split(',').filter(Boolean);
  const int = (k: keyof typeof FLAGS, fallback: number) => {
    const s = str(k);
    if (s === undefined) return fallback;
    const n = Number(s);
    if (!Number.isInteger(n)) throw new Error(`--${k}: "${s}" is not an integer`);
    return n;
  };
  cfg.name = str('name') ?? cfg.name;
  cfg.dataDir = path.resolve(str('data-dir') ?? `${cfg.name}.k8ts-store`);
  cfg.listenClientUrls = urls('listen-client-urls') ?? cfg.listenClientUrls;
  cfg.advertiseClientUrls = urls('advertise-client-urls') ?? cfg.listenClientUrls;
  cfg.listenPeerUrls = urls('listen-peer-urls') ?? cfg.listenPeerUrls;
  cfg.initialAdvertisePeerUrls = urls('initial-advertise-peer-urls') ?? cfg.listenPeerUrls;
  const cluster = str('initial-cluster');
  cfg.initialCluster = cluster ? parseInitialCluster(cluster) : new Map([[cfg.name, cfg.initialAdvertisePeerUrls]]);
  const state = str('initial-cluster-state') ?? 'new';
  if (state !== 'new' && state !== 'existing') throw new Error(`--initial-cluster-state: "${state}" must be new or existing`);
  cfg.initialClusterState = state;
  cfg.initialClusterToken = str('initial-cluster-token') ?? cfg.initialClusterToken;
  cfg.snapshotCount = int('snapshot-count', cfg.snapshotCount);
  cfg.snapshotCatchupEntries = int('experimental-snapshot-catchup-entries', cfg.snapshotCatchupEntries);
  cfg.maxRequestBytes = int('max-request-bytes', cfg.maxRequestBytes);
  cfg.maxTxnOps = int('max-txn-ops', cfg.maxTxnOps);
  cfg.maxWals = int('max-wals', cfg.maxWals);
  cfg.maxSnapshots = int('max-snapshots', cfg.maxSnapshots);
  cfg.quotaBackendBytes = int('quota-backend-bytes', cfg.quotaBackendBytes);
  cfg.autoCompactionRetention = str('auto-compaction-retention') ?? cfg.autoCompactionRetention;
  const mode = str('auto-compaction-mode') ?? 'periodic';
  if (mode !== 'periodic' && mode !== 'revision') throw new Error(`--auto-compaction-mode: "${mode}" must be periodic or revision`);
  cfg.autoCompactionMode = mode;
  cfg.heartbeatIntervalMs = int('heartbeat-interval', cfg.heartbeatIntervalMs);
  cfg.electionTimeoutMs = int('election-timeout', cfg.electionTimeoutMs);
  return cfg;
}
