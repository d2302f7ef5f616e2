// The shapes a printer produces. The apiserver wraps them into a meta.k8s.io/v1 Table (adding
// list metadata and each row's `object`), so a printer only decides columns and cells.
import type { JsonValue, KubeObject } from '../object.ts';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** "name" marks the column kubectl treats as the object's name (`kubectl get pods,svc` prefixes it) */
  format: string;
  description: string;
  /** 0: always shown; 1: shown by kubectl only with `-o wide` (the server always sends it) */
  priority: number;
}

/** meta.k8s.io/v1 TableRowCondition: facts about a whole row, e.g. "Completed" on pods that have finished. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TableRowCells {
  cells: JsonValue[];
  conditions?: TableRowCondition[];
}

/** How one resource prints: its columns, and one row per object (`now` drives every age). */
export interface ResourcePrinter {
  readonly columns: readonly TableColumn[];
  row(object: KubeObject, now: Date): TableRowCells;
}
