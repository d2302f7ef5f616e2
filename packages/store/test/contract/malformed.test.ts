// Malformed input on the wire: bytes that are not HTTP/2, and gRPC frames whose protobuf does
// not decode. Each gets an error (or a closed connection) and the member keeps serving.
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { availableTargets } from '../harness.ts';
import { uniquePrefix, valuesOf } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';

/** Sends raw bytes to host:port and resolves when the server closes the connection (or 2 s pass). */
function sendRaw(endpoint: string, bytes: Buffer): Promise<void> {
  const { hostname, port } = new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 2000);
    socket.on('close', done);
    socket.on('error', done);
    socket.resume();
  });
}

/** Calls KV/Put with a body that is not a valid PutRequest protobuf. */
function putWithGarbageBody(endpoint: string, body: Buffer): Promise<grpc.ServiceError | undefined> {
  const target = endpoint.replace(/^https?:\/\//, '');
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/etcdserverpb.KV/Put',
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      (err) => {
        client.close();
        resolve(err ?? undefined);
      },
    );
  });
}

describe.each(availableTargets())('Malformed input against %s', (target) => {
  const store = useMember(target);

  it('survives a connection that speaks no HTTP/2', async () => {
    await sendRaw(store.member.endpoint, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await sendRaw(store.member.endpoint, Buffer.alloc(4096, 0xff));
    const key = `${uniquePrefix('raw')}k`;
    await store.client.put({ key, value: 'still-up' });
    expect(valuesOf(await store.client.range({ key }))).toEqual(['still-up']);
  });

  it('answers a protobuf that does not decode with an error, and keeps serving', async () => {
    // field 1 (key) declared as 100 bytes long, but only 3 follow
    const err = await putWithGarbageBody(store.member.endpoint, Buffer.from([0x0a, 100, 1, 2, 3]));
    expect(err).toBeDefined();
    // etcd: INTERNAL "grpc: error unmarshalling request: …"; the wording is the gRPC library's.
    expect(err?.code).toBe(grpc.status.INTERNAL);
    const key = `${uniquePrefix('pb')}k`;
    await store.client.put({ key, value: 'ok' });
    expect(valuesOf(await store.client.range({ key }))).toEqual(['ok']);
  });
});
