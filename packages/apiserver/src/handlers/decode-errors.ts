// Why a request body is not an object of the kind its URL names, in the words of Kubernetes'
// decoder. The decoder first reads apiVersion and kind; when even that fails the body is
// "unrecognized" and quoted back; when they name another kind, the kind "cannot be handled as" the
// expected one (a kind Kubernetes does not register, or one that does not convert into it).
import { isJsonObject, schema, type JsonValue } from '@k8ts/api';
import { ApiError } from '../http/api-error.ts';
import { BodySyntaxError } from '../http/codec.ts';

export interface ExpectedType {
  group: string;
  version: string;
  kind: string;
}

/** apimachinery's summary of a body in errors: its first 30 bytes as text if it is JSON, else hex. */
export function summarizeBody(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  const head = body.subarray(0, 30);
  const more = body.length > 30 ? ' ...' : '';
  return (body[0] === 0x7b ? head.toString('utf8') : head.toString('hex')) + more;
}

/** A body whose apiVersion/kind could not be read: 400 naming the kind it had to be. */
export function unrecognizedBody(expectedKind: string, reason: string, body: Buffer): ApiError {
  return new ApiError(400, 'BadRequest', `the object provided is unrecognized (must be of type ${expectedKind}): ${reason} (${summarizeBody(body)})`);
}

/** A body of a known apiVersion/kind that could not become the expected kind. */
export function cannotHandle(bodyKind: string, bodyVersion: string, expectedKind: string, reason: string): ApiError {
  return new ApiError(400, 'BadRequest', `${bodyKind} in version ${JSON.stringify(bodyVersion)} cannot be handled as a ${expectedKind}: ${reason}`);
}

// How Go's json.Unmarshal names what it found, and the anonymous struct apiVersion/kind are read into.
const TYPE_META_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
const PARSE_ERROR = "couldn't get version/kind; json parse error";

function goJsonKind(value: JsonValue): string {
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

interface TypeMeta {
  group: string;
  version: string;
  kind: string;
}

/** apiVersion and kind as the decoder reads them, defaulted from the URL's kind where missing. */
function typeMetaOf(value: JsonValue, expected: ExpectedType): TypeMeta {
  if (value !== null && !isJsonObject(value)) throw new BodySyntaxError(`${PARSE_ERROR}: json: cannot unmarshal ${goJsonKind(value)} into Go value of type ${TYPE_META_STRUCT}`);
  const fields = { apiVersion: '', kind: '' };
  for (const name of ['apiVersion', 'kind'] as const) {
    const field = value?.[name];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') throw new BodySyntaxError(`${PARSE_ERROR}: json: cannot unmarshal ${goJsonKind(field)} into Go struct field .${name} of type string`);
    fields[name] = field;
  }
  let group = '';
  let version = '';
  const slashes = fields.apiVersion.split('/').length - 1;
  if (slashes > 1) throw new BodySyntaxError(`unexpected GroupVersion string: ${fields.apiVersion}`);
  if (fields.apiVersion !== '/' && slashes === 1) [group, version] = fields.apiVersion.split('/') as [string, string];
  else if (slashes === 0) version = fields.apiVersion;
  // gvkWithDefaults: fill what the body left out from the kind the URL serves.
  const kind = fields.kind || expected.kind;
  if (version === '' && group === '') [group, version] = [expected.group, expected.version];
  if (version === '' && group === expected.group) version = expected.version;
  return { group, version, kind };
}

/** The package Kubernetes keeps a group's internal types in (the target of every conversion). */
function internalPackage(group: string): string {
  if (group === '' || group === 'events.k8s.io') return 'core';
  return group.split('.')[0]!;
}

/**
 * Checks that a decoded body is (or defaults to) the expected kind; throws the decoder's error
 * otherwise. Returns the kind's group/version/kind as the body names it.
 */
export function checkBodyKind(value: JsonValue, expected: ExpectedType): TypeMeta {
  const meta = typeMetaOf(value, expected);
  if (meta.group === expected.group && meta.version === expected.version && meta.kind === expected.kind) return meta;
  const groupVersion = meta.group ? `${meta.group}/${meta.version}` : meta.version;
  if (!schema.kindSchema(meta)) {
    throw cannotHandle(meta.kind, meta.version, expected.kind, `no kind "${meta.kind}" is registered for version "${groupVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
  // The same internal type in another version (autoscaling/v2 for v1) converts, then is refused.
  if (meta.kind === expected.kind && internalPackage(meta.group) === internalPackage(expected.group)) {
    const expectedGroupVersion = expected.group ? `${expected.group}/${expected.version}` : expected.version;
    throw new ApiError(400, 'BadRequest', `the API version in the data (${groupVersion}) does not match the expected API version (${expectedGroupVersion})`);
  }
  throw cannotHandle(meta.kind, meta.version, expected.kind, `converting (${meta.version}.${meta.kind}) to (${internalPackage(expected.group)}.${expected.kind}): unknown conversion`);
}
