// The etcd v3 RPC methods this client calls, taken from the package definition that
// src/proto.ts builds (so serialization follows its conversion conventions).
import type { MethodDefinition } from '@grpc/grpc-js';
import { loadEtcdPackageDefinition } from '../proto.ts';
import type * as T from './types.ts';

const packageDefinition = loadEtcdPackageDefinition();

function rpc<Req, Res>(service: string, name: string): MethodDefinition<Req, Res> {
  const methods = packageDefinition[`etcdserverpb.${service}`] as Record<string, unknown>;
  return methods[name] as MethodDefinition<Req, Res>;
}

type Empty = Record<string, never>;

export const RPC = {
  range: rpc<T.RangeRequest, T.RangeResponse>('KV', 'Range'),
  put: rpc<T.PutRequest, T.PutResponse>('KV', 'Put'),
  deleteRange: rpc<T.DeleteRangeRequest, T.DeleteRangeResponse>('KV', 'DeleteRange'),
  txn: rpc<T.TxnRequest, T.TxnResponse>('KV', 'Txn'),
  compact: rpc<T.CompactionRequest, T.CompactionResponse>('KV', 'Compact'),
  watch: rpc<T.WatchRequest, T.WatchResponse>('Watch', 'Watch'),
  leaseGrant: rpc<T.LeaseGrantRequest, T.LeaseGrantResponse>('Lease', 'LeaseGrant'),
  leaseRevoke: rpc<{ ID: T.Int64 }, T.LeaseRevokeResponse>('Lease', 'LeaseRevoke'),
  leaseKeepAlive: rpc<{ ID: T.Int64 }, T.LeaseKeepAliveResponse>('Lease', 'LeaseKeepAlive'),
  leaseTimeToLive: rpc<T.LeaseTimeToLiveRequest, T.LeaseTimeToLiveResponse>('Lease', 'LeaseTimeToLive'),
  leaseLeases: rpc<Empty, T.LeaseLeasesResponse>('Lease', 'LeaseLeases'),
  memberList: rpc<{ linearizable?: boolean }, T.MemberListResponse>('Cluster', 'MemberList'),
  alarm: rpc<T.AlarmRequest, T.AlarmResponse>('Maintenance', 'Alarm'),
  status: rpc<Empty, T.StatusResponse>('Maintenance', 'Status'),
  defragment: rpc<Empty, T.DefragmentResponse>('Maintenance', 'Defragment'),
  hashKV: rpc<{ revision?: T.Int64 }, T.HashKVResponse>('Maintenance', 'HashKV'),
  snapshot: rpc<Empty, T.SnapshotResponse>('Maintenance', 'Snapshot'),
};
