// The meta/v1 request options (ListOptions, CreateOptions, …) and how they travel: as query
// parameters, omitted when zero, exactly as client-go's parameter codec writes them — except
// DeleteOptions, which is the JSON body of a DELETE.

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** "" = most recent (quorum read), "0" = any cached state, "N" = at least as new as N */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  limit?: number;
  continue?: string;
  /** server-side timeout for list and watch; the client also gives up after it */
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export interface GetOptions {
  resourceVersion?: string;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface CreateOptions {
  dryRun?: 'All'[];
  fieldManager?: string;
  fieldValidation?: FieldValidation;
}

export type UpdateOptions = CreateOptions;

export interface PatchOptions extends CreateOptions {
  /** server-side apply: take ownership of conflicting fields */
  force?: boolean;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  orphanDependents?: boolean;
  dryRun?: 'All'[];
}

/** PATCH bodies by algorithm; the value is the Content-Type that selects it on the server. */
export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export type PatchType = keyof typeof PATCH_CONTENT_TYPES;

export type QueryParams = [key: string, value: string][];

export function listQuery(options: ListOptions, watch = false): QueryParams {
  const query: QueryParams = [];
  const add = (key: string, value: string | number | boolean | undefined): void => {
    if (value !== undefined && value !== '' && value !== 0 && value !== false) query.push([key, String(value)]);
  };
  add('labelSelector', options.labelSelector);
  add('fieldSelector', options.fieldSelector);
  add('watch', watch);
  add('allowWatchBookmarks', options.allowWatchBookmarks);
  add('resourceVersion', options.resourceVersion);
  add('resourceVersionMatch', options.resourceVersionMatch);
  add('timeoutSeconds', options.timeoutSeconds);
  add('limit', options.limit);
  add('continue', options.continue);
  // a pointer in Go: false is sent when set
  if (options.sendInitialEvents !== undefined) query.push(['sendInitialEvents', String(options.sendInitialEvents)]);
  return query;
}

export function getQuery(options: GetOptions): QueryParams {
  return options.resourceVersion ? [['resourceVersion', options.resourceVersion]] : [];
}

export function writeQuery(options: PatchOptions): QueryParams {
  const query: QueryParams = (options.dryRun ?? []).map((value) => ['dryRun', value]);
  if (options.force !== undefined) query.push(['force', String(options.force)]);
  if (options.fieldManager) query.push(['fieldManager', options.fieldManager]);
  if (options.fieldValidation) query.push(['fieldValidation', options.fieldValidation]);
  return query;
}

/** Go's url.QueryEscape: unreserved characters stay, space becomes "+", the rest %XX. */
function queryEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** url.Values.Encode: keys sorted, repeated keys keep their order. */
export function encodeQuery(query: QueryParams): string {
  return [...query]
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry[0] < b.entry[0] ? -1 : a.entry[0] > b.entry[0] ? 1 : a.index - b.index))
    .map(({ entry: [key, value] }) => `${queryEscape(key)}=${queryEscape(value)}`)
    .join('&');
}
