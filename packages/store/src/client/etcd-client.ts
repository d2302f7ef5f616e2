// A typed promise client for the etcd v3 gRPC API (KV, Watch, Lease, Cluster, Maintenance).
//
// Requests and responses keep the .proto shapes (see types.ts). A failed call rejects
// with grpc-js's ServiceError, whose `code` and `details` are etcd's own (e.g. code 11
// OUT_OF_RANGE, details "etcdserver: mvcc: required revision has been compacted").
import * as grpc from '@grpc/grpc-js';
import { KeepAliveStream } from './keep-alive-stream.ts';
import { encodeStrings, encodeTxn, PUT_BYTES, RANGE_BYTES } from './request-bytes.ts';
import { RPC } from './rpc-methods.ts';
import type * as T from './types.ts';
import { WatchStream } from './watch-stream.ts';

export * from './types.ts';
export { prefixEnd, str } from './bytes.ts';
export { KeepAliveStream } from './keep-alive-stream.ts';
export { WatchCreateError, WatchStream, Watcher } from './watch-stream.ts';

const NO_ARGUMENTS = {};

/** The HTTP/2 stream and connection receive window of a client (see the constructor). */
const FLOW_CONTROL_WINDOW_BYTES = 16 * 1024 * 1024;

export class EtcdClient {
  private readonly grpc: grpc.Client;
  /** Sent with every call: clientv3's WithRequireLeader when asked for. */
  private readonly metadata = new grpc.Metadata();

  /**
   * @param endpoint "http://127.0.0.1:2379" or "127.0.0.1:2379" (plaintext only); or several,
   *   comma-separated, of one cluster's members (IP addresses): the client uses the first it
   *   can connect to and moves to another when that connection is lost, as etcd's clients do.
   * @param options.ownConnection grpc-js shares one TCP connection among all clients of an
   *   endpoint in a process; a load generator that stands for many clients opts out.
   * @param options.requireLeader marks every call as clientv3.WithRequireLeader does: the
   *   member refuses it with "etcdserver: no leader" (and ends streams) while it has no leader.
   */
  constructor(endpoint: string, options: { ownConnection?: boolean; requireLeader?: boolean } = {}) {
    if (options.requireLeader) this.metadata.set('hasleader', 'true');
    this.grpc = new grpc.Client(grpcTarget(endpoint), grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      ...(options.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
      // Notice a member that froze with the connection open, and move on to another one.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      // HTTP/2 flow control: the store may send only a window's worth of watch events before the
      // client's event loop answers with a WINDOW_UPDATE. At Node's default 64 KiB, a client
      // whose loop is busy (an apiserver under load) throttles its own watch stream to 64 KiB
      // per loop turn and its watch caches fall seconds behind the store. Go's gRPC (etcd's
      // clients) grows its windows up to 16 MiB by bandwidth estimation; start there.
      'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW_BYTES,
    });
  }

  // ---- KV ---- (options: grpc call options, e.g. a deadline)

  range(request: T.RangeRequest, options?: grpc.CallOptions): Promise<T.RangeResponse> {
    return this.unary(RPC.range, encodeStrings(request, RANGE_BYTES), options);
  }

  put(request: T.PutRequest, options?: grpc.CallOptions): Promise<T.PutResponse> {
    return this.unary(RPC.put, encodeStrings(request, PUT_BYTES), options);
  }

  deleteRange(request: T.DeleteRangeRequest, options?: grpc.CallOptions): Promise<T.DeleteRangeResponse> {
    return this.unary(RPC.deleteRange, encodeStrings(request, RANGE_BYTES), options);
  }

  txn(request: T.TxnRequest, options?: grpc.CallOptions): Promise<T.TxnResponse> {
    return this.unary(RPC.txn, encodeTxn(request), options);
  }

  compact(request: T.CompactionRequest): Promise<T.CompactionResponse> {
    return this.unary(RPC.compact, request);
  }

