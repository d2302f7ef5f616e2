import { describe, expect, it } from 'vitest';
import { readFields } from '../../protobuf/wire-reader.ts';
import { encodeGnosticDocument, gnosticDocument, gnosticTypes } from './gnostic.ts';
import { openApiV2 } from './index.ts';

type Any = any; // decoded messages and JSON are navigated freely

const DocumentType = gnosticTypes.lookupType('openapi.v2.Document');

/** The protobuf bytes decoded with OpenAPIv2.proto into plain objects (unset fields absent). */
function decode(bytes: Uint8Array): Any {
  return DocumentType.toObject(DocumentType.decode(bytes), { defaults: false, arrays: false, objects: false, oneofs: false });
}

// ---- gnostic message → Swagger JSON: the inverse of gnostic.ts, written independently for the round trip ----

/** Vendor extensions are YAML text; ours is JSON, the flow-style subset of YAML. */
const extensions = (m: Any): Any => Object.fromEntries((m.vendor_extension ?? []).map((e: Any) => [e.name, JSON.parse(e.value.yaml)]));
const named = (pairs: Any[] | undefined, f: (v: Any) => Any): Any => Object.fromEntries((pairs ?? []).map((p) => [p.name, f(p.value)]));
/** Copies the set fields under their JSON names. */
function fields(m: Any, names: Record<string, string>): Any {
  const out: Any = {};
  for (const [proto, json] of Object.entries(names)) if (m[proto] !== undefined) out[json] = m[proto];
  return out;
}

function toSchema(s: Any): Any {
  const out: Any = fields(s, { _ref: '$ref', format: 'format', description: 'description', required: 'required' });
  if (s.type) out.type = s.type.value.length === 1 ? s.type.value[0] : s.type.value;
  if (s.items) out.items = toSchema(s.items.schema[0]);
  if (s.properties) out.properties = named(s.properties.additional_properties, toSchema);
  if (s.additional_properties) out.additionalProperties = s.additional_properties.schema ? toSchema(s.additional_properties.schema) : s.additional_properties.boolean;
  return { ...out, ...extensions(s) };
}

function toParameter(item: Any): Any {
  const { body_parameter: body, non_body_parameter: nonBody } = item.parameter;
  if (body) return { ...fields(body, { in: 'in', name: 'name', description: 'description', required: 'required' }), schema: toSchema(body.schema) };
  const sub = nonBody.query_parameter_sub_schema ?? nonBody.path_parameter_sub_schema;
  return { ...fields(sub, { in: 'in', name: 'name', description: 'description', required: 'required', type: 'type', unique_items: 'uniqueItems' }), ...extensions(sub) };
}

function toOperation(op: Any): Any {
  const out: Any = fields(op, { tags: 'tags', description: 'description', operation_id: 'operationId', produces: 'produces', consumes: 'consumes', schemes: 'schemes' });
  if (op.parameters) out.parameters = op.parameters.map(toParameter);
  out.responses = named(op.responses.response_code, (v) => {
    const response: Any = { description: v.response.description };
    if (v.response.schema) response.schema = toSchema(v.response.schema.schema);
    return response;
  });
  return { ...out, ...extensions(op) };
}

function toSwagger(d: Any): Any {
  return {
    swagger: d.swagger,
    info: { title: d.info.title, version: d.info.version },
    paths: named(d.paths.path, (item) => {
      const out: Any = {};
      for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']) if (item[method]) out[method] = toOperation(item[method]);
      if (item.parameters) out.parameters = item.parameters.map(toParameter);
      return out;
    }),
    definitions: named(d.definitions.additional_properties, toSchema),
    securityDefinitions: named(d.security_definitions.additional_properties, (v) => v.api_key_security),
    security: d.security.map((r: Any) => named(r.additional_properties, (v) => v.value ?? [])),
  };
}

describe('gnostic protobuf encoding of /openapi/v2', () => {
  const v2 = openApiV2();
  const decoded = decode(v2.protobuf);

  it('decodes with the gnostic schema into the same document as the JSON', () => {
    expect(toSwagger(decoded)).toEqual(JSON.parse(v2.json));
  });

  it('keeps the order of paths, definitions and properties (gnostic pairs are ordered)', () => {
    const json = JSON.parse(v2.json);
    expect(decoded.paths.path.map((p: Any) => p.name)).toEqual(Object.keys(json.paths));
    expect(decoded.definitions.additional_properties.map((p: Any) => p.name)).toEqual(Object.keys(json.definitions));
  });

  it('puts each part under gnostic\'s field number, in field order, as a kube-apiserver answer does', () => {
    // Read with the bare wire reader, so this does not depend on OpenAPIv2.proto being right.
    const text = (fields: ReturnType<typeof readFields>, n: number) => Buffer.from((fields.get(n)![0] as { bytes: Uint8Array }).bytes).toString();
    const top = readFields([v2.protobuf]);
    expect([...top.keys()]).toEqual([1, 2, 8, 9, 12, 13]); // swagger, info, paths, definitions, security, securityDefinitions
    expect(text(top, 1)).toBe('2.0');
    const info = readFields([(top.get(2)![0] as { bytes: Uint8Array }).bytes]);
    expect(text(info, 1)).toBe('Kubernetes');
    expect(text(info, 2)).toBe('v1.32.0');
    // a real /openapi/v2 protobuf body begins 0a 03 32 2e 30 12 …
    expect(v2.protobuf.subarray(0, 6)).toEqual(Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30, 0x12]));
  });

  it('carries x-kubernetes extensions as YAML text kubectl can parse', () => {
    const patch = decoded.paths.path.find((p: Any) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}').value.patch;
    const gvk = patch.vendor_extension.find((e: Any) => e.name === 'x-kubernetes-group-version-kind');
    expect(JSON.parse(gvk.value.yaml)).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    const fieldValidation = patch.parameters.map((p: Any) => p.parameter.non_body_parameter?.query_parameter_sub_schema?.name);
    expect(fieldValidation).toContain('fieldValidation');
  });

  it('refuses keys gnostic has no field for rather than dropping them', () => {
    const document = (schema: Any): Any => ({ swagger: '2.0', info: { title: 't', version: 'v' }, paths: {}, definitions: { a: schema } });
    expect(() => gnosticDocument(document({ type: 'object', oneOf: [{ type: 'string' }] }))).toThrow('definitions.a: gnostic has no field for "oneOf"');
    expect(() => gnosticDocument(document({ type: 'object', 'x-anything': { ok: true } }))).not.toThrow();
    const roundTrip = decode(encodeGnosticDocument(document({ type: 'object', additionalProperties: false })));
    expect(toSwagger({ ...roundTrip, security_definitions: {}, security: [] }).definitions.a).toEqual({ type: 'object', additionalProperties: false });
  });
});
