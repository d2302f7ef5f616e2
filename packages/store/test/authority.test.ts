// etcdctl 3.4 given `--endpoints=http://127.0.0.1:PORT` sends that whole URL as the HTTP/2
// :authority of some calls (Maintenance ones among them). Real etcd accepts it; k8ts serves
// them through the authority shim (src/server/authority-shim.ts) instead of resetting them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableTargets } from './harness.ts';
import { findExecutable } from './support/binaries.ts';
import { etcdctl } from './support/etcdctl.ts';
import { uniquePrefix } from './support/kv-helpers.ts';
import { useMember } from './support/member-fixture.ts';

describe.skipIf(!findExecutable('etcdctl')).each(availableTargets())('etcdctl --endpoints=http://... against %s', (target) => {
  const store = useMember(target);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-authority-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /** Runs etcdctl with the endpoint as a URL and returns its stdout, failing on a non-zero exit. */
  const ok = async (args: string[]) => {
    expect(store.member.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const result = await etcdctl(store.member.endpoint, args);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    return result.stdout;
  };

  it('endpoint status -w json', async () => {
    const [status] = JSON.parse(await ok(['endpoint', 'status', '-w', 'json']));
    expect(status.Endpoint).toBe(store.member.endpoint);
    expect(status.Status.leader).toBe(status.Status.header.member_id);
  });

  it('defrag', async () => {
    expect(await ok(['defrag'])).toBe(`Finished defragmenting etcd member[${store.member.endpoint}]\n`);
  });

  it('snapshot save', async () => {
    const file = path.join(scratch, 'snapshot.db');
    expect(await ok(['snapshot', 'save', file])).toBe(`Snapshot saved at ${file}\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
  });

  it('alarm list', async () => {
    expect(await ok(['alarm', 'list'])).toBe('');
  });

  it('put and get', async () => {
    const key = `${uniquePrefix('authority')}k`;
    expect(await ok(['put', key, 'v'])).toBe('OK\n');
    expect(await ok(['get', key])).toBe(`${key}\nv\n`);
  });
});