  // ---- Watch ----

  /** Opens a Watch stream; create watches on it and close it when done. */
  watch(): WatchStream {
    const { path, requestSerialize, responseDeserialize } = RPC.watch;
    return new WatchStream(this.grpc.makeBidiStreamRequest(path, requestSerialize, responseDeserialize, this.metadata));
  }

  // ---- Lease ----

  leaseGrant(request: T.LeaseGrantRequest): Promise<T.LeaseGrantResponse> {
    return this.unary(RPC.leaseGrant, request);
  }

  leaseRevoke(id: T.Int64): Promise<T.LeaseRevokeResponse> {
    return this.unary(RPC.leaseRevoke, { ID: id });
  }

  leaseTimeToLive(request: T.LeaseTimeToLiveRequest): Promise<T.LeaseTimeToLiveResponse> {
    return this.unary(RPC.leaseTimeToLive, request);
  }

  leaseLeases(): Promise<T.LeaseLeasesResponse> {
    return this.unary(RPC.leaseLeases, NO_ARGUMENTS);
  }

  /** Opens a LeaseKeepAlive stream; renew leases on it and close it when done. */
  keepAlive(): KeepAliveStream {
    const { path, requestSerialize, responseDeserialize } = RPC.leaseKeepAlive;
    return new KeepAliveStream(this.grpc.makeBidiStreamRequest(path, requestSerialize, responseDeserialize, this.metadata));
  }

  // ---- Cluster ----

  memberList(): Promise<T.MemberListResponse> {
    return this.unary(RPC.memberList, NO_ARGUMENTS);
  }

  // ---- Maintenance ----

  status(options?: grpc.CallOptions): Promise<T.StatusResponse> {
    return this.unary(RPC.status, NO_ARGUMENTS, options);
  }

  alarm(request: T.AlarmRequest = {}): Promise<T.AlarmResponse> {
    return this.unary(RPC.alarm, request);
  }

  defragment(): Promise<T.DefragmentResponse> {
    return this.unary(RPC.defragment, NO_ARGUMENTS);
  }

  /** Hash of the MVCC keyspace up to `revision` (0 = current). */
  hashKV(revision: T.Int64 = 0): Promise<T.HashKVResponse> {
    return this.unary(RPC.hashKV, { revision });
  }

  /** The backend database image, collected from the Snapshot stream. */
  snapshot(): Promise<Buffer> {
    const { path, requestSerialize, responseDeserialize } = RPC.snapshot;
    const call = this.grpc.makeServerStreamRequest(path, requestSerialize, responseDeserialize, NO_ARGUMENTS, this.metadata);
    const chunks: Buffer[] = [];
    return new Promise((resolve, reject) => {
      call.on('data', (response: T.SnapshotResponse) => chunks.push(response.blob));
      call.on('error', reject);
      call.on('end', () => resolve(Buffer.concat(chunks)));
    });
  }

  close(): void {
    this.grpc.close();
  }

  private unary<Req, Res>(
    method: grpc.MethodDefinition<Req, Res>,
    request: Req,
    options: grpc.CallOptions = NO_ARGUMENTS,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.grpc.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        this.metadata,
        options,
        (error, response) => (error ? reject(error) : resolve(response!)),
      );
    });
  }
}

/** One endpoint as grpc-js names it; several become one "ipv4:" or "ipv6:" target with failover. */
function grpcTarget(endpoints: string): string {
  const hosts = endpoints.split(',').map((e) => e.trim().replace(/^http:\/\//, '')).filter(Boolean);
  if (hosts.length === 1) return hosts[0];
  const v6 = hosts.every((h) => h.startsWith('['));
  if (!v6 && !hosts.every((h) => /^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(h))) {
    throw new Error(`EtcdClient: several endpoints must all be IP addresses with ports, got "${endpoints}"`);
  }
  return `${v6 ? 'ipv6' : 'ipv4'}:${hosts.join(',')}`;
}
