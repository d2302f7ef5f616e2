// Fields a REST endpoint throws away before storing (the strategies' GetResetFields): writes
// through that endpoint can never own them. The main resource of a kind with a status subresource
// resets status; the status subresource resets spec, and for a few kinds some metadata too.
import { schema } from '../schema/registry.ts';
import { parseApiVersion } from '../schema/types.ts';

const STATUS_SUBRESOURCE_EXTRA: Record<string, string[][]> = {
  '/Pod': [['metadata', 'deletionTimestamp'], ['metadata', 'ownerReferences']],
  'apps/Deployment': [['metadata', 'labels']],
};

/** The reset fields of `kind` at `apiVersion`, written through `subresource` (undefined: the main resource). */
export function defaultResetFields(apiVersion: string, kind: string, subresource: string | undefined): string[][] {
  const { group, version } = parseApiVersion(apiVersion);
  const resource = schema.resourceForKind({ group, version, kind });
  if (!resource?.subresources.some((s) => s.name === 'status')) return [];
  if (subresource === undefined) return [['status']];
  if (subresource === 'status') return [['spec'], ...(STATUS_SUBRESOURCE_EXTRA[`${group}/${kind}`] ?? [])];
  return [];
}
