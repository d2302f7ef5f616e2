// The cluster's members, persisted in the backend so a restarted member (or one restored from
// a snapshot) knows who is in its cluster.
import type { Backend } from '../mvcc/backend.ts';
import type { StoreConfig } from './config.ts';
import { computeMemberId } from './ids.ts';

export interface Member {
  ID: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

const MEMBERS_KEY = Buffer.from('m/members');

export async function loadMembers(backend: Backend): Promise<Member[] | undefined> {
  const raw = await backend.get(MEMBERS_KEY);
  return raw ? (JSON.parse(raw.toString()) as Member[]) : undefined;
}

export function saveMembers(backend: Backend, members: Member[]): void {
  backend.put(MEMBERS_KEY, Buffer.from(JSON.stringify(members)));
}

/** The members --initial-cluster names; only this member's client URLs are known yet. */
export function initialMembers(cfg: StoreConfig): Member[] {
  return [...cfg.initialCluster].map(([name, peerURLs]) => ({
    ID: computeMemberId(peerURLs, cfg.initialClusterToken),
    name,
    peerURLs,
    clientURLs: name === cfg.name ? cfg.advertiseClientUrls : [],
    isLearner: false,
  }));
}
