// The nemesis test: a 3-member and a 5-member cluster, each member its own OS process, under
// concurrent clients and watchers while members are killed (-9), frozen (SIGSTOP) and cut off
// (peer proxies: see support/peer-proxy.ts). Afterwards:
//   - the recorded history of puts, gets, CAS transactions and deletes is linearizable per key
//     (src/linearizability/), final reads on every member included — so no acknowledged write
//     was lost and no read was stale;
//   - every watcher saw revisions strictly increasing, without gaps or repeats, all watchers
//     agree on each revision's events, and every acknowledged write is among them.
// Runs against k8ts, and against real etcd 3.4 to check the test itself. NEMESIS_SECONDS
// sets how long the faults go on (default 40 for 3 members, 25 for 5); NEMESIS_SEED replays
// a schedule.
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { EtcdClient } from '../src/client/etcd-client.ts';
import { checkHistory } from '../src/linearizability/index.ts';
import { seededRandom } from '../src/raft/prng.ts';
import type { Cluster } from './cluster-harness.ts';
import { availableTargets } from './harness.ts';
import { HistoryRecorder, sleep, WorkloadClient } from './support/kv-history.ts';
import { uniquePrefix } from './support/kv-helpers.ts';
import { Nemesis } from './support/nemesis.ts';
import { startProxiedCluster } from './support/nemesis-cluster.ts';
import type { PeerProxies } from './support/peer-proxy.ts';
import { retryUnavailable } from './support/retry.ts';
import { checkWatchLogs } from './support/watch-guarantees.ts';
import { WatchRecorder } from './support/watch-recorder.ts';

const CLIENTS = 8;
const KEYS = 3;
const OP_TIMEOUT_MS = 10_000;

/** etcd runs the 3-member case only: it checks the test, k8ts is what is under test. */
const runsFor = (target: string) => [
  { size: 3, seconds: Number(process.env.NEMESIS_SECONDS ?? 40) },
  ...(target === 'k8ts' ? [{ size: 5, seconds: Number(process.env.NEMESIS_SECONDS ?? 25) }] : []),
];

