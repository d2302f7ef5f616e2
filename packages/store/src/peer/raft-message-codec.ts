// Raft messages on the wire between members: raftpb.Message protobuf (proto/raftpb.proto, field
// numbers as etcd-io/raft). Member IDs stay decimal strings (they use all 64 bits); indexes and
// terms become numbers. A MsgSnap travels with its metadata only: the state image follows it in
// the snapshot transfer (snapshot-sender.ts), never inside a stream frame.
//
// Why a hand-written codec rather than protobufjs' reflection (used for everything else in
// proto.ts): every replicated write crosses this codec once per follower and back, and the
// generic path — fromObject/toObject with 64-bit fields as decimal strings through `long` — was
// a tenth of a leader's CPU in the 3-member put benchmark. The encoding is plain proto3 (fields
// at their default value are left out), so protobufjs reads these bytes and this reads its.
import { protoWire, ProtoReader, ProtoWriter } from './proto-wire.ts';
import type { Entry, EntryType, Message, MessageType, Snapshot } from '../raft/types.ts';

/** raftpb.MessageType, by enum number. */
const MESSAGE_TYPES: readonly MessageType[] = [
  'MsgHup', 'MsgBeat', 'MsgProp', 'MsgApp', 'MsgAppResp', 'MsgVote', 'MsgVoteResp', 'MsgSnap', 'MsgHeartbeat',
  'MsgHeartbeatResp', 'MsgUnreachable', 'MsgSnapStatus', 'MsgCheckQuorum', 'MsgTransferLeader', 'MsgTimeoutNow',
  'MsgReadIndex', 'MsgReadIndexResp', 'MsgPreVote', 'MsgPreVoteResp',
];
const MESSAGE_TYPE_NUMBERS = new Map(MESSAGE_TYPES.map((name, n) => [name, n]));
/** raftpb.EntryType, by enum number (EntryConfChangeV2 is not used by this store). */
const ENTRY_TYPES: readonly EntryType[] = ['EntryNormal', 'EntryConfChange'];

/** Field numbers (proto/raftpb.proto). */
const MessageField = { type: 1, to: 2, from: 3, term: 4, logTerm: 5, index: 6, entries: 7, commit: 8, snapshot: 9, reject: 10, rejectHint: 11, context: 12 } as const;
const EntryField = { type: 1, term: 2, index: 3, data: 4 } as const;
const SnapshotField = { metadata: 2 } as const;
const MetadataField = { confState: 1, index: 2, term: 3 } as const;
const ConfStateField = { voters: 1, learners: 2 } as const;

export class BadRaftMessageError extends Error {
  readonly code = 'BAD_RAFT_MESSAGE';
}

export function encodeRaftMessage(m: Message): Buffer {
  const w = new ProtoWriter(64 + m.entries.reduce((sum, e) => sum + e.data.length + 24, 0));
  w.uint(MessageField.type, MESSAGE_TYPE_NUMBERS.get(m.type) ?? 0);
  w.id(MessageField.to, m.to);
  w.id(MessageField.from, m.from);
  w.uint(MessageField.term, m.term);
  w.uint(MessageField.logTerm, m.logTerm);
  w.uint(MessageField.index, m.index);
  for (const e of m.entries) w.message(MessageField.entries, (entry) => writeEntry(entry, e));
  w.uint(MessageField.commit, m.commit);
  if (m.snapshot) w.message(MessageField.snapshot, (snapshot) => writeSnapshotMetadata(snapshot, m.snapshot!));
  w.bool(MessageField.reject, m.reject);
  w.uint(MessageField.rejectHint, m.rejectHint);
  if (m.context) w.bytes(MessageField.context, m.context);
  return w.finish();
}

function writeEntry(w: ProtoWriter, e: Entry): void {
  w.uint(EntryField.type, e.type === 'EntryConfChange' ? 1 : 0);
  w.uint(EntryField.term, e.term);
  w.uint(EntryField.index, e.index);
  w.bytes(EntryField.data, e.data);
}

