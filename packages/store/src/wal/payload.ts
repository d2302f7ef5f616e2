// Record payloads, encoded with the store's protobuf messages (raftpb.Entry, raftpb.HardState,
// k8tsstore.WalSnapshot). 64-bit fields decode as decimal strings; indexes and terms become
// numbers here, member IDs (the vote) stay strings.
import { decodeMessage, encodeMessage } from '../proto.ts';
import type { Entry, EntryType, HardState } from '../raft/types.ts';

/** The point a snapshot covers, as recorded in the WAL. */
export interface WalSnapshotPoint {
  index: number;
  term: number;
}

export function encodeEntry(entry: Entry): Uint8Array {
  return encodeMessage('raftpb.Entry', { Term: entry.term, Index: entry.index, Type: entry.type, Data: entry.data });
}

/** Throws on an entry type this store does not produce, so the caller can report corruption. */
export function decodeEntry(payload: Uint8Array): Entry {
  const raw = decodeMessage<{ Term: string; Index: string; Type: string; Data: Buffer }>('raftpb.Entry', payload);
  if (raw.Type !== 'EntryNormal' && raw.Type !== 'EntryConfChange') {
    throw new Error(`unsupported entry type ${raw.Type}`);
  }
  return { term: Number(raw.Term), index: Number(raw.Index), type: raw.Type as EntryType, data: raw.Data };
}

export function encodeHardState(state: HardState): Uint8Array {
  return encodeMessage('raftpb.HardState', state);
}

export function decodeHardState(payload: Uint8Array): HardState {
  const raw = decodeMessage<{ term: string; vote: string; commit: string }>('raftpb.HardState', payload);
  return { term: Number(raw.term), vote: raw.vote, commit: Number(raw.commit) };
}

export function encodeSnapshotPoint(point: WalSnapshotPoint): Uint8Array {
  return encodeMessage('k8tsstore.WalSnapshot', point);
}

export function decodeSnapshotPoint(payload: Uint8Array): WalSnapshotPoint {
  const raw = decodeMessage<{ index: string; term: string }>('k8tsstore.WalSnapshot', payload);
  return { index: Number(raw.index), term: Number(raw.term) };
}
