// Bad input gets a clear error, never a crash: every failure to decode is a ProtobufDecodeError
// naming what was wrong and where; every failure to encode is a ProtobufEncodeError.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { decodeKubeProtobuf, encodeKubeProtobuf, KUBE_PROTOBUF_MAGIC, ProtobufDecodeError, ProtobufEncodeError } from './index.ts';
import { allFixtures, deployment } from './test-fixtures.ts';
import { WireWriter } from './wire-writer.ts';

function envelope(apiVersion: string, kind: string, raw: WireWriter | Uint8Array): Buffer {
  const meta = new WireWriter();
  meta.string(1, apiVersion);
  meta.string(2, kind);
  const unknown = new WireWriter();
  unknown.message(1, meta);
  if (raw instanceof WireWriter) unknown.message(2, raw);
  else unknown.bytes(2, raw);
  return Buffer.concat([KUBE_PROTOBUF_MAGIC, unknown.finish()]);
}

/** Raw Deployment bytes with `leaf` written at the end of the given message path. */
function deploymentWith(path: number[], leaf: (w: WireWriter) => void): Buffer {
  const raw = new WireWriter();
  let writer = raw;
  const stack: [WireWriter, number][] = [];
  for (const number of path) {
    const child = new WireWriter();
    stack.push([writer, number]);
    writer = child;
  }
  leaf(writer);
  for (const [parent, number] of stack.reverse()) {
    parent.message(number, writer);
    writer = parent;
  }
  return envelope('apps/v1', 'Deployment', raw);
}

function decodeError(body: Uint8Array): string {
  try {
    decodeKubeProtobuf(body);
  } catch (err) {
    expect(err).toBeInstanceOf(ProtobufDecodeError);
    return (err as Error).message;
  }
  throw new Error('decoding succeeded');
}

