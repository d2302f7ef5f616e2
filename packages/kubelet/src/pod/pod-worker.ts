// One pod's worker (the kubelet's podWorkers + syncPod): every change to the pod, to its
// containers in the runtime, or a timer it set (back-off, probe delay) triggers a sync, and syncs
// of one pod never overlap. A sync looks at the runtime, plans (sync-plan.ts), carries the plan
// out — sandbox, image, create, start, each with the kubelet's events — and hands the resulting
// status (pod-status.ts) to the status manager. A pod marked for deletion has its containers
// stopped and its final status written, then the status manager deletes it.
import type { Clock, EventRecorder, EventType, Logger, Timer } from '@k8ts/client';
import { errorMessage, formatGoDuration } from '@k8ts/client';
import { parseImageReference } from '../runtime/image-name.ts';
import { RuntimeError, type ContainerRuntime } from '../runtime/runtime.ts';
import type { PodStatusManager } from '../status/status-manager.ts';
import type { CrashLoopBackoff } from './crash-loop-backoff.ts';
import { generatePodStatus, nextProbeChange } from './pod-status.ts';
import { podDescription, type Container, type Pod } from './pod-types.ts';
import { emptyView, viewOf, type PodRuntimeView } from './runtime-view.ts';
import { backoffKey, planPodSync, type ContainerToStart, type PodSyncPlan } from './sync-plan.ts';

/** How soon a pod whose sandbox could not be created is tried again (or when the node gets its pod CIDR). */
const SANDBOX_RETRY_MS = 10_000;
/** How soon a sync that failed unexpectedly is retried. */
const SYNC_RETRY_MS = 1_000;

