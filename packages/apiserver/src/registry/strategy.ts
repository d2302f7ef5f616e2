// What differs between kinds when they are written — the Kubernetes "REST strategy". The
// generic resource store does everything common (metadata, preconditions, validation calls,
// storage); a strategy supplies only the rules of its kind.
import type { KubeObject, ResourceInfo } from '@k8ts/api';
import type { FieldError } from '@k8ts/api/validation/index.ts';

export interface UserInfo {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

export interface OperationContext {
  readonly now: Date;
  readonly user: UserInfo;
  readonly dryRun: boolean;
  readonly fieldManager: string;
  /** texts for `Warning: 299 - "…"` response headers */
  readonly warnings: string[];
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export interface ResourceStrategy {
  /** metadata.generation starts at 1 and follows spec changes */
  readonly tracksGeneration?: boolean;
  /** PUT of a missing object creates it */
  readonly allowCreateOnUpdate?: boolean;
  /** objects expire from the store after this long (Events) */
  readonly ttlSeconds?: number;
  /** DELETE answers with the deleted object rather than a Status */
  readonly returnsDeletedObject?: boolean;
  /** resets and fills fields a client may not choose on create (status, phases) */
  prepareForCreate?(object: KubeObject, ctx: OperationContext): void;
  /**
   * What a status write may change besides .status: nothing (most kinds, Kubernetes'
   * ResetObjectMetaForStatus), or its metadata — all of it ('metadata', the ReplicaSet,
   * StatefulSet and DaemonSet status strategies reset only spec) or all but labels
   * ('metadata-but-labels', the Deployment's), which is how their controllers record revisions.
   */
  readonly statusUpdateKeeps?: 'metadata' | 'metadata-but-labels';
  /** carries over what an update of the main resource may not change */
  prepareForUpdate?(object: KubeObject, old: KubeObject, ctx: OperationContext): void;
  /** kind-specific checks beyond packages/api validation (e.g. against cluster state) */
  validate?(object: KubeObject, ctx: OperationContext): Promise<FieldError[]> | FieldError[];
  validateUpdate?(object: KubeObject, old: KubeObject, ctx: OperationContext): Promise<FieldError[]> | FieldError[];
  /** claims cluster resources (Service IPs and node ports) just before the object is stored */
  allocate?(object: KubeObject, old: KubeObject | undefined, ctx: OperationContext): Promise<void>;
  /**
   * Releases what `from` holds and `keep` does not: (new, old) undoes a failed write,
   * (old, new) frees what an update dropped, (deleted, undefined) frees everything.
   */
  release?(from: KubeObject, keep: KubeObject | undefined): Promise<void>;
  /** graceful deletion: seconds to wait, or undefined to delete at once */
  gracePeriodSeconds?(object: KubeObject, options: DeleteOptions): number | undefined;
  /** DELETE only marks the object while this holds (a Namespace with spec.finalizers left) */
  keepOnDelete?(object: KubeObject): boolean;
  /** changes made to an object that DELETE marks rather than removes (Namespaces turn Terminating) */
  prepareForDelete?(object: KubeObject, ctx: OperationContext): void;
}

export interface StrategyFactory {
  (resource: ResourceInfo): ResourceStrategy;
}
