// The etcd v3 API messages as this client sends and receives them, in the .proto's own
// shapes (snake_case field names as in rpc.proto / kv.proto).
//
// Requests are lenient: bytes may be strings (sent as UTF-8) and 64-bit integers may be
// numbers or decimal strings. Responses follow src/proto.ts: bytes are Buffers, 64-bit
// integers are decimal strings, enums are their names, unset fields carry their defaults
// and unset message fields are null.

/** Bytes in a request; a string is sent as its UTF-8 encoding. */
export type Bytes = string | Uint8Array;
/** A 64-bit integer in a request. Use a decimal string for values above 2^53 (lease IDs). */
export type Int64 = number | string;

export interface ResponseHeader {
  cluster_id: string;
  member_id: string;
  revision: string;
  raft_term: string;
}

export interface KeyValue {
  key: Buffer;
  create_revision: string;
  mod_revision: string;
  version: string;
  value: Buffer;
  lease: string;
}

// ---- KV ----

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

export interface RangeRequest {
  key: Bytes;
  range_end?: Bytes;
  limit?: Int64;
  revision?: Int64;
  sort_order?: SortOrder;
  sort_target?: SortTarget;
  serializable?: boolean;
  keys_only?: boolean;
  count_only?: boolean;
  min_mod_revision?: Int64;
  max_mod_revision?: Int64;
  min_create_revision?: Int64;
  max_create_revision?: Int64;
}

export interface RangeResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  more: boolean;
  count: string;
}

export interface PutRequest {
  key: Bytes;
  value?: Bytes;
  lease?: Int64;
  prev_kv?: boolean;
  ignore_value?: boolean;
  ignore_lease?: boolean;
}

export interface PutResponse {
  header: ResponseHeader;
  prev_kv: KeyValue | null;
}

export interface DeleteRangeRequest {
  key: Bytes;
  range_end?: Bytes;
  prev_kv?: boolean;
}

export interface DeleteRangeResponse {
  header: ResponseHeader;
  deleted: string;
  prev_kvs: KeyValue[];
}

export type CompareResult = 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';
export type CompareTarget = 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE';

/** Set exactly one of version/create_revision/mod_revision/value/lease, matching `target`. */
export interface Compare {
  result: CompareResult;
  target: CompareTarget;
  key: Bytes;
  range_end?: Bytes;
  version?: Int64;
  create_revision?: Int64;
  mod_revision?: Int64;
  value?: Bytes;
  lease?: Int64;
}

/** Set exactly one field. */
export interface RequestOp {
  request_range?: RangeRequest;
  request_put?: PutRequest;
  request_delete_range?: DeleteRangeRequest;
  request_txn?: TxnRequest;
}

/** `response` names the field that is set. */
export interface ResponseOp {
  response: 'response_range' | 'response_put' | 'response_delete_range' | 'response_txn';
  response_range?: RangeResponse;
  response_put?: PutResponse;
  response_delete_range?: DeleteRangeResponse;
  response_txn?: TxnResponse;
}

export interface TxnRequest {
  compare?: Compare[];
  success?: RequestOp[];
  failure?: RequestOp[];
}

export interface TxnResponse {
  header: ResponseHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface CompactionRequest {
  revision: Int64;
  physical?: boolean;
}

export interface CompactionResponse {
  header: ResponseHeader;
}

// ---- Watch ----

export type WatchFilter = 'NOPUT' | 'NODELETE';

export interface WatchCreateRequest {
  key: Bytes;
  range_end?: Bytes;
  start_revision?: Int64;
  progress_notify?: boolean;
  filters?: WatchFilter[];
  prev_kv?: boolean;
  watch_id?: Int64;
  fragment?: boolean;
}

export interface WatchRequest {
  create_request?: WatchCreateRequest;
  cancel_request?: { watch_id: Int64 };
  progress_request?: Record<string, never>;
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prev_kv: KeyValue | null;
}

export interface WatchResponse {
  header: ResponseHeader;
  watch_id: string;
  created: boolean;
  canceled: boolean;
  compact_revision: string;
  cancel_reason: string;
  fragment: boolean;
  events: WatchEvent[];
}

// ---- Lease ----

export interface LeaseGrantRequest {
  TTL: Int64;
  ID?: Int64;
}

export interface LeaseGrantResponse {
  header: ResponseHeader;
  ID: string;
  TTL: string;
  error: string;
}

export interface LeaseRevokeResponse {
  header: ResponseHeader;
}

export interface LeaseKeepAliveResponse {
  header: ResponseHeader;
  ID: string;
  TTL: string;
}

export interface LeaseTimeToLiveRequest {
  ID: Int64;
  keys?: boolean;
}

export interface LeaseTimeToLiveResponse {
  header: ResponseHeader;
  ID: string;
  TTL: string;
  grantedTTL: string;
  keys: Buffer[];
}

export interface LeaseLeasesResponse {
  header: ResponseHeader;
  leases: { ID: string }[];
}

// ---- Cluster ----

export interface Member {
  ID: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface MemberListResponse {
  header: ResponseHeader;
  members: Member[];
}

// ---- Maintenance ----

export type AlarmType = 'NONE' | 'NOSPACE' | 'CORRUPT';

export interface AlarmRequest {
  action?: 'GET' | 'ACTIVATE' | 'DEACTIVATE';
  memberID?: Int64;
  alarm?: AlarmType;
}

export interface AlarmResponse {
  header: ResponseHeader;
  alarms: { memberID: string; alarm: AlarmType }[];
}

export interface StatusResponse {
  header: ResponseHeader;
  version: string;
  dbSize: string;
  leader: string;
  raftIndex: string;
  raftTerm: string;
  raftAppliedIndex: string;
  errors: string[];
  dbSizeInUse: string;
  isLearner: boolean;
}

export interface DefragmentResponse {
  header: ResponseHeader;
}

export interface HashKVResponse {
  header: ResponseHeader;
  hash: number;
  compact_revision: string;
  hash_revision: string;
}

export interface SnapshotResponse {
  header: ResponseHeader;
  remaining_bytes: string;
  blob: Buffer;
  version: string;
}
