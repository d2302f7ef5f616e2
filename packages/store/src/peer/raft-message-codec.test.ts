import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../proto.ts';
import { message } from '../raft/message.ts';
import { BadRaftMessageError, decodeRaftMessage, encodeRaftMessage } from './raft-message-codec.ts';

// Member IDs use all 64 bits; they must survive as exact decimal strings.
const BIG_ID = '18446744073709551615';
const OTHER_ID = '9223372036854775809';

describe('raft message codec', () => {
  it('round-trips a MsgApp with entries, 64-bit member IDs and every number field', () => {
    const m = message({
      type: 'MsgApp', to: BIG_ID, from: OTHER_ID, term: 7, logTerm: 6, index: 41, commit: 40,
      entries: [
        { term: 7, index: 42, type: 'EntryNormal', data: Buffer.from('put a') },
        { term: 7, index: 43, type: 'EntryConfChange', data: Buffer.from('{}') },
        { term: 7, index: 44, type: 'EntryNormal', data: Buffer.alloc(0) },
      ],
    });
    const decoded = decodeRaftMessage(encodeRaftMessage(m));
    expect(decoded).toEqual({ ...m, entries: m.entries.map((e) => ({ ...e, data: Buffer.from(e.data) })) });
  });

  it('round-trips rejections, hints and read contexts', () => {
    const rejection = message({ type: 'MsgAppResp', to: '1', from: '2', term: 3, index: 10, reject: true, rejectHint: 8, logTerm: 2 });
    expect(decodeRaftMessage(encodeRaftMessage(rejection))).toEqual(rejection);
    const heartbeat = message({ type: 'MsgHeartbeat', to: '1', from: '2', term: 3, commit: 9, context: Buffer.from([1, 2, 3]) });
    expect(decodeRaftMessage(encodeRaftMessage(heartbeat))).toEqual(heartbeat);
  });

  it('carries only the metadata of a MsgSnap, never the state image', () => {
    const m = message({
      type: 'MsgSnap', to: '1', from: '2', term: 4,
      snapshot: { metadata: { index: 500, term: 3, confState: { voters: ['1', '2', BIG_ID], learners: [] } }, data: Buffer.alloc(1024, 1) },
    });
    const decoded = decodeRaftMessage(encodeRaftMessage(m));
    expect(decoded.snapshot).toEqual({ metadata: m.snapshot!.metadata, data: new Uint8Array() });
  });

  it('refuses bytes that are not a raft message', () => {
    expect(() => decodeRaftMessage(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(BadRaftMessageError);
    // Field 1 (type) = 99: not a message type this store knows.
    expect(() => decodeRaftMessage(Buffer.from([0x08, 99]))).toThrow(/unknown raft message type/);
  });

  it('keeps terms and indexes above 2^32 and entries longer than 127 bytes', () => {
    const m = message({
      type: 'MsgApp', to: '1', from: BIG_ID, term: 2 ** 40 + 3, logTerm: 2 ** 33, index: 2 ** 45 + 1, commit: 2 ** 45,
      entries: [{ term: 2 ** 40 + 3, index: 2 ** 45 + 2, type: 'EntryNormal', data: Buffer.alloc(300, 7) }],
    });
    expect(decodeRaftMessage(encodeRaftMessage(m))).toEqual(m);
  });

  it('speaks the same protobuf as the generic raftpb.Message codec, both ways', () => {
    const m = message({
      type: 'MsgVoteResp', to: BIG_ID, from: OTHER_ID, term: 9, logTerm: 8, index: 2 ** 35, commit: 5, reject: true, rejectHint: 4,
      entries: [{ term: 9, index: 2 ** 35 + 1, type: 'EntryConfChange', data: Buffer.from('conf') }],
      snapshot: { metadata: { index: 77, term: 6, confState: { voters: ['1', BIG_ID], learners: [OTHER_ID] } }, data: new Uint8Array() },
      context: Buffer.from('ctx'),
    });
    const generic = decodeMessage<Record<string, unknown>>('raftpb.Message', encodeRaftMessage(m));
    expect(generic).toMatchObject({ type: 'MsgVoteResp', to: BIG_ID, from: OTHER_ID, term: '9', index: String(2 ** 35), reject: true, rejectHint: '4' });
    const fromGeneric = encodeMessage('raftpb.Message', {
      type: 'MsgVoteResp', to: BIG_ID, from: OTHER_ID, term: 9, logTerm: 8, index: 2 ** 35, commit: 5, reject: true, rejectHint: 4,
      entries: [{ Term: 9, Index: 2 ** 35 + 1, Type: 'EntryConfChange', Data: Buffer.from('conf') }],
      snapshot: { metadata: { index: 77, term: 6, conf_state: { voters: ['1', BIG_ID], learners: [OTHER_ID] } } },
      context: Buffer.from('ctx'),
    });
    expect(decodeRaftMessage(fromGeneric)).toEqual(m);
  });

  it('refuses truncated messages and entries of unknown types', () => {
    const bytes = encodeRaftMessage(message({ type: 'MsgApp', to: '1', from: '2', entries: [{ term: 1, index: 1, type: 'EntryNormal', data: Buffer.from('abc') }] }));
    expect(() => decodeRaftMessage(bytes.subarray(0, bytes.length - 2))).toThrow(BadRaftMessageError);
    // Field 7 (entries) holding an entry whose type (field 1) is 5.
    expect(() => decodeRaftMessage(Buffer.from([0x3a, 0x02, 0x08, 0x05]))).toThrow(/unsupported entry type 5/);
  });
});
