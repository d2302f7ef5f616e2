// PodDisruptionBudgets.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { since } from './duration.ts';
import type { ResourcePrinter } from './types.ts';

interface PodDisruptionBudget extends KubeObject {
  spec?: { minAvailable?: number | string | null; maxUnavailable?: number | string | null };
  status?: { disruptionsAllowed?: number };
}

const intOrString = (value: number | string | null | undefined): string =>
  value === undefined || value === null ? 'N/A' : String(value);

export const podDisruptionBudgetPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'Pods that must stay available, as a number or percentage.'),
    column('Max Unavailable', 'string', 'Pods that may be unavailable, as a number or percentage.'),
    column('Allowed Disruptions', 'integer', 'Pods that may be evicted right now.'),
    ageColumn,
  ],
  row: (object, now) => {
    const budget = object as PodDisruptionBudget;
    return {
      cells: [
        object.metadata.name ?? '',
        intOrString(budget.spec?.minAvailable),
        intOrString(budget.spec?.maxUnavailable),
        budget.status?.disruptionsAllowed ?? 0,
        since(object.metadata.creationTimestamp, now),
      ],
    };
  },
};
