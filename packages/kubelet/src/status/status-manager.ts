// The kubelet's status manager: pod workers hand it the status they computed, and it writes to
// pods/<name>/status only what differs from what the API already holds — one PATCH per change,
// never a write for an unchanged status. Writes go through a work queue keyed by pod UID, so a
// pod whose status changes five times while a write is queued is written once, with the latest;
// failed writes are retried with back-off. Once a deleted pod's final status is written the
// manager completes the deletion (DELETE with grace period 0 and the pod's UID as precondition),
// as the kubelet does. Many hollow nodes share one manager and so one bounded set of writers.
import { errorMessage, isConflict, isNotFound, RateLimitingQueue, type Clock, type Logger, type ResourceClient, type RestClient } from '@k8ts/client';
import type { Pod, PodStatus } from '../pod/pod-types.ts';
import { jsonEqual, podStatusPatchBody } from './pod-status-patch.ts';

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  /** the status the API holds, as far as we know, and the resourceVersion it was seen at */
  known: PodStatus;
  knownVersion: bigint;
  desired?: PodStatus;
  deleteWhenWritten: boolean;
  /** the last write: what we sent for, and what the API answered */
  lastWrite?: { desired: PodStatus; result: PodStatus };
}

export interface PodStatusManagerOptions {
  client: RestClient;
  clock: Clock;
  logger: Logger;
  /** concurrent writers (the client's QPS limit still applies) */
  workers?: number;
}

function version(pod: Pod): bigint {
  try {
    return BigInt(pod.metadata.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
}

export class PodStatusManager {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: RateLimitingQueue<string>;
  private readonly pods: ResourceClient<Pod>;
  private readonly workers: number;
  private inFlight = 0;

  constructor(private readonly options: PodStatusManagerOptions) {
    this.queue = new RateLimitingQueue<string>({ clock: options.clock });
    this.pods = options.client.forKind<Pod>({ group: '', version: 'v1', kind: 'Pod' });
    this.workers = options.workers ?? 4;
  }

  /** Records the status a pod should have; `deleteWhenWritten` for a deleted pod's final status. */
  setPodStatus(pod: Pod, status: PodStatus, deleteWhenWritten = false): void {
    const entry = this.entryFor(pod);
    entry.desired = status;
    entry.deleteWhenWritten ||= deleteWhenWritten;
    if (!jsonEqual(entry.known, status) || entry.deleteWhenWritten) this.queue.add(entry.uid);
  }

  /** A newer copy of the pod was seen (informer): what the API holds may have changed. */
  podUpdated(pod: Pod): void {
    const entry = this.entries.get(pod.metadata.uid ?? '');
    if (!entry || version(pod) <= entry.knownVersion) return;
    entry.known = pod.status ?? {};
    entry.knownVersion = version(pod);
    if (entry.desired && !jsonEqual(entry.known, entry.desired)) this.queue.add(entry.uid);
  }

  /** The pod is gone: stop writing for it. */
  forget(uid: string): void {
    this.entries.delete(uid);
    this.queue.forget(uid);
  }

  /** Writes until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    await Promise.all(Array.from({ length: this.workers }, () => this.worker()));
  }

  /** Queued or in-flight writes, for tests and progress reports. */
  pending(): number {
    return this.queue.len() + this.inFlight;
  }

  private entryFor(pod: Pod): Entry {
    const uid = pod.metadata.uid ?? '';
    let entry = this.entries.get(uid);
    if (!entry) {
      entry = {
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name ?? '',
        uid,
        known: pod.status ?? {},
        knownVersion: version(pod),
        deleteWhenWritten: false,
      };
      this.entries.set(uid, entry);
    } else if (version(pod) > entry.knownVersion) {
      entry.known = pod.status ?? {};
      entry.knownVersion = version(pod);
    }
    return entry;
  }

  private async worker(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      this.inFlight++;
      try {
        if (await this.sync(next.item)) this.queue.forget(next.item);
        else this.queue.addRateLimited(next.item);
      } finally {
        this.inFlight--;
        this.queue.done(next.item);
      }
    }
  }

  /** True when done with the pod for now; false to retry. */
  private async sync(uid: string): Promise<boolean> {
    const entry = this.entries.get(uid);
    if (!entry?.desired) return true;
    const pods = this.pods.namespace(entry.namespace);
    const key = `${entry.namespace}/${entry.name}`;
    // Written already, and the API still holds what it answered then: the server settled
    // the status its own way (normalized a field); sending the same patch again would not help.
    const settled = entry.lastWrite && jsonEqual(entry.lastWrite.desired, entry.desired) && jsonEqual(entry.lastWrite.result, entry.known);
    // What this write is for: a newer desired status may arrive while it is on the wire.
    const sent = entry.desired;
    const body = settled ? undefined : podStatusPatchBody(uid, entry.known, sent);
    try {
      if (body) {
        const written = await pods.patch(entry.name, 'strategic', body, { subresource: 'status' });
        if (this.entries.get(uid) !== entry) return true;
        entry.known = written.status ?? {};
        entry.knownVersion = version(written);
        entry.lastWrite = { desired: sent, result: entry.known };
      }
      if (entry.deleteWhenWritten && (settled || jsonEqual(entry.known, entry.desired))) {
        await pods.delete(entry.name, { gracePeriodSeconds: 0, preconditions: { uid } });
        this.forget(uid);
      }
      return true;
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) {
        // Gone, or the name now belongs to another pod (the uid precondition failed).
        this.forget(uid);
        return true;
      }
      this.options.logger.warn(`Failed to update status for pod ${JSON.stringify(key)}: ${errorMessage(err)}`);
      return false;
    }
  }
}