/** What a pod worker shares with the other pods of its node. */
export interface PodWorkerContext {
  nodeName: string;
  runtime: ContainerRuntime;
  runtimeName: string;
  clock: Clock;
  logger: Logger;
  recorder: EventRecorder;
  statusManager: PodStatusManager;
  backoff: CrashLoopBackoff;
  nodeIPs(): string[];
  /** routes the runtime's events for this sandbox to the worker */
  bindSandbox(sandboxId: string, worker: PodWorker): void;
  unbindSandbox(sandboxId: string): void;
  /** the pod is gone from the API and from the runtime */
  finished(uid: string): void;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** The pull policy the API defaults to when the pod does not say. */
function pullPolicy(container: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const ref = parseImageReference(container.image ?? '');
  return ref.digest === undefined && ref.tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export class PodWorker {
  private pod: Pod;
  private removed = false;
  private sandboxId: string | undefined;
  private syncing = false;
  private again = false;
  private timer: Timer | undefined;
  /** the container attempt each BackOff event was recorded for */
  private readonly backoffAnnounced = new Map<string, number>();

  constructor(
    private readonly ctx: PodWorkerContext,
    pod: Pod,
  ) {
    this.pod = pod;
  }

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  /** A newer copy of the pod from the API. */
  update(pod: Pod): void {
    this.pod = pod;
    this.ctx.statusManager.podUpdated(pod);
    this.trigger();
  }

  /** The pod was deleted from the API. */
  remove(): void {
    this.removed = true;
    this.trigger();
  }

  /** Something changed: sync now, or right after the sync in progress. */
  trigger(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    void this.loop();
  }

  private async loop(): Promise<void> {
    this.syncing = true;
    this.timer?.cancel();
    this.timer = undefined;
    let wakeInMs: number | undefined;
    do {
      this.again = false;
      try {
        wakeInMs = await this.sync();
      } catch (err) {
        this.ctx.logger.warn(`Error syncing pod ${podDescription(this.pod)}, skipping: ${errorMessage(err)}`);
        wakeInMs = SYNC_RETRY_MS;
      }
    } while (this.again);
    this.syncing = false;
    if (wakeInMs !== undefined && !this.removed) this.timer = this.ctx.clock.setTimer(Math.max(0, wakeInMs), () => this.trigger());
  }

  /** One sync; returns when to sync again without an outside change (undefined: no need). */
  private async sync(): Promise<number | undefined> {
    if (this.removed) {
      await this.teardown();
      return undefined;
    }
    const pod = this.pod;
    if (pod.metadata.deletionTimestamp) {
      await this.terminate(pod);
      return undefined;
    }
    // A pod that finished before this kubelet (re)started has nothing left to run.
    if (!this.sandboxId && isTerminal(pod)) return undefined;
    let view = await this.view();
    let plan = planPodSync(pod, view, this.ctx.clock.now(), this.ctx.backoff);
    if (plan.createSandbox) {
      this.publish(pod, view, plan);
      if (!(await this.createSandbox(pod))) return SANDBOX_RETRY_MS;
      view = await this.view();
      plan = planPodSync(pod, view, this.ctx.clock.now(), this.ctx.backoff);
    }
    if (plan.finished) {
      if (view.sandbox?.state === 'ready') {
        await this.ctx.runtime.stopPodSandbox(view.sandbox.id);
        view = await this.view();
      }
      this.publish(pod, view, plan);
      return undefined;
    }
    for (const start of plan.start) {
      this.publish(pod, view, plan);
      await this.startContainer(pod, start);
      view = await this.view();
    }
    this.announceBackoffs(pod, view, plan);
    this.publish(pod, view, plan);
    return this.nextWake(pod, view, plan);
  }

  private publish(pod: Pod, view: PodRuntimeView, plan: PodSyncPlan | undefined, terminating = false): void {
    const status = generatePodStatus({
      pod,
      view,
      backingOff: plan?.backingOff ?? new Map(),
      runtimeName: this.ctx.runtimeName,
      nodeIPs: this.ctx.nodeIPs(),
      terminating,
      now: this.ctx.clock.now(),
    });
    this.ctx.statusManager.setPodStatus(pod, status, terminating);
  }

  private async view(): Promise<PodRuntimeView> {
    if (!this.sandboxId) return emptyView();
    const sandbox = await this.ctx.runtime.podSandboxStatus(this.sandboxId);
    return viewOf(sandbox, await this.ctx.runtime.listContainers({ sandboxId: this.sandboxId }));
  }

  private async createSandbox(pod: Pod): Promise<boolean> {
    try {
      this.sandboxId = await this.ctx.runtime.runPodSandbox({
        name: pod.metadata.name ?? '',
        namespace: pod.metadata.namespace ?? '',
        uid: this.uid,
        attempt: 0,
        labels: pod.metadata.labels ?? {},
        annotations: pod.metadata.annotations ?? {},
        hostNetwork: pod.spec.hostNetwork === true,
      });
      this.ctx.bindSandbox(this.sandboxId, this);
      return true;
    } catch (err) {
      if (!(err instanceof RuntimeError)) throw err;
      this.event(pod, undefined, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${err.message}`);
      return false;
    }
  }

  private async startContainer(pod: Pod, start: ContainerToStart): Promise<void> {
    const { container, init, attempt } = start;
    const fieldPath = `spec.${init ? 'initContainers' : 'containers'}{${container.name}}`;
    const image = container.image ?? '';
    const policy = pullPolicy(container);
    const present = policy === 'Always' ? undefined : await this.ctx.runtime.imageStatus(image);
    if (present) {
      this.event(pod, fieldPath, 'Normal', 'Pulled', `Container image ${JSON.stringify(image)} already present on machine`);
    } else {
      this.event(pod, fieldPath, 'Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
      const began = this.ctx.clock.now();
      const pulled = await this.ctx.runtime.pullImage(image);
      const took = formatGoDuration(this.ctx.clock.now() - began);
      this.event(pod, fieldPath, 'Normal', 'Pulled', `Successfully pulled image ${JSON.stringify(image)} in ${took} (${took} including waiting). Image size: ${pulled.sizeBytes} bytes.`);
    }
    const id = await this.ctx.runtime.createContainer(this.sandboxId!, { name: container.name, attempt, image, command: container.command ?? [], args: container.args ?? [] });
    this.event(pod, fieldPath, 'Normal', 'Created', `Created container: ${container.name}`);
    await this.ctx.runtime.startContainer(id);
    this.event(pod, fieldPath, 'Normal', 'Started', `Started container ${container.name}`);
    await this.removeOldAttempts(container.name);
  }

  /** Like the kubelet's container GC: keep the newest dead attempt (for lastState), remove older ones. */
  private async removeOldAttempts(name: string): Promise<void> {
    const view = await this.view();
    for (const old of (view.attempts.get(name) ?? []).slice(2)) await this.ctx.runtime.removeContainer(old.id);
  }

  private announceBackoffs(pod: Pod, view: PodRuntimeView, plan: PodSyncPlan): void {
    for (const [name, waiting] of plan.backingOff) {
      const attempt = view.attempts.get(name)?.[0]?.attempt ?? 0;
      if (this.backoffAnnounced.get(name) === attempt) continue;
      this.backoffAnnounced.set(name, attempt);
      const fieldPath = `spec.${waiting.init ? 'initContainers' : 'containers'}{${name}}`;
      this.event(pod, fieldPath, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${podDescription(pod)}`);
    }
  }

  private nextWake(pod: Pod, view: PodRuntimeView, plan: PodSyncPlan): number | undefined {
    const now = this.ctx.clock.now();
    const times = [...plan.backingOff.values()].map((b) => b.restartAt);
    const probe = nextProbeChange(pod, view, now);
    if (probe !== undefined) times.push(probe);
    return times.length === 0 ? undefined : Math.min(...times) - now;
  }

  /** Graceful deletion: stop every container, report the final status, then let the pod go. */
  private async terminate(pod: Pod): Promise<void> {
    // Finished before this kubelet started: nothing runs, and the final status is already written.
    if (!this.sandboxId && isTerminal(pod)) {
      this.ctx.statusManager.setPodStatus(pod, pod.status ?? {}, true);
      return;
    }
    const view = await this.view();
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const specs = [...(pod.spec.initContainers ?? []).map((c) => ({ c, init: true })), ...pod.spec.containers.map((c) => ({ c, init: false }))];
    for (const { c, init } of specs) {
      const latest = view.attempts.get(c.name)?.[0];
      if (!latest || latest.state === 'exited') continue;
      this.event(pod, `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`, 'Normal', 'Killing', `Stopping container ${c.name}`);
      await this.ctx.runtime.stopContainer(latest.id, grace);
    }
    if (view.sandbox?.state === 'ready') await this.ctx.runtime.stopPodSandbox(view.sandbox.id);
    this.publish(pod, await this.view(), undefined, true);
  }

  /** The pod left the API: release what the runtime still holds for it. */
  private async teardown(): Promise<void> {
    if (this.sandboxId) {
      const id = this.sandboxId;
      this.sandboxId = undefined;
      await this.ctx.runtime.removePodSandbox(id);
      this.ctx.unbindSandbox(id);
    }
    for (const c of [...(this.pod.spec.initContainers ?? []), ...this.pod.spec.containers]) this.ctx.backoff.forget(backoffKey(this.pod, c.name));
    this.ctx.statusManager.forget(this.uid);
    this.ctx.finished(this.uid);
  }

  private event(pod: Pod, fieldPath: string | undefined, type: EventType, reason: string, message: string): void {
    const { name, namespace, uid, resourceVersion } = pod.metadata;
    this.ctx.recorder.event(
      { kind: 'Pod', apiVersion: 'v1', name, namespace, uid, ...(resourceVersion ? { resourceVersion } : {}), ...(fieldPath ? { fieldPath } : {}) },
      type,
      reason,
      message,
    );
  }
}
