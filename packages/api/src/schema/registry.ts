// Loads the Kubernetes 1.32 type facts (data/k8s-api) once and indexes them: messages by full
// name, registered kinds by group/version/kind, REST resources by group/version/plural.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type {
  FieldSchema,
  GroupVersionKind,
  GroupVersions,
  JsonShape,
  MessageSchema,
  ResourceInfo,
  SubresourceInfo,
} from './types.ts';

const DATA_DIR = fileURLToPath(new URL('../../data/k8s-api/', import.meta.url));

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/** Types whose Go JSON marshalling is custom: their JSON is not an object of their fields. */
const CUSTOM_JSON: Record<string, JsonShape> = {
  [`${META}.Time`]: 'time',
  [`${META}.MicroTime`]: 'micro-time',
  [`${META}.Duration`]: 'duration',
  [`${META}.FieldsV1`]: 'fields-v1',
  [`${META}.Verbs`]: 'string-list',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': 'quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'int-or-string',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'raw',
  [`${APIEXT}.JSON`]: 'raw',
  [`${APIEXT}.JSONSchemaPropsOrArray`]: 'json-schema-or-array',
  [`${APIEXT}.JSONSchemaPropsOrBool`]: 'json-schema-or-bool',
  [`${APIEXT}.JSONSchemaPropsOrStringArray`]: 'json-schema-or-string-array',
};

interface RawField {
  name: string;
  json: string | null;
  inline?: boolean;
  number: number;
  label: string;
  type: string;
  kind: 'scalar' | 'message' | 'map';
  mapKey?: string;
  mapValue?: string;
  mapValueKind?: 'scalar' | 'message';
  omitempty?: boolean;
  goType?: string;
  enum?: string;
  markers?: Record<string, unknown>;
}
interface RawMessage {
  markers?: Record<string, unknown>;
  goKind: string;
  goUnderlying?: string;
  typeMeta?: boolean;
  fields: RawField[];
}
interface RawPackage {
  package: string;
  group: string | null;
  version: string | null;
  registeredKinds?: string[];
  metaAddToGroupVersion?: boolean;
  kindsAddedToEveryGroupVersion?: string[];
  unversionedKinds?: string[];
  messages: Record<string, RawMessage>;
  enums?: Record<string, string[]>;
}

interface RawResources {
  groupVersions: GroupVersions[];
  resources: (Omit<ResourceInfo, 'subresources'> & {
    subresources: (Omit<SubresourceInfo, 'group' | 'version'> & { group?: string; version?: string })[];
  })[];
}

export class SchemaRegistry {
  private readonly messages = new Map<string, MessageSchema>();
  private readonly kinds = new Map<string, MessageSchema>();
  private readonly resourcesByPath = new Map<string, ResourceInfo>();
  private readonly resourcesByKind = new Map<string, ResourceInfo>();
  readonly resources: readonly ResourceInfo[];
  readonly groupVersions: readonly GroupVersions[];

  constructor(packages: RawPackage[], resourcesDoc: RawResources) {
    const enums = new Map<string, readonly string[]>();
    for (const pkg of packages) {
      for (const [name, values] of Object.entries(pkg.enums ?? {})) enums.set(`${pkg.package}.${name}`, values);
    }
    const raw = new Map<string, { pkg: RawPackage; name: string; message: RawMessage }>();
    for (const pkg of packages) {
      for (const [name, message] of Object.entries(pkg.messages)) raw.set(`${pkg.package}.${name}`, { pkg, name, message });
    }
    // Fields first, then properties: flattening an inline field needs the inlined message's fields.
    const fieldsOf = new Map<string, FieldSchema[]>();
    for (const [fullName, { message }] of raw) {
      fieldsOf.set(fullName, message.fields.map((f) => toFieldSchema(f, enums)));
    }
    const propertiesOf = (fullName: string): Map<string, FieldSchema> => {
      const properties = new Map<string, FieldSchema>();
      for (const field of fieldsOf.get(fullName) ?? []) {
        if (field.json === null) {
          for (const [json, inner] of propertiesOf(field.type)) properties.set(json, inner);
        } else if (field.json !== '-') {
          properties.set(field.json, field);
        }
      }
      return properties;
    };
    for (const [fullName, { pkg, name, message }] of raw) {
      const fields = fieldsOf.get(fullName)!;
      const structType = message.markers?.structType as MessageSchema['structType'];
      this.messages.set(fullName, {
        fullName,
        name,
        package: pkg.package,
        group: pkg.group,
        version: pkg.version,
        typeMeta: message.typeMeta === true,
        jsonShape: CUSTOM_JSON[fullName] ?? (message.goKind === 'slice' ? 'string-list' : 'object'),
        ...(structType ? { structType } : {}),
        fields,
        properties: propertiesOf(fullName),
        byNumber: new Map(fields.map((f) => [f.number, f])),
      });
    }
    this.registerKinds(packages);
    // Subresources name their group/version only where it differs from the parent's (scale, eviction).
    this.resources = resourcesDoc.resources.map((r) => ({
      ...r,
      subresources: r.subresources.map((s) => ({ ...s, group: s.group ?? r.group, version: s.version ?? r.version })),
    }));
    this.groupVersions = resourcesDoc.groupVersions;
    for (const r of this.resources) {
      this.resourcesByPath.set(`${r.group}/${r.version}/${r.resource}`, r);
      this.resourcesByKind.set(gvkKey(r), r);
    }
  }

