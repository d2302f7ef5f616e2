// Server-side printing: `kubectl get` asks for a meta.k8s.io/v1 Table and prints the cells the
// server computed (contract §3). The columns come from packages/api's printers.
import type { KubeObject } from '@k8ts/api';
import { printTable } from '@k8ts/api/printers/index.ts';
import type { ResourceStore } from '../registry/resource-store.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

export function includeObjectPolicy(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function rowObject(object: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function toTable(
  store: ResourceStore,
  objects: KubeObject[],
  options: { now: Date; include: IncludeObject; resourceVersion?: string; continue?: string; remainingItemCount?: number; withColumns?: boolean },
): KubeObject {
  const { columnDefinitions, rows } = printTable(store.info.group, store.info.resource, objects, options.now);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
      ...(options.remainingItemCount !== undefined ? { remainingItemCount: options.remainingItemCount } : {}),
    },
    columnDefinitions: options.withColumns === false ? [] : columnDefinitions,
    rows: rows.map((row, i) => {
      const object = rowObject(objects[i]!, options.include);
      return { cells: row.cells, ...(row.conditions ? { conditions: row.conditions } : {}), ...(object ? { object } : {}) };
    }),
  } as unknown as KubeObject;
}
