// The discovery endpoints kube-apiserver lists in /openapi/v2 besides the resources: /api/,
// /apis/ and /apis/<group>/. (OpenAPI v3 publishes these in separate documents that kubectl
// never reads, so ../paths.ts does not build them.)
import type { JsonObject } from '../../object.ts';
import { servedGroups } from '../../discovery/groups.ts';
import { capitalize, groupIdentifier, schemaName } from '../names.ts';
import { V2_REF_PREFIX } from './swagger-schema.ts';

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** protobuf full names of the messages these operations answer with. */
export const DISCOVERY_MESSAGES = [`${META}.APIVersions`, `${META}.APIGroupList`, `${META}.APIGroup`];

function discoveryGet(description: string, operationId: string, tag: string, message: string): JsonObject {
  return {
    get: {
      consumes: MEDIA_TYPES,
      description,
      operationId,
      produces: MEDIA_TYPES,
      responses: {
        '200': { description: 'OK', schema: { $ref: V2_REF_PREFIX + schemaName(message) } },
        '401': { description: 'Unauthorized' },
      },
      schemes: ['https'],
      tags: [tag],
    },
  };
}

/** Path → path item for the discovery documents of every served group. */
export function discoveryPaths(): Record<string, JsonObject> {
  const paths: Record<string, JsonObject> = {
    '/api/': discoveryGet('List the versions of the core API.', 'getCoreAPIVersions', 'core', `${META}.APIVersions`),
    '/apis/': discoveryGet('List the API groups and their versions.', 'getAPIVersions', 'apis', `${META}.APIGroupList`),
  };
  for (const { group } of servedGroups()) {
    if (group === '') continue;
    const id = groupIdentifier(group);
    paths[`/apis/${group}/`] = discoveryGet(`Describe the ${group} API group.`, `get${capitalize(id)}APIGroup`, id, `${META}.APIGroup`);
  }
  return paths;
}
