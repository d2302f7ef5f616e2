// Swagger 2.0 JSON → gnostic's openapi.v2.Document protobuf, the form kubectl downloads
// /openapi/v2 in (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf). This
// does what gnostic's compiler does with the JSON kube-openapi produces:
// - objects with free-form keys (paths, definitions, properties, responses, …) become lists of
//   {name, value} pairs in the document's key order;
// - "x-" keys become vendor_extension pairs whose value is the YAML text of the JSON value
//   (written as JSON, which is YAML flow style: kubectl parses it with a YAML decoder);
// - a value of several possible shapes (a parameter, additionalProperties) becomes a oneof.
// Keys gnostic has no field for are an error here, so nothing the document says is silently
// lost on the way to kubectl.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { isJsonObject, type JsonObject, type JsonValue } from '../../object.ts';

const PROTO_FILE = fileURLToPath(new URL('./OpenAPIv2.proto', import.meta.url));

/** The gnostic message types, with field names as the .proto spells them. */
export const gnosticTypes = new protobuf.Root().loadSync(PROTO_FILE, { keepCase: true });
const DocumentType = gnosticTypes.lookupType('openapi.v2.Document');

/** A gnostic message as a plain object (protobufjs fromObject input). */
type Message = { [field: string]: unknown };

export function encodeGnosticDocument(swagger: JsonObject): Buffer {
  return Buffer.from(DocumentType.encode(DocumentType.fromObject(gnosticDocument(swagger))).finish());
}

/** The gnostic Document message for a Swagger 2.0 document. */
export function gnosticDocument(d: JsonObject): Message {
  expectKeys(d, 'document', ['swagger', 'info', 'paths', 'definitions', 'securityDefinitions', 'security']);
  const info = object(d.info, 'info');
  expectKeys(info, 'info', ['title', 'version']);
  const out: Message = {
    swagger: d.swagger,
    info: { title: info.title, version: info.version, vendor_extension: vendorExtensions(info) },
    paths: gnosticPaths(object(d.paths, 'paths')),
    definitions: { additional_properties: namedSchemas(object(d.definitions, 'definitions'), 'definitions') },
    vendor_extension: vendorExtensions(d),
  };
  if (d.securityDefinitions !== undefined) out.security_definitions = securityDefinitions(object(d.securityDefinitions, 'securityDefinitions'));
  if (d.security !== undefined) out.security = array(d.security, 'security').map((r) => securityRequirement(object(r, 'security')));
  return out;
}

