// The table every resource without its own printer gets (apiserver's default table convertor):
// the name and the creation time, as an RFC 3339 date rather than an age.
import { parseTimestamp } from './duration.ts';
import type { ResourcePrinter } from './types.ts';

export const defaultPrinter: ResourcePrinter = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the object, unique within its namespace.', priority: 0 },
    { name: 'Created At', type: 'date', format: '', description: 'When the object was created.', priority: 0 },
  ],
  row: (object) => ({ cells: [object.metadata.name ?? '', rfc3339(parseTimestamp(object.metadata.creationTimestamp))] }),
};

/** Go's time.RFC3339 in UTC, to the second; a missing time is Go's zero time. */
function rfc3339(ms: number | undefined): string {
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
