import { status } from '@grpc/grpc-js';
import { expect } from 'vitest';

export { status };

/** Asserts that the call fails with exactly this gRPC code and etcd message. */
export async function expectGrpcError(call: Promise<unknown>, code: status, details: string): Promise<void> {
  const error = await call.then(
    (response) => {
      throw new Error(`expected ${status[code]} "${details}", got ${JSON.stringify(response)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toMatchObject({ code, details });
}