describe('decode errors', () => {
  it('uses the reference serializer words for bodies that are not protobuf objects', () => {
    expect(decodeError(new Uint8Array())).toBe('protobuf body: empty data');
    expect(decodeError(Buffer.from('{"kind":"Pod"}'))).toBe('protobuf body: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    expect(decodeError(Buffer.from('k8s'))).toMatch(/expected prefix/);
    expect(decodeError(KUBE_PROTOBUF_MAGIC)).toBe('protobuf body: empty body');
  });

  it('names a missing or unknown kind', () => {
    expect(decodeError(envelope('v1', '', new WireWriter()))).toMatch(/Object 'Kind' is missing/);
    expect(decodeError(envelope('', 'Pod', new WireWriter()))).toMatch(/Object 'apiVersion' is missing/);
    expect(decodeError(envelope('v1', 'Widget', new WireWriter()))).toBe('v1 Widget: no kind "Widget" is registered for version "v1"');
    expect(decodeError(envelope('example.com/v1', 'Pod', new WireWriter()))).toMatch(/no kind "Pod" is registered for version "example.com\/v1"/);
  });

  it('names the field whose wire type is wrong, with list indices and map keys', () => {
    // spec (2) → replicas (1) sent as a string
    expect(decodeError(deploymentWith([2], (w) => w.string(1, 'two')))).toBe(
      'apps/v1 Deployment: spec.replicas: wrong wire type 2 for a field of type int32 (expected 0)',
    );
    // spec → template (3) → spec (2) → containers (2) → name (1) sent as a varint
    expect(decodeError(deploymentWith([2, 3, 2, 2], (w) => w.int64(1, 5)))).toMatch(/^apps\/v1 Deployment: spec\.template\.spec\.containers\[0\]\.name: wrong wire type 0/);
    // metadata (1) → labels (11) entry {key "app", value as a varint}
    expect(
      decodeError(
        deploymentWith([1, 11], (w) => {
          w.string(1, 'app');
          w.int64(2, 1);
        }),
      ),
    ).toMatch(/^apps\/v1 Deployment: metadata\.labels\["app"\]: wrong wire type 0/);
  });

  it('rejects truncated bodies', () => {
    const bytes = encodeKubeProtobuf(deployment);
    expect(decodeError(bytes.subarray(0, bytes.length - 10))).toMatch(/runs past the end|unexpected end/);
  });

  it('rejects values Go could not turn into JSON', () => {
    const revision = new WireWriter();
    const data = new WireWriter();
    data.bytes(1, Buffer.from('{not json'));
    revision.message(2, data);
    expect(decodeError(envelope('apps/v1', 'ControllerRevision', revision))).toMatch(/^apps\/v1 ControllerRevision: data: embedded raw value is not JSON/);
    // metadata → creationTimestamp (8) → seconds far beyond year 9999
    const farFuture = deploymentWith([1, 8], (w) => w.int64(1, 2 ** 50));
    expect(decodeError(farFuture)).toMatch(/metadata\.creationTimestamp: time \d+s is outside years 0000-9999/);
    // spec → strategy (4) → rollingUpdate (2) → maxSurge (2) with IntOrString type 7
    const badIntOrString = deploymentWith([2, 4, 2, 2], (w) => w.int64(1, 7));
    expect(decodeError(badIntOrString)).toMatch(/spec\.strategy\.rollingUpdate\.maxSurge: IntOrString type 7/);
  });

  it('caps nesting, so hostile input cannot exhaust the stack', () => {
    // a v1 List whose only item embeds another List, 150 levels deep
    let body: Uint8Array = envelope('v1', 'List', new WireWriter());
    for (let i = 0; i < 150; i++) {
      const item = new WireWriter();
      item.bytes(1, body);
      const list = new WireWriter();
      list.message(2, item);
      body = envelope('v1', 'List', list);
    }
    expect(decodeError(body)).toMatch(/^v1 List: items\[0\]\.items\[0\]\..*: messages nested deeper than 100 levels$/);
  });

  it('survives random corruption of real objects with either a result or a ProtobufDecodeError', () => {
    let seed = 0x2545f491;
    const random = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const unexpected: string[] = [];
    let decoded = 0;
    for (const obj of allFixtures) {
      const original = encodeKubeProtobuf(obj);
      for (let i = 0; i < 300; i++) {
        const bytes = Buffer.from(original);
        const mutations = 1 + random(4);
        for (let m = 0; m < mutations; m++) bytes[4 + random(bytes.length - 4)] = random(256);
        const cut = random(3) === 0 ? bytes.subarray(0, 4 + random(bytes.length - 4)) : bytes;
        try {
          decodeKubeProtobuf(cut);
          decoded++;
        } catch (err) {
          if (!(err instanceof ProtobufDecodeError)) unexpected.push(`${(err as Error).stack}\n${cut.toString('hex')}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(decoded).toBeGreaterThan(0); // some corruptions still decode: the test exercised both paths
  });
});

describe('encode errors', () => {
  const withSpec = (spec: unknown): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });
  const encodeError = (obj: KubeObject) => {
    try {
      encodeKubeProtobuf(obj);
    } catch (err) {
      expect(err).toBeInstanceOf(ProtobufEncodeError);
      return (err as Error).message;
    }
    throw new Error('encoding succeeded');
  };

  it('needs a registered apiVersion and kind', () => {
    expect(encodeError({ metadata: { name: 'x' } })).toBe('the object needs apiVersion and kind to be written as protobuf');
    expect(encodeError({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: {} })).toBe('no kind "Widget" is registered for version "example.com/v1"');
  });

  it.each([
    [withSpec({ replicas: 'two' }), 'spec.replicas: expected an int32, got "two"'],
    [withSpec({ replicas: 1.5 }), 'spec.replicas: expected an int32, got 1.5'],
    [withSpec({ replicas: 2 ** 31 }), 'spec.replicas: expected an int32, got 2147483648'],
    [withSpec({ template: { spec: { containers: {} } } }), 'spec.template.spec.containers: expected an array, got {}'],
    [withSpec({ template: { spec: { containers: [{ name: 1 }] } } }), 'spec.template.spec.containers[0].name: expected a string, got 1'],
    [withSpec({ strategy: { rollingUpdate: { maxSurge: true } } }), 'spec.strategy.rollingUpdate.maxSurge: expected an int32 or a string, got true'],
    [withSpec({ paused: 'yes' }), 'spec.paused: expected a boolean, got "yes"'],
    [withSpec([]), 'spec: expected an object, got []'],
    [{ apiVersion: 'v1', kind: 'Secret', metadata: {}, data: { k: 'not base64!' } }, 'data["k"]: expected base64 data, got "not base64!"'],
    [{ apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: 'yesterday' } }, 'metadata.creationTimestamp: expected an RFC 3339 time, got "yesterday"'],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: 'app=web' } }, 'metadata.labels: expected an object, got "app=web"'],
  ])('rejects a value of the wrong type (%#)', (obj, message) => {
    expect(encodeError(obj as KubeObject)).toBe(message);
  });
});
