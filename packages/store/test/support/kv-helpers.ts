// Small readers for responses, so assertions say what they mean.
import { randomUUID } from 'node:crypto';
import { str, type KeyValue, type ResponseHeader } from '../../src/client/etcd-client.ts';

/** A key prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}/`;
}

export function revisionOf(response: { header: ResponseHeader | null }): number {
  return Number(response.header!.revision);
}

export function keysOf(response: { kvs: KeyValue[] }): string[] {
  return response.kvs.map((kv) => str(kv.key));
}

export function valuesOf(response: { kvs: KeyValue[] }): string[] {
  return response.kvs.map((kv) => str(kv.value));
}
