// Column definitions shared by many printers. Descriptions are our own short words; names,
// types and priorities are what Kubernetes 1.32 sends, since kubectl shows them verbatim.
import type { TableColumn } from './types.ts';

type ColumnType = TableColumn['type'];

/** A column kubectl always shows. */
export function column(name: string, type: ColumnType, description: string): TableColumn {
  return { name, type, format: '', description, priority: 0 };
}

/** A column kubectl shows only with `-o wide`. */
export function wideColumn(name: string, type: ColumnType, description: string): TableColumn {
  return { name, type, format: '', description, priority: 1 };
}

export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name of the object, unique within its namespace.',
  priority: 0,
};

export const ageColumn = column('Age', 'string', 'Time since the object was created.');

export const containersColumn = wideColumn('Containers', 'string', 'Names of the containers in the pod template.');
export const imagesColumn = wideColumn('Images', 'string', 'Images of the containers in the pod template.');
export const selectorColumn = wideColumn('Selector', 'string', 'Label selector for the pods this object manages.');