function gnosticPaths(paths: JsonObject): Message {
  const path = Object.entries(paths)
    .filter(([name]) => !isExtension(name))
    .map(([name, item]) => ({ name, value: pathItem(object(item, name), name) }));
  return { path, vendor_extension: vendorExtensions(paths) };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function pathItem(item: JsonObject, where: string): Message {
  expectKeys(item, where, [...METHODS, 'parameters']);
  const out: Message = { vendor_extension: vendorExtensions(item) };
  for (const method of METHODS) {
    const at = `${where} ${method}`;
    if (item[method] !== undefined) out[method] = operation(object(item[method], at), at);
  }
  if (item.parameters !== undefined) out.parameters = parameters(item.parameters, where);
  return out;
}

function operation(op: JsonObject, where: string): Message {
  expectKeys(op, where, ['tags', 'description', 'operationId', 'produces', 'consumes', 'parameters', 'responses', 'schemes']);
  const out: Message = {
    tags: op.tags,
    description: op.description,
    operation_id: op.operationId,
    produces: op.produces,
    consumes: op.consumes,
    schemes: op.schemes,
    responses: responses(object(op.responses, `${where} responses`), where),
    vendor_extension: vendorExtensions(op),
  };
  if (op.parameters !== undefined) out.parameters = parameters(op.parameters, where);
  return out;
}

function parameters(list: JsonValue, where: string): Message[] {
  return array(list, `${where} parameters`).map((p) => ({ parameter: parameter(object(p, `${where} parameter`), where) }));
}

function parameter(p: JsonObject, where: string): Message {
  const at = `${where} parameter ${String(p.name)}`;
  if (p.in === 'body') {
    expectKeys(p, at, ['name', 'in', 'description', 'required', 'schema']);
    const body = { name: p.name, in: p.in, description: p.description, required: p.required, schema: schema(object(p.schema, at), at), vendor_extension: vendorExtensions(p) };
    return { body_parameter: body };
  }
  expectKeys(p, at, ['name', 'in', 'description', 'required', 'type', 'uniqueItems']);
  const sub = { name: p.name, in: p.in, description: p.description, required: p.required, type: p.type, unique_items: p.uniqueItems, vendor_extension: vendorExtensions(p) };
  if (p.in === 'query') return { non_body_parameter: { query_parameter_sub_schema: sub } };
  if (p.in === 'path') return { non_body_parameter: { path_parameter_sub_schema: sub } };
  throw new Error(`openapi v2: ${at}: parameters in ${String(p.in)} are not supported`);
}

function responses(r: JsonObject, where: string): Message {
  const response_code = Object.entries(r)
    .filter(([code]) => !isExtension(code))
    .map(([code, value]) => {
      const at = `${where} response ${code}`;
      const v = object(value, at);
      expectKeys(v, at, ['description', 'schema']);
      const response: Message = { description: v.description, vendor_extension: vendorExtensions(v) };
      if (v.schema !== undefined) response.schema = { schema: schema(object(v.schema, at), at) };
      return { name: code, value: { response } };
    });
  return { response_code, vendor_extension: vendorExtensions(r) };
}

/** A Swagger 2.0 schema object as gnostic's Schema. */
function schema(s: JsonObject, where: string): Message {
  expectKeys(s, where, ['$ref', 'format', 'description', 'required', 'additionalProperties', 'type', 'items', 'properties']);
  const out: Message = {
    _ref: s.$ref,
    format: s.format,
    description: s.description,
    required: s.required,
    vendor_extension: vendorExtensions(s),
  };
  if (s.type !== undefined) out.type = { value: Array.isArray(s.type) ? s.type : [s.type] };
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? s.items : [s.items];
    out.items = { schema: items.map((item, i) => schema(object(item, `${where} items`), `${where}[${i}]`)) };
  }
  if (s.properties !== undefined) out.properties = { additional_properties: namedSchemas(object(s.properties, where), where) };
  if (typeof s.additionalProperties === 'boolean') out.additional_properties = { boolean: s.additionalProperties };
  else if (s.additionalProperties !== undefined) {
    out.additional_properties = { schema: schema(object(s.additionalProperties, where), `${where} additionalProperties`) };
  }
  return out;
}

function namedSchemas(o: JsonObject, where: string): Message[] {
  return Object.entries(o).map(([name, value]) => ({ name, value: schema(object(value, `${where}.${name}`), `${where}.${name}`) }));
}

function securityDefinitions(defs: JsonObject): Message {
  const additional_properties = Object.entries(defs).map(([name, value]) => {
    const d = object(value, `securityDefinitions.${name}`);
    if (d.type !== 'apiKey') throw new Error(`openapi v2: security scheme ${name} of type ${String(d.type)} is not supported`);
    expectKeys(d, `securityDefinitions.${name}`, ['type', 'name', 'in', 'description']);
    const api_key_security = { type: d.type, name: d.name, in: d.in, description: d.description, vendor_extension: vendorExtensions(d) };
    return { name, value: { api_key_security } };
  });
  return { additional_properties };
}

function securityRequirement(r: JsonObject): Message {
  return { additional_properties: Object.entries(r).map(([name, scopes]) => ({ name, value: { value: array(scopes, `security ${name}`) } })) };
}

function isExtension(key: string): boolean {
  return key.startsWith('x-');
}

/** The "x-" keys of an object as gnostic NamedAny pairs holding YAML text. */
function vendorExtensions(o: JsonObject): Message[] {
  return Object.entries(o)
    .filter(([key]) => isExtension(key))
    .map(([name, value]) => ({ name, value: { yaml: `${JSON.stringify(value)}\n` } }));
}

function expectKeys(o: JsonObject, where: string, allowed: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (!isExtension(key) && !allowed.includes(key)) throw new Error(`openapi v2: ${where}: gnostic has no field for "${key}"`);
  }
}

function object(value: JsonValue | undefined, where: string): JsonObject {
  if (!isJsonObject(value)) throw new Error(`openapi v2: ${where} must be an object`);
  return value;
}

function array(value: JsonValue | undefined, where: string): JsonValue[] {
  if (!Array.isArray(value)) throw new Error(`openapi v2: ${where} must be an array`);
  return value;
}