  private registerKinds(packages: RawPackage[]): void {
    const meta = packages.find((p) => p.package === META)!;
    for (const pkg of packages) {
      if (pkg.group === null || pkg.version === null) continue;
      const register = (kind: string, fullName: string) => {
        const message = this.messages.get(fullName);
        if (message) this.kinds.set(gvkKey({ group: pkg.group!, version: pkg.version!, kind }), message);
      };
      for (const kind of pkg.registeredKinds ?? []) {
        if (kind.startsWith('metav1.')) register(kind.slice(7), `${META}.${kind.slice(7)}`);
        else register(kind, `${pkg.package}.${kind}`);
      }
      if (pkg.metaAddToGroupVersion) {
        for (const kind of meta.kindsAddedToEveryGroupVersion ?? []) register(kind, `${META}.${kind}`);
      }
    }
    // meta.k8s.io/v1 kinds (Table, PartialObjectMetadata) and the unversioned ones (Status under "v1").
    for (const kind of meta.registeredKinds ?? []) {
      this.kinds.set(gvkKey({ group: 'meta.k8s.io', version: 'v1', kind }), this.messages.get(`${META}.${kind}`)!);
    }
    for (const kind of meta.unversionedKinds ?? []) {
      this.kinds.set(gvkKey({ group: '', version: 'v1', kind }), this.messages.get(`${META}.${kind}`)!);
    }
  }

  /** The message with this full name; throws for a name the data does not define. */
  message(fullName: string): MessageSchema {
    const message = this.messages.get(fullName);
    if (!message) throw new Error(`schema: no message ${fullName}`);
    return message;
  }

  findMessage(fullName: string): MessageSchema | undefined {
    return this.messages.get(fullName);
  }

  /** The message a message-typed field (or a map of messages) holds; undefined for scalars. */
  fieldMessage(field: FieldSchema): MessageSchema | undefined {
    if (field.kind === 'message') return this.messages.get(field.type);
    if (field.kind === 'map' && field.mapValueKind === 'message') return this.messages.get(field.mapValue!);
    return undefined;
  }

  /** The message registered for a kind in a group version (e.g. apps/v1 Deployment). */
  kindSchema(gvk: GroupVersionKind): MessageSchema | undefined {
    return this.kinds.get(gvkKey(gvk));
  }

  resourceFor(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.resourcesByPath.get(`${group}/${version}/${plural}`);
  }

  resourceForKind(gvk: GroupVersionKind): ResourceInfo | undefined {
    return this.resourcesByKind.get(gvkKey(gvk));
  }

  /** All messages, for generators (OpenAPI) that walk the whole schema. */
  allMessages(): IterableIterator<MessageSchema> {
    return this.messages.values();
  }
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

function toFieldSchema(f: RawField, enums: Map<string, readonly string[]>): FieldSchema {
  const m = f.markers ?? {};
  const enumValues = f.enum ? enums.get(f.enum) : undefined;
  const listMapKeys = m.listMapKeys as string[] | undefined;
  const featureGates = m.featureGates as string[] | undefined;
  return {
    name: f.name,
    json: f.inline ? null : f.json,
    number: f.number,
    repeated: f.label === 'repeated' && f.kind !== 'map',
    kind: f.kind,
    type: f.type,
    ...(f.mapKey ? { mapKey: f.mapKey, mapValue: f.mapValue, mapValueKind: f.mapValueKind } : {}),
    omitempty: f.omitempty === true,
    pointer: (f.goType ?? '').startsWith('*'),
    ...(enumValues ? { enumValues } : {}),
    patchStrategy: typeof m.patchStrategy === 'string' ? m.patchStrategy.split(',') : [],
    ...(typeof m.patchMergeKey === 'string' ? { patchMergeKey: m.patchMergeKey } : {}),
    ...(typeof m.listType === 'string' ? { listType: m.listType as FieldSchema['listType'] } : {}),
    ...(listMapKeys ? { listMapKeys } : {}),
    ...(typeof m.mapType === 'string' ? { mapType: m.mapType as FieldSchema['mapType'] } : {}),
    ...(typeof m.structType === 'string' ? { structType: m.structType as FieldSchema['structType'] } : {}),
    optional: m.optional === true,
    required: m.required === true,
    ...(typeof m.default === 'string' ? { defaultLiteral: m.default } : {}),
    ...(featureGates ? { featureGates } : {}),
  };
}

function loadFromDisk(): SchemaRegistry {
  const packages: RawPackage[] = [];
  for (const file of readdirSync(DATA_DIR).sort()) {
    if (!file.endsWith('.json') || file === 'resources.json' || file === 'manifest.json') continue;
    packages.push(JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')) as RawPackage);
  }
  const resourcesDoc = JSON.parse(readFileSync(join(DATA_DIR, 'resources.json'), 'utf8'));
  return new SchemaRegistry(packages, resourcesDoc);
}

/** The process-wide registry (the data is immutable, so one instance serves everyone). */
export const schema: SchemaRegistry = loadFromDisk();
