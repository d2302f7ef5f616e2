// The lock leader election contends for: a coordination.k8s.io/v1 Lease. Its spec is the
// election record — who holds it (holderIdentity), for how long (leaseDurationSeconds), since
// when (acquireTime) and when it was last renewed (renewTime), both MicroTime, and how often it
// changed hands (leaseTransitions). Updates are PUTs carrying the resourceVersion last read, so
// two candidates can never both win the same round: the slower one gets 409 Conflict.
import type { KubeObject } from '@k8ts/api';
import { formatRfc3339, parseRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';

/** client-go's resourcelock.LeaderElectionRecord; times in ms since the epoch. */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: number;
  renewTime?: number;
  leaderTransitions: number;
}

/** What a LeaderElector needs from its lock (resourcelock.Interface). */
export interface ResourceLock {
  /** the current record and its serialized form (to notice any change); throws NotFound if absent */
  get(signal?: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string }>;
  create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
  update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void>;
  /** reports "<identity> became leader" / "stopped leading" as an Event on the lock */
  recordEvent(message: string): void;
  identity(): string;
  /** "namespace/name", for log lines */
  describe(): string;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** The calls a LeaseLock makes: a ResourceClient for leases in the lock's namespace fits. */
export interface LeaseClient {
  get(name: string, options?: { signal?: AbortSignal }): Promise<Lease>;
  create(lease: Lease, options?: { signal?: AbortSignal }): Promise<Lease>;
  update(lease: Lease, options?: { signal?: AbortSignal }): Promise<Lease>;
}

/** Anything that can record an Event about an object (EventRecorder). */
export interface EventReporter {
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** metav1.MicroTime in JSON: "2006-01-02T15:04:05.000000Z". */
export function formatMicroTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return formatRfc3339(seconds, Math.floor((ms - seconds * 1000) * 1000));
}

function parseTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const parsed = parseRfc3339(text);
  return parsed ? parsed.seconds * 1000 + Math.floor(parsed.nanos / 1e6) : undefined;
}

export function leaseSpecToRecord(spec: LeaseSpec | undefined): LeaderElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: parseTime(spec?.acquireTime),
    renewTime: parseTime(spec?.renewTime),
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
}

export function recordToLeaseSpec(record: LeaderElectionRecord): LeaseSpec {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    ...(record.acquireTime !== undefined ? { acquireTime: formatMicroTime(record.acquireTime) } : {}),
    ...(record.renewTime !== undefined ? { renewTime: formatMicroTime(record.renewTime) } : {}),
    leaseTransitions: record.leaderTransitions,
  };
}

export class LeaseLock implements ResourceLock {
  /** the Lease as last read or written: updates go against its resourceVersion */
  private lease: Lease | undefined;

  constructor(
    private readonly leases: LeaseClient,
    readonly namespace: string,
    readonly name: string,
    private readonly holder: string,
    private readonly recorder?: EventReporter,
  ) {}

  async get(signal?: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string }> {
    this.lease = await this.leases.get(this.name, { signal });
    const record = leaseSpecToRecord(this.lease.spec);
    return { record, raw: JSON.stringify(record) };
  }

  async create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    this.lease = await this.leases.create(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec: recordToLeaseSpec(record) },
      { signal },
    );
  }

  async update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    this.lease = await this.leases.update({ ...this.lease, spec: recordToLeaseSpec(record) }, { signal });
  }

  recordEvent(message: string): void {
    if (!this.recorder || !this.lease) return;
    const subject: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: this.lease.metadata };
    this.recorder.event(subject, 'Normal', 'LeaderElection', `${this.holder} ${message}`);
  }

  identity(): string {
    return this.holder;
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }
}
