// The real etcdctl against every target: same commands, same output (computed from the data).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EtcdClient } from '../src/client/etcd-client.ts';
import { availableTargets, startMember, type Member } from './harness.ts';
import { findExecutable, K8TS_BIN } from './support/binaries.ts';
import { etcdctl, EtcdctlProcess } from './support/etcdctl.ts';
import { freePort } from './support/free-port.ts';
import { uniquePrefix, valuesOf } from './support/kv-helpers.ts';
import { useMember } from './support/member-fixture.ts';

describe.each(availableTargets())('etcdctl against %s', (target) => {
  const store = useMember(target);
  const run = (args: string[], input?: string) => etcdctl(store.member.endpoint, args, input);
  /** Runs etcdctl and returns its stdout, failing on a non-zero exit. */
  const ok = async (args: string[], input?: string) => {
    const result = await run(args, input);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    return result.stdout;
  };
  const revision = async () => Number((await store.client.range({ key: 'any' })).header.revision);

  it('puts and gets keys, by prefix, at a revision, keys only, and as JSON', async () => {
    const prefix = uniquePrefix('get');
    expect(await ok(['put', `${prefix}a`, '1'])).toBe('OK\n');
    const afterA = await revision();
    expect(await ok(['put', `${prefix}b`, '2'])).toBe('OK\n');
    await ok(['put', `${prefix}a`, '3']);

    expect(await ok(['get', `${prefix}a`])).toBe(`${prefix}a\n3\n`);
    expect(await ok(['get', '--prefix', prefix])).toBe(`${prefix}a\n3\n${prefix}b\n2\n`);
    expect(await ok(['get', `--rev=${afterA}`, `${prefix}a`])).toBe(`${prefix}a\n1\n`);
    expect(await ok(['get', '--prefix', '--keys-only', prefix])).toBe(`${prefix}a\n\n${prefix}b\n\n`);

    const json = JSON.parse(await ok(['get', '--prefix', '-w', 'json', prefix]));
    expect(json.count).toBe(2);
    expect(json.header.revision).toBe(await revision());
    expect(json.kvs.map((kv: { key: string }) => Buffer.from(kv.key, 'base64').toString())).toEqual([`${prefix}a`, `${prefix}b`]);
    expect(json.kvs[0]).toMatchObject({ version: 2, create_revision: afterA, value: Buffer.from('3').toString('base64') });
    // etcdctl 3.4 has no --count-only; --limit with -w json shows the full count.
    const limited = JSON.parse(await ok(['get', '--prefix', '--limit=1', '-w', 'json', prefix]));
    expect(limited).toMatchObject({ count: 2, more: true });
    expect(limited.kvs).toHaveLength(1);
  });

  it('deletes by prefix and prints the previous key-values', async () => {
    const prefix = uniquePrefix('del');
    await ok(['put', `${prefix}a`, '1']);
    await ok(['put', `${prefix}b`, '2']);
    expect(await ok(['del', '--prefix', '--prev-kv', prefix])).toBe(`2\n${prefix}a\n1\n${prefix}b\n2\n`);
    expect(await ok(['del', `${prefix}a`])).toBe('0\n');
    expect(await ok(['get', '--prefix', prefix])).toBe('');
  });

  it('runs a txn read from stdin: compares, success ops, failure ops', async () => {
    const key = `${uniquePrefix('txn')}k`;
    await ok(['put', key, 'on']);
    const txn = (expected: string) =>
      ok(['txn'], `value("${key}") = "${expected}"\n\nput ${key}-result success\n\nput ${key}-result failure\n\n`);
    expect(await txn('on')).toBe('SUCCESS\n\nOK\n');
    expect(valuesOf(await store.client.range({ key: `${key}-result` }))).toEqual(['success']);
    expect(await txn('off')).toBe('FAILURE\n\nOK\n');
    expect(valuesOf(await store.client.range({ key: `${key}-result` }))).toEqual(['failure']);
  });

  it('watches a prefix with --rev and --prev-kv', async () => {
    const prefix = uniquePrefix('watch');
    await ok(['put', `${prefix}a`, 'old']);
    const from = await revision();
    const watch = new EtcdctlProcess(store.member.endpoint, ['watch', '--prefix', `--rev=${from}`, '--prev-kv', prefix]);
    try {
      await ok(['put', `${prefix}a`, 'new']);
      await ok(['del', `${prefix}a`]);
      // Simple format: the event type, the previous key and value, then the key and value.
      expect(await watch.lines(13)).toEqual([
        'PUT', `${prefix}a`, 'old',
        'PUT', `${prefix}a`, 'old', `${prefix}a`, 'new',
        'DELETE', `${prefix}a`, 'new', `${prefix}a`, '',
      ]);
    } finally {
      await watch.kill();
    }
  });

  it('grants, keeps alive, inspects, lists and revokes leases', async () => {
    const key = `${uniquePrefix('lease')}k`;
    const granted = await ok(['lease', 'grant', '60']);
    const match = /^lease ([0-9a-f]+) granted with TTL\(60s\)\n$/.exec(granted);
    expect(match, granted).not.toBeNull();
    const id = match![1];
    await ok(['put', key, 'v', `--lease=${id}`]);

    expect(await ok(['lease', 'keep-alive', '--once', id])).toBe(`lease ${id} keepalived with TTL(60)\n`);
    expect(await ok(['lease', 'timetolive', '--keys', id])).toMatch(
      new RegExp(`^lease ${id} granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[${key}\\]\\)\\n$`),
    );
    const list = await ok(['lease', 'list']);
    expect(list).toMatch(/^found \d+ leases\n/);
    expect(list.split('\n')).toContain(id);

    expect(await ok(['lease', 'revoke', id])).toBe(`lease ${id} revoked\n`);
    expect(await ok(['lease', 'timetolive', id])).toBe(`lease ${id} already expired\n`);
    expect(await ok(['get', key])).toBe('');
    const renewGone = await run(['lease', 'keep-alive', '--once', id]);
    expect(renewGone.code).not.toBe(0);
    expect(renewGone.stderr).toContain('etcdserver: requested lease not found');
  });

  it('compacts, after which older revisions cannot be read', async () => {
    const key = `${uniquePrefix('compact')}k`;
    await ok(['put', key, '1']);
    const old = await revision();
    await ok(['put', key, '2']);
    const latest = await revision();
    expect(await ok(['compaction', String(latest)])).toBe(`compacted revision ${latest}\n`);
    const stale = await run(['get', `--rev=${old}`, key]);
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain('Error: etcdserver: mvcc: required revision has been compacted');
    expect(await ok(['get', key])).toBe(`${key}\n2\n`);
  });

  it('reports endpoint status and health', async () => {
    const raw = await ok(['endpoint', 'status', '-w', 'json']);
    // Member IDs use all 64 bits, so compare them as text rather than as parsed JSON numbers.
    const memberId = /"member_id":(\d+)/.exec(raw)?.[1];
    expect(memberId).toBeDefined();
    expect(/"leader":(\d+)/.exec(raw)?.[1]).toBe(memberId);
    const [entry] = JSON.parse(raw);
    expect(entry.Endpoint).toBe(store.member.endpoint);
    expect(entry.Status.version).toMatch(/^3\./);
    expect(entry.Status.raftIndex).toBeGreaterThan(0);
    // etcdctl 3.4 prints the health verdict on stderr.
    const health = await run(['endpoint', 'health']);
    expect(health.code).toBe(0);
    expect(health.stderr).toMatch(
      new RegExp(`^${store.member.endpoint} is healthy: successfully committed proposal: took = `),
    );
  });

  it('lists the member, alarms and defragments', async () => {
    const { header } = await store.client.status();
    const hexId = BigInt(header.member_id).toString(16);
    const peerUrl = `http://127.0.0.1:${store.member.peerPort}`;
    expect(await ok(['member', 'list'])).toBe(`${hexId}, started, default, ${peerUrl}, ${store.member.endpoint}, false\n`);
    expect(await ok(['alarm', 'list'])).toBe('');
    expect(await ok(['defrag'])).toBe(`Finished defragmenting etcd member[${store.member.endpoint}]\n`);
  });

  describe('snapshot', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `k8ts-snapshot-${target}-`));
    let restored: Member | undefined;
    afterAll(async () => {
      await restored?.cleanup();
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it('saves a snapshot that restores to the same keys and values', async () => {
      const prefix = uniquePrefix('snapshot');
      await ok(['put', `${prefix}a`, 'alpha']);
      await ok(['put', `${prefix}b`, 'beta']);
      const file = path.join(scratch, 'snapshot.db');
      expect(await ok(['snapshot', 'save', file])).toBe(`Snapshot saved at ${file}\n`);
      expect(fs.statSync(file).size).toBeGreaterThan(0);

      const dataDir = path.join(scratch, 'restored');
      const clientPort = await freePort();
      const peerPort = await freePort();
      restoreSnapshot(target, file, dataDir, peerPort);
      const ports = [clientPort, peerPort];
      restored = await startMember(target, { dataDir, pickPort: async () => ports.shift()! });
      const client = new EtcdClient(restored.endpoint);
      try {
        const got = await client.range({ key: prefix, range_end: `${prefix}z` });
        expect(valuesOf(got)).toEqual(['alpha', 'beta']);
      } finally {
        client.close();
      }
    });
  });
});

/** Restores `file` into `dataDir` with the target's own tool. */
function restoreSnapshot(target: 'etcd' | 'k8ts', file: string, dataDir: string, peerPort: number): void {
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const [command, args] =
    target === 'etcd'
      ? [findExecutable('etcdctl')!, ['snapshot', 'restore', file, '--data-dir', dataDir, '--name', 'default',
          '--initial-cluster', `default=${peerUrl}`, '--initial-advertise-peer-urls', peerUrl]]
      : [process.execPath, [K8TS_BIN, 'store', 'snapshot', 'restore', file, '--data-dir', dataDir]];
  const result = spawnSync(command, args, { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
}
