// Crash safety of `k8ts store`, with real processes: kill -9 under concurrent writes, a torn
// WAL tail, a corrupt record in the middle of the WAL, and a lost LevelDB backend. Every check
// goes through the client API after a restart; see support/crash-cycle.ts for what is verified.
//
// K8TS_CRASH_CYCLES (default 20) and K8TS_CRASH_SEED replay or lengthen the kill -9 test;
// `npm run soak:store` runs the same cycle 200 times.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EtcdClient } from '../src/client/etcd-client.ts';
import { startMember, type Member } from './harness.ts';
import { CrashCycleRunner, type CycleResult } from './support/crash-cycle.ts';
import {
  appendPartialRecord,
  appendZeros,
  dbDir,
  newestSegment,
  newestSnapshotIndex,
  readSegment,
  snapDir,
  treeDigest,
  walSegments,
  xorByte,
} from './support/data-dir-files.ts';
import { RecordType } from '../src/wal/record.ts';

const CYCLES = Number(process.env.K8TS_CRASH_CYCLES ?? 20);
const SEED = Number(process.env.K8TS_CRASH_SEED ?? 0x6b387473) >>> 0;

// ---- per-test member and data dir, always stopped and removed ----

const started: { member: Member; dataDir: string }[] = [];
afterEach(async () => {
  for (const { member, dataDir } of started.splice(0)) {
    await member.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

async function freshMember(extraFlags: string[] = []): Promise<{ member: Member; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-crash-'));
  try {
    const member = await startMember('k8ts', { dataDir, extraFlags });
    started.push({ member, dataDir });
    return { member, dataDir };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Fails with the violations, the seed to replay them and the member's last words. */
function expectClean(results: CycleResult | CycleResult[] | string[], member: Member): void {
  const violations = [results].flat().flatMap((result) => (typeof result === 'string' ? [result] : result.violations));
  expect(violations, `seed ${SEED}; member stderr:\n${member.stderrTail()}`).toEqual([]);
}

/** Waits (bounded) until the member's stderr matches: a dying process's last lines can lag its exit. */
async function stderrMatching(member: Member, pattern: RegExp): Promise<string> {
  for (let attempt = 0; attempt < 50 && !pattern.test(member.stderrTail()); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return member.stderrTail();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('k8ts store crash safety', () => {
  it(`keeps every acknowledged write across ${CYCLES} kill -9 cycles under concurrent writes`, async () => {
    const maxSnapshots = 3;
    const { member, dataDir } = await freshMember(['--snapshot-count', '300', '--max-snapshots', String(maxSnapshots)]);
    const runner = await CrashCycleRunner.create(member, { seed: SEED, writers: 8, fullHistoryEvery: 1 });
    const results: CycleResult[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const result = await runner.runCycle();
      results.push(result);
      if (result.violations.length > 0) break; // later cycles would only repeat the damage
    }
    expectClean(results, member);
    expectClean(await runner.checkFullHistory(), member);

    expect(runner.totals.cycles).toBe(CYCLES);
    expect(runner.totals.acknowledged).toBeGreaterThan(CYCLES * 8);
    // The run went through snapshots (so restarts replayed the WAL after one) and snapshot purges.
    expect(newestSnapshotIndex(dataDir)).toBeGreaterThan(300);
    const snapshots = fs.readdirSync(snapDir(dataDir));
    const snapFiles = snapshots.filter((file) => file.endsWith('.snap'));
    expect(snapFiles).not.toContain('0000000000000001-0000000000000001.snap'); // the bootstrap one was purged
    // A kill between saving a snapshot and purging the oldest one leaves one file too many,
    // until the next snapshot's purge.
    expect(snapFiles.length).toBeLessThanOrEqual(maxSnapshots + 1);
    expect(snapshots.filter((file) => !file.endsWith('.snap'))).toEqual([]);
  }, 170_000);

  it('drops a torn final WAL record on start and keeps every acknowledged write', async () => {
    const { member, dataDir } = await freshMember();
    const runner = await CrashCycleRunner.create(member, { seed: SEED ^ 0x2 });
    const tornLog = /WAL: dropped a torn final record \((\d+) bytes at (.+):(\d+)\)/;

    // 1. An append that stopped part-way: a correctly framed record, cut short.
    await runner.traffic({ opsPerWriter: 15 });
    expectClean(await runner.verifyPending(), member);
    await member.stop();
    let segment = newestSegment(dataDir);
    let before = readSegment(segment);
    expect(before.damage).toBeUndefined();
    const appended = appendPartialRecord(segment, 300, 120);
    await member.start();
    expect(member.stderrTail()).toMatch(new RegExp(`dropped a torn final record \\(${appended} bytes at ${escape(segment)}:${before.size}\\)`));
    expectClean(await runner.verifyPending(), member);

    // 2. A tail of zeros (the file grew, the data never landed).
    await runner.traffic({ opsPerWriter: 15 });
    expectClean(await runner.verifyPending(), member);
    await member.stop();
    segment = newestSegment(dataDir);
    before = readSegment(segment);
    expect(before.damage).toBeUndefined();
    appendZeros(segment, 4096);
    await member.start();
    expect(member.stderrTail()).toMatch(new RegExp(`dropped a torn final record \\(4096 bytes at ${escape(segment)}:${before.size}\\)`));
    expectClean(await runner.verifyPending(), member);

    // 3. The real last record cut in half. save() writes a batch's entries before its hard state,
    //    so after traffic the last record is a hard state: cutting it loses no acknowledged entry
    //    (the commit it carried is re-established when the member leads again).
    await runner.traffic({ opsPerWriter: 15 });
    expectClean(await runner.verifyPending(), member);
    await member.stop();
    segment = newestSegment(dataDir);
    before = readSegment(segment);
    const last = before.records.at(-1)!;
    expect(last.type).toBe(RecordType.hardState);
    const cutAt = last.offset + 9 + Math.floor(last.payload.length / 2);
    fs.truncateSync(segment, cutAt);
    await member.start();
    const match = tornLog.exec(member.stderrTail());
    expect(match?.slice(1)).toEqual([String(cutAt - last.offset), segment, String(last.offset)]);
    expectClean(await runner.verifyPending(), member);

    // Whatever was cut off is gone from the file for good; the log is whole again.
    await runner.traffic({ opsPerWriter: 5 });
    expectClean(await runner.verifyPending(), member);
    await member.stop();
    expect(readSegment(newestSegment(dataDir)).damage).toBeUndefined();
    await member.start();
    expect(member.stderrTail()).not.toMatch(tornLog);
    expectClean(await runner.verifyPending(), member);
  }, 60_000);

  it.each([
    {
      damage: 'a flipped payload byte',
      at: (record: { offset: number; payload: Buffer }) => record.offset + 9 + Math.floor(record.payload.length / 2),
      problem: /checksum mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/,
    },
    {
      damage: 'a damaged length field',
      at: (record: { offset: number }) => record.offset + 2,
      problem: /record declares \d+ payload bytes but only \d+ remain, yet an intact record follows at byte \d+/,
    },
  ])('refuses to start on $damage in an early WAL record, naming file and offset, and touches nothing', async ({ at, problem }) => {
    const { member, dataDir } = await freshMember();
    const runner = await CrashCycleRunner.create(member, { seed: SEED ^ 0x3 });
    await runner.traffic({ opsPerWriter: 12 });
    expectClean(await runner.verifyPending(), member);
    await member.stop();

    const segment = newestSegment(dataDir);
    const { records } = readSegment(segment);
    const entries = records.filter((record) => record.type === RecordType.entry);
    const victim = entries[5];
    expect(records.length - records.indexOf(victim)).toBeGreaterThan(50); // far from the tail
    const offset = at(victim);
    xorByte(segment, offset);
    const memberDir = path.join(dataDir, 'member');
    const damaged = treeDigest(memberDir);

    const failure = await member.start().then(() => undefined, (error: Error) => error);
    expect(failure?.message).toMatch(/^k8ts exited \((\d+)\) before serving/);
    expect(failure!.message).not.toMatch(/^k8ts exited \(0\)/);
    const expected = new RegExp(`WAL corrupt: ${escape(segment)} at byte ${victim.offset}: ${problem.source}`);
    expect(await stderrMatching(member, expected)).toMatch(expected);
    // Nothing repaired, truncated, renamed or created: the damage is left for the operator.
    expect(treeDigest(memberDir)).toEqual(damaged);

    // Undo the damage: the member starts and nothing was lost.
    xorByte(segment, offset);
    await member.start();
    expect(member.stderrTail()).not.toMatch(/dropped a torn final record/);
    expectClean(await runner.verifyPending(), member);
  }, 60_000);

  it.each([
    { snapshots: 'a recent snapshot', snapshotCount: 100 },
    { snapshots: 'only the bootstrap snapshot', snapshotCount: 100_000 },
  ])('rebuilds a deleted backend from $snapshots and the WAL', async ({ snapshotCount }) => {
    const { member, dataDir } = await freshMember(['--snapshot-count', String(snapshotCount)]);
    const runner = await CrashCycleRunner.create(member, { seed: SEED ^ 0x4, killDelayMs: [200, 400] });
    // Some crashes first, so the history being rebuilt has in-doubt writes and restarts in it.
    expectClean([await runner.runCycle(), await runner.runCycle()], member);
    await runner.traffic({ opsPerWriter: 20 });
    expectClean(await runner.verifyPending(), member);

    const client = new EtcdClient(member.endpoint);
    let hashBefore;
    let raftIndex: number;
    try {
      // The rebuild must replay WAL entries after the newest snapshot: when the traffic happened
      // to end exactly on a snapshot, write until one entry follows it.
      for (let extra = 0; Number((await client.status()).raftIndex) <= newestSnapshotIndex(dataDir) && extra < 3; extra++) {
        await client.put({ key: Buffer.from(`/after-snapshot/${extra}`), value: Buffer.from('x') });
      }
      hashBefore = await client.hashKV(0);
      raftIndex = Number((await client.status()).raftIndex);
    } finally {
      client.close();
    }
    await member.stop();
    const snapshotIndex = newestSnapshotIndex(dataDir);
    if (snapshotCount === 100) expect(snapshotIndex).toBeGreaterThan(100);
    else expect(snapshotIndex).toBe(1);
    expect(raftIndex).toBeGreaterThan(snapshotIndex); // the rebuild also needs the WAL after it
    const segmentsBefore = walSegments(dataDir);

    fs.rmSync(dbDir(dataDir), { recursive: true, force: true });
    await member.start();
    expect(member.stderrTail()).toMatch(new RegExp(`backend is at index 0, behind snapshot ${snapshotIndex}: rebuilding it`));
    expectClean(await runner.verifyPending(), member);
    const after = new EtcdClient(member.endpoint);
    try {
      const hashAfter = await after.hashKV(hashBefore.hash_revision);
      expect(hashAfter).toMatchObject({ hash: hashBefore.hash, hash_revision: hashBefore.hash_revision });
    } finally {
      after.close();
    }
    expect(walSegments(dataDir)).toEqual(segmentsBefore);
  }, 60_000);
});
