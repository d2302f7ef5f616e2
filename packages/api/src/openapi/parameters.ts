// Operation parameters. Query parameters come from the options kinds the apiserver decodes the
// query string into (ListOptions, CreateOptions, PodLogOptions, PodExecOptions, …), so they are
// generated from those messages' scalar fields, exactly as the real server does; the path
// parameters and `pretty` are fixed.
import type { JsonObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import { byteOrder } from '../discovery/groups.ts';
import { descriptions } from './descriptions.ts';

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

export type OptionsKind = 'ListOptions' | 'DeleteOptions' | 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

function queryType(field: FieldSchema): string {
  switch (field.type) {
    case 'bool':
      return 'boolean';
    case 'int32':
    case 'int64':
      return 'integer';
    default:
      return 'string';
  }
}

/** Query parameters for the scalar fields of an options message (message-typed fields cannot travel in a query). */
export function queryParametersOf(options: MessageSchema, exclude: readonly string[] = []): JsonObject[] {
  const out: JsonObject[] = [];
  for (const field of options.fields) {
    if (field.kind !== 'scalar' || field.json === null || exclude.includes(field.json)) continue;
    out.push({
      name: field.json,
      in: 'query',
      description: descriptions.field(options, field, options),
      schema: { type: queryType(field), uniqueItems: true },
    });
  }
  return out;
}

export function metaOptions(kind: OptionsKind): MessageSchema {
  return schema.message(`${META}.${kind}`);
}

export function pathParameter(name: 'name' | 'namespace' | 'path', kind: string): JsonObject {
  const text: Record<typeof name, string> = {
    name: `Name of the ${kind}.`,
    namespace: 'Namespace of the object; it scopes both the name and authorization.',
    path: 'Path to forward to, appended to the proxied URL.',
  };
  return { name, in: 'path', description: text[name], required: true, schema: { type: 'string', uniqueItems: true } };
}

export const PRETTY: JsonObject = {
  name: 'pretty',
  in: 'query',
  description: "If 'true', the response JSON is indented for reading.",
  schema: { type: 'string', uniqueItems: true },
};

/** Parameters in the order the real documents list them: sorted by name, a path parameter before a query one of the same name. */
export function sortParameters(params: JsonObject[]): JsonObject[] {
  return [...params].sort(
    (a, b) => byteOrder(a.name as string, b.name as string) || byteOrder(a.in as string, b.in as string),
  );
}
