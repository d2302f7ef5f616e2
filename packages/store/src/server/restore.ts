// `k8ts store snapshot restore`: turns a snapshot saved by `etcdctl snapshot save` into the data
// dir of a new single-member cluster with the same keys, revisions and leases — what
// `etcdctl snapshot restore` does for etcd.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Backend } from '../mvcc/backend.ts';
import { decodeSnapshotFile, Snapshotter } from '../snap/snapshotter.ts';
import { Wal } from '../wal/wal.ts';
import { encodeMessage } from '../proto.ts';
import type { StoreConfig } from './config.ts';
import { computeClusterId } from './ids.ts';
import { initialMembers, saveMembers } from './membership.ts';
import { CONSISTENT_INDEX_KEY } from './recovery.ts';

/** The restored member starts at log index 1, term 1, like a freshly bootstrapped one. */
const RESTORED_POINT = { index: 1, term: 1 };

export async function restoreSnapshot(file: string, cfg: StoreConfig): Promise<{ members: number; dataDir: string }> {
  if (existsSync(cfg.dataDir) && readdirSync(cfg.dataDir).length > 0) {
    throw new Error(`data-dir "${cfg.dataDir}" exists and is not empty; restore into a new directory`);
  }
  const { body } = decodeSnapshotFile(await readFile(file)); // verifies the SHA-256 trailer
  const memberDir = path.join(cfg.dataDir, 'member');
  const backend = await Backend.recreate(path.join(memberDir, 'db'));
  await backend.importImage(body);

  const members = initialMembers(cfg);
  const self = members.find((m) => m.name === cfg.name);
  if (!self) throw new Error(`--initial-cluster has no member named "${cfg.name}" (--name)`);
  saveMembers(backend, members);
  backend.put(CONSISTENT_INDEX_KEY, Buffer.from(String(RESTORED_POINT.index)));
  const image = await (await backend.pointInTime()).exportImage();
  await backend.close();

  const confState = { voters: members.map((m) => m.ID), learners: [] };
  await new Snapshotter(path.join(memberDir, 'snap')).save({ ...RESTORED_POINT, confState }, image);
  const clusterId = computeClusterId(members.map((m) => m.ID));
  const wal = await Wal.create(path.join(memberDir, 'wal'), encodeMessage('k8tsstore.WalMetadata', { member_id: self.ID, cluster_id: clusterId }));
  await wal.saveSnapshot(RESTORED_POINT);
  await wal.save({ term: RESTORED_POINT.term, vote: '0', commit: RESTORED_POINT.index }, []);
  await wal.close();
  return { members: members.length, dataDir: cfg.dataDir };
}
