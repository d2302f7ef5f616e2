// A member cut off from the majority, on every target. Two of three members are frozen with
// SIGSTOP (their sockets stay open, so nothing looks closed — as in a network partition); the
// remaining member must refuse linearizable reads and writes, still serve serializable reads of
// what it has, refuse "require leader" calls and end such watches with "etcdserver: no leader",
// and rejoin once the others run again (SIGCONT).
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { EtcdClient, str } from '../src/client/etcd-client.ts';
import { startCluster, type Cluster } from './cluster-harness.ts';
import { availableTargets } from './harness.ts';
import { etcdctl } from './support/etcdctl.ts';
import { expectGrpcError, status } from './support/grpc-errors.ts';
import { uniquePrefix } from './support/kv-helpers.ts';
import { waitUntil } from './support/wait-until.ts';

describe.each(availableTargets())('a minority member of a 3-member cluster of %s', (target) => {
  let cluster: Cluster | undefined;
  const extraClients: EtcdClient[] = [];
  afterAll(async () => {
    for (const client of extraClients) client.close();
    await cluster?.cleanup();
  });

  it('serves only serializable reads while cut off, and catches up after', async () => {
    cluster = await startCluster(target, { size: 3 });
    const c = cluster;
    onTestFailed(() => console.error(c.stderrTails()));
    // Isolate the leader itself: it must notice it lost its quorum and stop acting as leader.
    const isolated = await c.waitForLeader();
    const others = c.members.filter((m) => m !== isolated);
    const key = `${uniquePrefix('partition')}k`;
    const run = (args: string[]) => etcdctl(isolated.endpoint, ['--command-timeout=3s', ...args]);
    expect((await run(['put', key, 'before'])).code).toBe(0);
    for (const member of c.members) await c.client(member).range({ key }); // everyone has it

    const requireLeader = new EtcdClient(isolated.endpoint, { requireLeader: true });
    extraClients.push(requireLeader);
    const stream = requireLeader.watch();
    const watcher = await stream.create({ key });

    for (const member of others) member.pause();
    try {
      // etcdctl gives up after its 3 s; the member may answer first with its own timeout error.
      const put = await run(['put', key, 'during']);
      expect(put.code).not.toBe(0);
      expect(put.stderr).toMatch(/context deadline exceeded|etcdserver: request timed out/);
      const get = await run(['get', key]);
      expect(get.code).not.toBe(0);
      expect(get.stderr).toMatch(/context deadline exceeded|etcdserver: request timed out/);
      expect((await run(['get', '--consistency=s', key])).stdout).toBe(`${key}\nbefore\n`);

      // Check-quorum: within an election timeout or two the lone leader steps down.
      await waitUntil(async () => (await c.client(isolated).status()).leader === '0');
      await expectGrpcError(requireLeader.put({ key, value: 'during' }), status.UNAVAILABLE, 'etcdserver: no leader');
      // Leaderless, a put waits for a leader until its deadline (the member's request timeout, or
      // the client's) and is then refused — and the member is still up to answer the next request.
      const waited = await etcdctl(isolated.endpoint, ['--command-timeout=12s', 'put', key, 'leaderless']);
      expect(waited.code).not.toBe(0);
      expect(waited.stderr).toMatch(/etcdserver: request timed out|context deadline exceeded/);
      expect((await c.client(isolated).status()).leader).toBe('0');
      // Marked watches end after three election timeouts without a leader.
      await expect(watcher.next()).rejects.toMatchObject({ code: status.UNAVAILABLE, details: 'etcdserver: no leader' });
      expect((await run(['endpoint', 'health'])).stderr).toContain(`${isolated.endpoint} is unhealthy`);
    } finally {
      for (const member of others) member.resume();
      stream.close();
    }

    await c.waitForLeader();
    // The first write after the thaw may meet an election still settling; etcdctl does not retry puts.
    await waitUntil(async () => (await etcdctl(others[0].endpoint, ['put', key, 'after'])).code === 0);
    expect((await run(['get', key])).stdout).toBe(`${key}\nafter\n`);
    expect(str((await c.client(isolated).range({ key, serializable: true })).kvs[0].value)).toBe('after');
  }, 180_000);
});
