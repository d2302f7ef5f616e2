import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { decodeKubeProtobuf, encodeKubeProtobuf, KUBE_PROTOBUF_MAGIC } from './index.ts';
import { allFixtures, service } from './test-fixtures.ts';
import { WireWriter } from './wire-writer.ts';

/** The field number of a JSON property, straight from the schema (as the wire uses it). */
const numberOf = (fullName: string, json: string) => schema.message(fullName).properties.get(json)!.number;

/** "k8s\0" + runtime.Unknown around a hand-built typed message. */
function envelope(apiVersion: string, kind: string, raw: WireWriter): Buffer {
  const meta = new WireWriter();
  meta.string(1, apiVersion);
  meta.string(2, kind);
  const unknown = new WireWriter();
  unknown.message(1, meta);
  unknown.message(2, raw);
  return Buffer.concat([KUBE_PROTOBUF_MAGIC, unknown.finish()]);
}

const roundTrip = (obj: KubeObject) => decodeKubeProtobuf(encodeKubeProtobuf(obj));

describe('round trips', () => {
  it.each(allFixtures.map((o) => [`${o.apiVersion} ${o.kind}`, o] as const))('%s comes back as the same JSON', (_name, obj) => {
    const bytes = encodeKubeProtobuf(obj);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from('k8s\0'));
    const decoded = decodeKubeProtobuf(bytes);
    expect(decoded).toEqual(obj);
    expect(encodeKubeProtobuf(decoded)).toEqual(bytes); // and the encoding is deterministic
  });

  it('survives messages whose length prefix needs several bytes', () => {
    // a 200 kB value (3-byte length) inside a list of 300 pods (1 MB: the writer's buffer grows many times)
    const big: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', creationTimestamp: null }, data: { blob: 'x'.repeat(200_000) } };
    expect(roundTrip(big)).toEqual(big);
    const { kind: _kind, apiVersion: _apiVersion, ...item } = allFixtures[0];
    // items of a typed list carry no kind/apiVersion
    const list: KubeObject = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '9' }, items: Array.from({ length: 300 }, () => item) };
    expect(roundTrip(list)).toEqual(list);
  });

  it('writes the envelope as the reference encoder does: typeMeta, raw, then two empty strings', () => {
    const bytes = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' } });
    // 0a 0f {0a 02 "v1" 12 09 "Namespace"} 12 1b {…} 1a 00 22 00
    expect(bytes.subarray(4, 21).toString('hex')).toBe('0a0f0a0276311209' + Buffer.from('Namespace').toString('hex'));
    expect(bytes.subarray(-4).toString('hex')).toBe('1a002200');
  });
});

