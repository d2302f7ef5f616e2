// The shape of the Kubernetes 1.32 API as data. Everything that needs to know how an object is
// built — JSON decoding, protobuf, strategic merge patch, server-side apply, validation of
// unknown fields, OpenAPI — reads it from here, so there is exactly one source of truth
// (packages/api/data/k8s-api, copied from the shared type facts).

/** How a message is written in JSON, for the handful of types with custom JSON marshalling. */
export type JsonShape =
  | 'object' // an ordinary struct: a JSON object of its fields
  | 'time' // meta.v1.Time: RFC 3339, second precision, null when zero
  | 'micro-time' // meta.v1.MicroTime: RFC 3339 with six fraction digits
  | 'duration' // meta.v1.Duration: Go duration string ("1h0m0s")
  | 'quantity' // resource.Quantity: a string ("100m", "1Gi"); numbers accepted on input
  | 'int-or-string' // intstr.IntOrString: a JSON number or string
  | 'raw' // runtime.RawExtension, apiextensions JSON: any embedded JSON value
  | 'fields-v1' // meta.v1.FieldsV1: a raw JSON object
  | 'string-list' // goKind slice of strings (meta.v1.Verbs, ExtraValue): a bare JSON array
  | 'json-schema-or-array' // apiextensions JSONSchemaPropsOrArray
  | 'json-schema-or-bool' // apiextensions JSONSchemaPropsOrBool
  | 'json-schema-or-string-array'; // apiextensions JSONSchemaPropsOrStringArray

export type FieldKind = 'scalar' | 'message' | 'map';

export interface FieldSchema {
  /** protobuf field name */
  readonly name: string;
  /** JSON property name; null when the field is inlined into its parent (`json:",inline"`) */
  readonly json: string | null;
  readonly number: number;
  readonly repeated: boolean;
  readonly kind: FieldKind;
  /** scalar type (string, int32, int64, bool, bytes, double, …) or the full name of a message */
  readonly type: string;
  readonly mapKey?: string;
  readonly mapValue?: string;
  readonly mapValueKind?: 'scalar' | 'message';
  readonly omitempty: boolean;
  /** Go pointer field: absent unless set (non-pointer structs always appear in Go's JSON) */
  readonly pointer: boolean;
  /** string constants of an +enum type */
  readonly enumValues?: readonly string[];
  /** strategic-merge-patch strategy, e.g. ['merge'] or ['merge', 'retainKeys'] */
  readonly patchStrategy: readonly string[];
  readonly patchMergeKey?: string;
  /** structured-merge list semantics (+listType) and keys (+listMapKey) */
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  /** +mapType / +structType on the field */
  readonly mapType?: 'atomic' | 'granular';
  readonly structType?: 'atomic' | 'granular';
  readonly optional: boolean;
  readonly required: boolean;
  /** +default marker as written (a JSON literal or ref(ConstName)) */
  readonly defaultLiteral?: string;
  readonly featureGates?: readonly string[];
}

export interface MessageSchema {
  /** e.g. "k8s.io.api.apps.v1.Deployment" */
  readonly fullName: string;
  /** e.g. "Deployment" */
  readonly name: string;
  /** protobuf package, e.g. "k8s.io.api.apps.v1" */
  readonly package: string;
  readonly group: string | null;
  readonly version: string | null;
  /** the JSON object also carries apiVersion and kind */
  readonly typeMeta: boolean;
  readonly jsonShape: JsonShape;
  /** message-level +structType (e.g. atomic LabelSelector-like structs) */
  readonly structType?: 'atomic' | 'granular';
  /** fields in declaration order */
  readonly fields: readonly FieldSchema[];
  /** JSON property → field, with inline fields' properties flattened in */
  readonly properties: ReadonlyMap<string, FieldSchema>;
  readonly byNumber: ReadonlyMap<number, FieldSchema>;
}

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface SubresourceInfo {
  readonly name: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly verbs: readonly string[];
}

/** A REST resource as discovery describes it. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** plural, e.g. "deployments" */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: readonly SubresourceInfo[];
  readonly listKind: string;
  readonly hasStatusField: boolean;
}

export interface GroupVersions {
  readonly group: string;
  readonly versions: readonly string[];
  readonly preferredVersion: string;
}

export function groupVersionString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