describe.each(availableTargets().reverse())('nemesis against %s', (target) => {
  let cluster: Cluster | undefined;
  let proxies: PeerProxies | undefined;
  const clients: EtcdClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await cluster?.cleanup();
    await proxies?.close();
    cluster = proxies = undefined;
  });

  it.each(runsFor(target))('$size members: linearizable, no acknowledged write lost, watches whole and in agreement', async ({ size, seconds }) => {
    const seed = Number(process.env.NEMESIS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    ({ cluster, proxies } = await startProxiedCluster(target, size));
    const c = cluster;
    const rng = seededRandom(seed);
    const recorder = new HistoryRecorder(OP_TIMEOUT_MS);
    const nemesis = new Nemesis(c, proxies, { durationMs: seconds * 1000, faultMs: [2000, 5000], quietMs: [1000, 3000], now: () => recorder.now(), rng });
    onTestFailed(() => {
      console.error(`nemesis seed ${seed} (replay: NEMESIS_SEED=${seed}); faults:\n${nemesis.faults.map((f) => `  ${f.at.toFixed(0)}–${f.healedAt?.toFixed(0) ?? '?'} ms ${f.kind} ${f.members.join(',')}`).join('\n')}`);
      console.error(c.stderrTails());
    });

    const prefix = uniquePrefix(`nemesis${size}`);
    const keys = Array.from({ length: KEYS }, (_, i) => `${prefix}k${i}`);
    const memberClient = (i: number) => {
      const client = new EtcdClient(c.members[i % size].endpoint, { ownConnection: true });
      clients.push(client);
      return client;
    };
    const start = Number((await retryUnavailable(() => c.client(c.members[0]).range({ key: prefix }))).header.revision) + 1;
    const watchers = c.members.map((m, i) => new WatchRecorder(m.identity.name, () => memberClient(i), prefix, start));
    const workers = Array.from({ length: CLIENTS }, (_, i) => new WorkloadClient(`c${i}`, memberClient(i), keys, recorder, seededRandom(seed + i + 1)));

    await nemesis.run();
    await Promise.all(workers.map((w) => w.stop()));

    // The cluster is whole again: every client reads every key once more, through its member.
    for (const [i, worker] of workers.entries()) {
      const client = memberClient(i);
      for (const key of keys) {
        for (let attempt = 0; attempt < 30 && (await recorder.run(client, worker.name, key, { type: 'get' })) === undefined; attempt++) await sleep(500);
      }
    }
    const final = Number((await retryUnavailable(() => c.client(c.members[0]).range({ key: prefix }))).header.revision);
    const deadline = Date.now() + 30_000;
    while (watchers.some((w) => w.lastRevision < final) && Date.now() < deadline) await sleep(200);
    await Promise.all(watchers.map((w) => w.stop()));
    // A replay of the whole range from history, as a reference the live watchers must match.
    const replay = new WatchRecorder('replay', () => memberClient(0), prefix, start);
    while (replay.lastRevision < final && Date.now() < deadline + 10_000) await sleep(100);
    await replay.stop();

    const writes = recorder.operations.filter((op) => op.input.type !== 'get');
    console.log(
      `nemesis ${target} ×${size} seed ${seed}: ${nemesis.faults.length} faults (${nemesis.faults.map((f) => f.kind[0]).join('')}), ` +
        `${recorder.operations.length} ops (${writes.length} writes, ${recorder.acked.length} acknowledged changes, ${recorder.unknownOutcomes} unknown outcomes), ` +
        `revisions ${start}–${final}, watch reconnects ${watchers.map((w) => w.reconnects).join('/')}`,
    );
    expect(new Set(nemesis.faults.map((f) => f.kind)), 'the nemesis injected every kind of fault').toEqual(new Set(['kill', 'pause', 'partition']));
    // Enough changes for the checks to mean something, even on a machine as loaded as CI's.
    expect(recorder.acked.length, 'writes went through between faults').toBeGreaterThanOrEqual(50);

    const linearizability = checkHistory(recorder.operations);
    expect(linearizability.undecided, 'keys the checker could not decide').toEqual([]);
    expect(linearizability.violations.map((v) => v.explanation)).toEqual([]);

    for (const w of watchers) expect(w.lastRevision, `${w.log.watcher} caught up`).toBe(final);
    expect(replay.lastRevision, 'the replay reached the final revision').toBe(final);
    expect(checkWatchLogs([...watchers.map((w) => w.log), replay.log], recorder.acked)).toEqual([]);
  }, 300_000);

  // The partition and the checker at work: a member cut off at the proxies keeps serving
  // serializable reads from its stale state, and the checker must call that a violation.
  it('a serializable read on a member cut off by the proxies is stale, and the checker says so', async () => {
    ({ cluster, proxies } = await startProxiedCluster(target, 3));
    const c = cluster;
    onTestFailed(() => console.error(c.stderrTails()));
    const [cutOff, ...majority] = c.members;
    const key = `${uniquePrefix('partition')}k`;
    const recorder = new HistoryRecorder(OP_TIMEOUT_MS);
    expect(await recorder.run(c.client(cutOff), 'c0', key, { type: 'put', value: 'before' })).toEqual({ type: 'put' });
    await waitForValue(c.client(majority[0]), key, 'before');
    await waitForValue(c.client(cutOff), key, 'before', true);
    proxies.partition([cutOff.identity.name]);
    await c.waitForLeader(majority);
    expect(await retryRun(() => recorder.run(c.client(majority[0]), 'c1', key, { type: 'put', value: 'after' }))).toEqual({ type: 'put' });
    const stale = await recorder.run(c.client(cutOff), 'c2', key, { type: 'get' }, { serializable: true });
    expect(stale).toEqual({ type: 'get', value: 'before' });

    const result = checkHistory(recorder.operations);
    expect(result.linearizable).toBe(false);
    expect(result.violations[0].explanation).toContain('get → "before": it read "before" but the key holds "after"');
    proxies.heal();
    await waitForValue(c.client(cutOff), key, 'after', true); // the healed member catches up
  }, 120_000);
});

async function waitForValue(client: EtcdClient, key: string, value: string, serializable = false): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const got = await client.range({ key, serializable }).then((r) => (r.kvs[0] ? Buffer.from(r.kvs[0].value).toString() : null), () => null);
    if (got === value) return;
    if (Date.now() > deadline) throw new Error(`${key} never read ${value} (last: ${got})`);
    await sleep(200);
  }
}

/** Retries a recorded operation that failed (an election under way). */
async function retryRun<T>(run: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const result = await run();
    if (result !== undefined) return result;
    await sleep(500);
  }
  return undefined;
}