describe('the JSON Go would write', () => {
  it('fills in what Go always writes: zero scalars, empty structs, null times and nil slices', () => {
    expect(roundTrip({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' } })).toEqual({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: 'foo', creationTimestamp: null },
      spec: {},
      status: {},
    });
    const deployment = roundTrip({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } });
    expect(deployment.spec).toEqual({
      selector: null, // a pointer without omitempty
      template: { metadata: { creationTimestamp: null }, spec: { containers: [{ name: 'c', resources: {} }] } },
      strategy: {},
    });
  });

  it('drops omitempty zero values but keeps set pointers that point at zero', () => {
    const svc = roundTrip({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: '' }, spec: { clusterIP: '', ports: [{ port: 80, nodePort: 0, appProtocol: '' }] } });
    expect(svc.metadata).toEqual({ name: 's', creationTimestamp: null });
    expect(svc.spec).toEqual({ ports: [{ port: 80, targetPort: 0, appProtocol: '' }] });
  });

  it('carries IntOrString as {type, intVal, strVal} and gives back a number or a string', () => {
    const bytes = encodeKubeProtobuf(service);
    const targetPort = numberOf('k8s.io.api.core.v1.ServicePort', 'targetPort');
    // targetPort 8080: type 0 (int), intVal 8080, strVal "" — all three written
    expect(bytes.includes(Buffer.from([(targetPort << 3) | 2, 7, 0x08, 0, 0x10, 0x90, 0x3f, 0x1a, 0]))).toBe(true);
    // targetPort "https": type 1 (string), intVal 0, strVal "https"
    expect(bytes.includes(Buffer.from([(targetPort << 3) | 2, 11, 0x08, 1, 0x10, 0, 0x1a, 5, ...Buffer.from('https')]))).toBe(true);
    expect((decodeKubeProtobuf(bytes).spec as { ports: { targetPort: unknown }[] }).ports.map((p) => p.targetPort)).toEqual([8080, 'https']);
  });

  it('puts Secret data on the wire as raw bytes and gives it back as base64', () => {
    const bytes = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('hunter2').toString('base64') } });
    expect(bytes.includes(Buffer.from('hunter2'))).toBe(true);
    expect(decodeKubeProtobuf(bytes).data).toEqual({ k: 'aHVudGVyMg==' });
  });

  it('writes times as UTC seconds: offsets are applied, fractions of a Time dropped', () => {
    const ns = roundTrip({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', creationTimestamp: '2024-05-01T12:00:00.75+02:00' } });
    expect(ns.metadata.creationTimestamp).toBe('2024-05-01T10:00:00Z');
  });

  it('keeps microseconds of a MicroTime', () => {
    const lease = roundTrip({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
      spec: { holderIdentity: 'node-1_abc', leaseDurationSeconds: 15, acquireTime: '2024-05-01T10:00:00.000001Z', renewTime: '2024-05-01T10:00:09.123456789Z', leaseTransitions: 2 },
    });
    expect(lease.spec).toEqual({ holderIdentity: 'node-1_abc', leaseDurationSeconds: 15, acquireTime: '2024-05-01T10:00:00.000001Z', renewTime: '2024-05-01T10:00:09.123456Z', leaseTransitions: 2 });
  });

  it('writes Quantities given as JSON numbers as strings', () => {
    const rq = roundTrip({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: 10, 'requests.cpu': '2' } } });
    expect(rq.spec).toEqual({ hard: { pods: '10', 'requests.cpu': '2' } });
  });

  it('embeds raw JSON (RawExtension) and managedFields (FieldsV1) as JSON values', () => {
    const managedFields = [{ manager: 'kubectl', operation: 'Apply' as const, apiVersion: 'apps/v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1' as const, fieldsV1: { 'f:data': {}, 'f:revision': {} } }];
    const revision: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'web-1', creationTimestamp: null, managedFields },
      data: { spec: { template: { a: [1, 'x', null, true, { 'ü': 1.5 }] } } },
      revision: 1,
    };
    expect(roundTrip(revision)).toEqual(revision);
    expect(roundTrip({ ...revision, data: null }).data).toBeNull();
  });

  it('writes slice-typed messages (ExtraValue) as bare arrays', () => {
    const review = roundTrip({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {}, spec: { user: 'jane', groups: ['dev'], extra: { scopes: ['a', 'b'], empty: [] } } });
    expect(review.spec).toEqual({ user: 'jane', groups: ['dev'], extra: { scopes: ['a', 'b'], empty: null } });
  });

  it('handles the CRD schema types that are a schema or a bool, array or string list', () => {
    const openAPIV3Schema = {
      type: 'object',
      required: ['spec'],
      properties: {
        spec: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-preserve-unknown-fields': true },
        tags: { type: 'array', items: { type: 'string', maxLength: 63 } },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer', minimum: 0, maximum: 65535.5 }] },
        closed: { type: 'object', additionalProperties: false },
        open: { type: 'object', additionalProperties: true },
        mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
      },
      dependencies: { tls: ['certificate'], certificate: { required: ['key'] } },
    };
    const crd = roundTrip({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }],
      },
    });
    const version = (crd.spec as { versions: { schema: { openAPIV3Schema: unknown } }[] }).versions[0];
    expect(version.schema.openAPIV3Schema).toEqual(openAPIV3Schema);
  });

  it('keeps int64 values beyond 32 bits', () => {
    expect(roundTrip({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', generation: 2 ** 40 + 1 } }).metadata.generation).toBe(2 ** 40 + 1);
  });

  it('orders map keys by their UTF-8 bytes, as Go does, on the wire and in JSON', () => {
    const data = { '😀': '1', '～': '2', b: '3', a: '4' };
    const bytes = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
    const at = (key: string) => bytes.indexOf(Buffer.from(key));
    expect(at('a') < at('b') && at('b') < at('～') && at('～') < at('😀')).toBe(true);
    expect(Object.keys(decodeKubeProtobuf(bytes).data as object)).toEqual(['a', 'b', '～', '😀']);
  });
});

describe('reading what other encoders may send', () => {
  const pod = 'k8s.io.api.core.v1.Pod';
  const podSpec = 'k8s.io.api.core.v1.PodSpec';
  const securityContext = 'k8s.io.api.core.v1.PodSecurityContext';

  /** A Pod whose spec.securityContext.supplementalGroups is written by `write`. */
  function podWithGroups(write: (w: WireWriter, field: number) => void): Buffer {
    const context = new WireWriter();
    write(context, numberOf(securityContext, 'supplementalGroups'));
    const spec = new WireWriter();
    spec.message(numberOf(podSpec, 'securityContext'), context);
    const raw = new WireWriter();
    raw.message(numberOf(pod, 'spec'), spec);
    return envelope('v1', 'Pod', raw);
  }

  it('decodes repeated scalars both unpacked (as Kubernetes writes them) and packed', () => {
    const unpacked = podWithGroups((w, field) => [1, 2, 300].forEach((g) => w.int64(field, g)));
    // packed: one length-delimited record holding the varints 1, 2 and 300
    const packed = podWithGroups((w, field) => w.bytes(field, Buffer.from([0x01, 0x02, 0xac, 0x02])));
    for (const body of [unpacked, packed]) {
      expect((decodeKubeProtobuf(body).spec as { securityContext: unknown }).securityContext).toEqual({ supplementalGroups: [1, 2, 300] });
    }
  });

  it('merges a message field sent twice, as protobuf requires', () => {
    const first = new WireWriter();
    first.string(numberOf('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'name'), 'a');
    const second = new WireWriter();
    second.string(numberOf('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'namespace'), 'ns');
    const raw = new WireWriter();
    raw.message(1, first);
    raw.message(1, second);
    expect(decodeKubeProtobuf(envelope('v1', 'ConfigMap', raw)).metadata).toEqual({ name: 'a', namespace: 'ns', creationTimestamp: null });
  });

  it('skips fields it does not know (a newer writer)', () => {
    const raw = new WireWriter();
    const meta = new WireWriter();
    meta.string(1, 'n');
    meta.string(999, 'from the future');
    raw.message(1, meta);
    raw.int64(77, 5);
    expect(decodeKubeProtobuf(envelope('v1', 'Namespace', raw)).metadata).toEqual({ name: 'n', creationTimestamp: null });
  });

  it('decodes a full object embedded in a RawExtension (as lists and watch events carry them)', () => {
    const item = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
    const extension = new WireWriter();
    extension.bytes(1, item);
    const raw = new WireWriter();
    raw.message(1, new WireWriter());
    raw.message(numberOf('k8s.io.api.core.v1.List', 'items'), extension);
    expect(decodeKubeProtobuf(envelope('v1', 'List', raw))).toEqual({
      kind: 'List',
      apiVersion: 'v1',
      metadata: {},
      items: [{ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', creationTimestamp: null }, data: { a: 'b' } }],
    });
  });
});
