import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SnapshotMetadata } from '../raft/types.ts';
import { decodeSnapshotFile } from './snapshot-file.ts';
import { Snapshotter } from './snapshotter.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'k8ts-snap-test-'));
  dirs.push(dir);
  return dir;
}

function meta(index: number, term = 2): SnapshotMetadata {
  return { index, term, confState: { voters: ['1', '2', '3'], learners: [] } };
}

const body = (index: number) => Buffer.from(`state at ${index}`);

async function saveAll(snapshotter: Snapshotter, indexes: number[]): Promise<string[]> {
  const files: string[] = [];
  for (const index of indexes) files.push(await snapshotter.save(meta(index), body(index)));
  return files;
}

describe('Snapshotter', () => {
  it('saves under <term>-<index>.snap and loads the newest', async () => {
    const dir = path.join(tempDir(), 'member', 'snap');
    const snapshotter = new Snapshotter(dir);
    expect(await snapshotter.loadNewest()).toBeUndefined();

    const files = await saveAll(snapshotter, [100, 300, 200]);
    expect(files[1]).toBe(path.join(dir, '0000000000000002-000000000000012c.snap'));
    expect(decodeSnapshotFile(readFileSync(files[0])).metadata).toEqual(meta(100));
    expect(readdirSync(dir).filter((file) => file.endsWith('.tmp'))).toEqual([]);

    const newest = await snapshotter.loadNewest();
    expect(newest).toEqual({ metadata: meta(300), body: body(300), file: files[1], skipped: [] });
  });

  it('orders by index, not by file name, when terms differ', async () => {
    const snapshotter = new Snapshotter(tempDir());
    await snapshotter.save(meta(500, 3), body(500));
    await snapshotter.save(meta(400, 9), body(400)); // sorts last by name, but is older
    expect((await snapshotter.loadNewest())?.metadata.index).toBe(500);
  });

  it('falls back to an older snapshot when the newest is damaged, setting the broken one aside', async () => {
    const dir = tempDir();
    const snapshotter = new Snapshotter(dir);
    const [older, newer] = await saveAll(snapshotter, [100, 200]);
    const bytes = readFileSync(newer);
    bytes[bytes.length - 50] ^= 0x20;
    writeFileSync(newer, bytes);

    const loaded = await snapshotter.loadNewest();
    expect(loaded?.metadata).toEqual(meta(100));
    expect(loaded?.file).toBe(older);
    expect(loaded?.skipped).toEqual([
      { file: newer, renamedTo: `${newer}.broken`, problem: expect.stringMatching(/checksum mismatch/) },
    ]);
    expect(existsSync(newer)).toBe(false);
    expect(existsSync(`${newer}.broken`)).toBe(true);
  });

  it('treats a file whose name disagrees with its metadata as broken', async () => {
    const dir = tempDir();
    const snapshotter = new Snapshotter(dir);
    const [, second] = await saveAll(snapshotter, [100, 200]);
    const misnamed = path.join(dir, '0000000000000002-00000000000003e8.snap');
    writeFileSync(misnamed, readFileSync(second));

    const loaded = await snapshotter.loadNewest();
    expect(loaded?.metadata.index).toBe(200);
    expect(loaded?.skipped.map((skip) => skip.file)).toEqual([misnamed]);
    expect(loaded?.skipped[0].problem).toMatch(/does not match its name/);
  });

  it('returns undefined when every snapshot is broken, and clears leftovers of interrupted saves', async () => {
    const dir = tempDir();
    const snapshotter = new Snapshotter(dir);
    const [only] = await saveAll(snapshotter, [100]);
    writeFileSync(only, Buffer.from('K8TSSNAP truncated'));
    const leftover = path.join(dir, '0000000000000002-00000000000000c8.snap.tmp');
    writeFileSync(leftover, Buffer.from('partial'));

    expect(await snapshotter.loadNewest()).toBeUndefined();
    expect(readdirSync(dir)).toEqual([`${path.basename(only)}.broken`]);
  });

  it('purges all but the newest `keep` snapshots', async () => {
    const dir = tempDir();
    const snapshotter = new Snapshotter(dir);
    const files = await saveAll(snapshotter, [10, 20, 30, 40, 50, 60, 70]);
    const removed = await snapshotter.purge(3);
    expect(removed.sort()).toEqual(files.slice(0, 4).map((file) => path.basename(file)));
    expect(readdirSync(dir).sort()).toEqual(files.slice(4).map((file) => path.basename(file)));
    expect(await snapshotter.purge()).toEqual([]);
    expect((await snapshotter.loadNewest())?.metadata.index).toBe(70);
  });
});
