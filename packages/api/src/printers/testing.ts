// Helpers for the printer tests: a fixed clock, timestamps relative to it, and a row read as
// { column name: cell } so assertions say which column they mean.
import type { JsonValue, KubeObject } from '../object.ts';
import { printTable } from './index.ts';

export const NOW = new Date('2024-05-01T12:00:00Z');

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The RFC 3339 time `ms` milliseconds before NOW, to the second as the API writes it. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The one row `object` prints as, keyed by column name. */
export function printRow(group: string, resource: string, object: object): Record<string, JsonValue> {
  const table = printTable(group, resource, [object as KubeObject], NOW);
  const cells = table.rows[0].cells;
  return Object.fromEntries(table.columnDefinitions.map((column, i) => [column.name, cells[i]]));
}

/** Column names with their priority and type, in order: "Name", "IP (wide)", "Restarts:integer"... */
export function describeColumns(group: string, resource: string): string[] {
  return printTable(group, resource, [], NOW).columnDefinitions.map(
    (c) => `${c.name}${c.type === 'string' ? '' : `:${c.type}`}${c.priority > 0 ? ' (wide)' : ''}${c.format ? ` [${c.format}]` : ''}`,
  );
}
