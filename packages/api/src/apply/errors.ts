// The errors a write can fail with while its field ownership is worked out, as the apiserver
// reports them: 409 Conflict listing each contested field, 400 for a malformed apply request, 500
// (no reason) for a configuration the schema cannot type.
import type { Status } from '../object.ts';
import { parseManagerIdentifier } from './managed-fields.ts';
import { pathString, type Path } from './path.ts';
import { goQuote } from './go-format.ts';

export interface ApplyConflict {
  /** the manager that owns the field, e.g. "kubectl-client-side-apply" */
  manager: string;
  /** e.g. ".spec.replicas" or `.spec.template.spec.containers[name="nginx"].image` */
  field: string;
  /** e.g. 'conflict with "kubectl-client-side-apply" using apps/v1' */
  message: string;
}

/** A field owned by another manager that the applied configuration would change. */
export interface OwnedFieldConflict {
  readonly identifier: string;
  readonly path: Path;
}

export class ApplyConflictError extends Error {
  readonly code = 409;

  constructor(readonly conflicts: ApplyConflict[]) {
    super(conflictMessage(conflicts));
    this.name = 'ApplyConflictError';
  }

  static fromOwnedFields(owned: readonly OwnedFieldConflict[]): ApplyConflictError {
    const conflicts = owned.map(({ identifier, path }) => ({
      manager: parseManagerIdentifier(identifier).manager ?? '',
      field: pathString(path),
      message: `conflict with ${describeManager(identifier)}`,
    }));
    return new ApplyConflictError(conflicts);
  }

  /** The 409 Status the apiserver answers with. */
  status(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: 'Conflict',
      details: { causes: this.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field })) },
      code: 409,
    };
  }
}

/** `"kubectl"`, `"kube-controller-manager" using apps/v1`, `"kubelet" with subresource "status" using v1`. */
function describeManager(identifier: string): string {
  const info = parseManagerIdentifier(identifier);
  let text = goQuote(info.manager ?? '');
  if (info.subresource) text = `${text} with subresource ${goQuote(info.subresource)}`;
  return info.operation === 'Update' ? `${text} using ${info.apiVersion ?? ''}` : text;
}

// One conflict is reported inline; several are grouped under each manager.
function conflictMessage(conflicts: readonly ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: ${conflicts[0].message}: ${conflicts[0].field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.message, [...(byManager.get(c.message) ?? []), c.field]);
  const lines: string[] = [];
  for (const [message, fields] of byManager) {
    lines.push(`${message.replace(/^conflict with/, 'conflicts with')}:`, ...fields.map((f) => `- ${f}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** A request the field manager rejects: 400 BadRequest, or 500 with no reason. */
export class FieldManagerError extends Error {
  constructor(
    readonly code: 400 | 500,
    message: string,
  ) {
    super(message);
    this.name = 'FieldManagerError';
  }

  status(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      ...(this.code === 400 ? { reason: 'BadRequest' } : {}),
      code: this.code,
    };
  }
}