function writeSnapshotMetadata(w: ProtoWriter, s: Snapshot): void {
  const { index, term, confState } = s.metadata;
  w.message(
    SnapshotField.metadata,
    (metadata) => {
      metadata.message(MetadataField.confState, (conf) => {
        conf.packedIds(ConfStateField.voters, confState.voters);
        conf.packedIds(ConfStateField.learners, confState.learners);
      });
      metadata.uint(MetadataField.index, index);
      metadata.uint(MetadataField.term, term);
    },
  );
}

/** Throws BadRaftMessageError for bytes that are not a message this store could have sent. */
export function decodeRaftMessage(bytes: Uint8Array): Message {
  try {
    return readMessage(new ProtoReader(bytes));
  } catch (err) {
    if (err instanceof BadRaftMessageError) throw err;
    throw new BadRaftMessageError(`raft message does not decode: ${(err as Error).message}`);
  }
}

function readMessage(r: ProtoReader): Message {
  const m: Message = { type: 'MsgHup', to: '0', from: '0', term: 0, logTerm: 0, index: 0, entries: [], commit: 0, reject: false, rejectHint: 0 };
  while (r.more()) {
    const { field, wire } = r.tag();
    switch (field) {
      case MessageField.type: {
        const n = r.uint(wire);
        const type = MESSAGE_TYPES[n];
        if (!type) throw new BadRaftMessageError(`unknown raft message type ${n}`);
        m.type = type;
        break;
      }
      case MessageField.to: m.to = r.id(wire); break;
      case MessageField.from: m.from = r.id(wire); break;
      case MessageField.term: m.term = r.uint(wire); break;
      case MessageField.logTerm: m.logTerm = r.uint(wire); break;
      case MessageField.index: m.index = r.uint(wire); break;
      case MessageField.entries: m.entries.push(readEntry(r.sub(wire))); break;
      case MessageField.commit: m.commit = r.uint(wire); break;
      case MessageField.snapshot: m.snapshot = readSnapshot(r.sub(wire)); break;
      case MessageField.reject: m.reject = r.uint(wire) !== 0; break;
      case MessageField.rejectHint: m.rejectHint = r.uint(wire); break;
      case MessageField.context: {
        const context = r.bytes(wire);
        if (context.length > 0) m.context = context;
        break;
      }
      default: r.skip(wire);
    }
  }
  return m;
}

function readEntry(r: ProtoReader): Entry {
  const e: Entry = { term: 0, index: 0, type: 'EntryNormal', data: protoWire.EMPTY };
  while (r.more()) {
    const { field, wire } = r.tag();
    switch (field) {
      case EntryField.type: {
        const n = r.uint(wire);
        const type = ENTRY_TYPES[n];
        if (!type) throw new BadRaftMessageError(`unsupported entry type ${n}`);
        e.type = type;
        break;
      }
      case EntryField.term: e.term = r.uint(wire); break;
      case EntryField.index: e.index = r.uint(wire); break;
      case EntryField.data: e.data = r.bytes(wire); break;
      default: r.skip(wire);
    }
  }
  return e;
}

function readSnapshot(r: ProtoReader): Snapshot {
  const snapshot: Snapshot = { metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } }, data: new Uint8Array() };
  while (r.more()) {
    const { field, wire } = r.tag();
    if (field !== SnapshotField.metadata) {
      // the state image never travels in a message (see the header)
      r.skip(wire);
      continue;
    }
    const meta = r.sub(wire);
    while (meta.more()) {
      const t = meta.tag();
      if (t.field === MetadataField.index) snapshot.metadata.index = meta.uint(t.wire);
      else if (t.field === MetadataField.term) snapshot.metadata.term = meta.uint(t.wire);
      else if (t.field === MetadataField.confState) {
        const conf = meta.sub(t.wire);
        while (conf.more()) {
          const c = conf.tag();
          if (c.field === ConfStateField.voters) snapshot.metadata.confState.voters.push(...conf.ids(c.wire));
          else if (c.field === ConfStateField.learners) snapshot.metadata.confState.learners.push(...conf.ids(c.wire));
          else conf.skip(c.wire);
        }
      } else meta.skip(t.wire);
    }
  }
  return snapshot;
}

