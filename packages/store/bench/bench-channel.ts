// The load generator's client: one gRPC channel (one HTTP/2 connection) to a store.
//
// EtcdClient instances cannot stand in for separate clients: grpc-js pools connections
// process-wide, so every EtcdClient to the same endpoint shares one TCP connection.
// This channel opts out of that pool ('grpc.use_local_subchannel_pool'), and otherwise
// calls the same method definitions (serializers included) and the same WatchStream as
// EtcdClient. Keys and values are Buffers, so requests are sent without conversion.
import * as grpc from '@grpc/grpc-js';
import { RPC } from '../src/client/rpc-methods.ts';
import type { PutRequest, PutResponse, RangeRequest, RangeResponse } from '../src/client/types.ts';
import { WatchStream } from '../src/client/watch-stream.ts';

const NO_OPTIONS: grpc.CallOptions = {};

export class BenchChannel {
  private readonly grpc: grpc.Client;

  /** @param endpoint "http://127.0.0.1:2379" (plaintext only). */
  constructor(endpoint: string) {
    this.grpc = new grpc.Client(endpoint.replace(/^http:\/\//, ''), grpc.credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
    });
  }

  put(key: Buffer, value: Buffer): Promise<PutResponse> {
    return this.unary(RPC.put, { key, value });
  }

  /** A linearizable get of one key. */
  get(key: Buffer): Promise<RangeResponse> {
    return this.unary(RPC.range, { key });
  }

  watch(): WatchStream {
    const { path, requestSerialize, responseDeserialize } = RPC.watch;
    return new WatchStream(this.grpc.makeBidiStreamRequest(path, requestSerialize, responseDeserialize));
  }

  close(): void {
    this.grpc.close();
  }

  private unary<Req extends PutRequest | RangeRequest, Res>(method: grpc.MethodDefinition<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      this.grpc.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        NO_OPTIONS,
        (error, response) => (error ? reject(error) : resolve(response!)),
      );
    });
  }
}

/** `count` channels to `endpoint`; close them with closeAll. */
export function openChannels(endpoint: string, count: number): BenchChannel[] {
  return Array.from({ length: count }, () => new BenchChannel(endpoint));
}

export function closeAll(channels: readonly BenchChannel[]): void {
  for (const channel of channels) channel.close();
}
