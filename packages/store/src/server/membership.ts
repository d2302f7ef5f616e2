// The cluster's members, persisted in the backend so a restarted member (or one restored from
// a snapshot) knows who is in its cluster.
import type { Backend } from '../mvcc/backend.ts';

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
