// Wraps an async handler as a grpc-js unary handler: every failure becomes etcd's gRPC error,
// never an unhandled rejection.
import type * as grpc from '@grpc/grpc-js';
import { toEtcdError } from '../errors.ts';

export type Handler<Req> = (req: Req) => Promise<object>;

export function unary<Req>(handler: Handler<Req>): grpc.handleUnaryCall<Req, object> {
  return (call, callback) => {
    handler(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => {
        const e = toEtcdError(err);
        callback({ code: e.grpcCode, details: e.message, message: e.message, name: 'EtcdError' });
      },
    );
  };
}
