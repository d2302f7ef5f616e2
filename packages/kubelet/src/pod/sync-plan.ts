// What one sync of a pod must do, decided from the pod spec and what the runtime holds (the
// kubelet's computePodActions): create the sandbox if there is none, run init containers one at
// a time in order, then start every app container that is not running and should be, and leave
// alone exited containers that are waiting out their crash-loop back-off. A plain function: the
// pod worker carries the plan out and asks again.
import type { CrashLoopBackoff } from './crash-loop-backoff.ts';
import type { Container, Pod } from './pod-types.ts';
import { initProgress, isSidecar, latestAttempt, shouldRestart, type PodRuntimeView } from './runtime-view.ts';

export interface ContainerToStart {
  container: Container;
  init: boolean;
  /** the attempt number of the new container (its restart count) */
  attempt: number;
}

export interface BackingOff {
  init: boolean;
  /** epoch ms when the restart may happen */
  restartAt: number;
  delayMs: number;
}

export interface PodSyncPlan {
  createSandbox: boolean;
  start: ContainerToStart[];
  /** exited containers waiting for their restart, by name */
  backingOff: Map<string, BackingOff>;
  /** nothing in the pod will run again: it has Succeeded or Failed */
  finished: boolean;
}

export function backoffKey(pod: Pod, containerName: string): string {
  return `${pod.metadata.uid ?? ''}/${containerName}`;
}

/** Decides the start (or wait) for one container given its latest attempt. */
function consider(pod: Pod, view: PodRuntimeView, container: Container, init: boolean, now: number, backoff: CrashLoopBackoff, plan: PodSyncPlan): void {
  const latest = latestAttempt(view, container.name);
  if (!latest) {
    plan.start.push({ container, init, attempt: 0 });
    return;
  }
  if (latest.state !== 'exited' || !shouldRestart(pod, container, init, latest.exitCode)) return;
  const { at, delayMs } = backoff.restartAt(backoffKey(pod, container.name), latest);
  if (at <= now) plan.start.push({ container, init, attempt: latest.attempt + 1 });
  else plan.backingOff.set(container.name, { init, restartAt: at, delayMs });
}

export function planPodSync(pod: Pod, view: PodRuntimeView, now: number, backoff: CrashLoopBackoff): PodSyncPlan {
  const plan: PodSyncPlan = { createSandbox: false, start: [], backingOff: new Map(), finished: false };
  if (!view.sandbox) {
    plan.createSandbox = true;
    return plan;
  }
  // The kubelet stops a sandbox only once its pod has finished.
  if (view.sandbox.state !== 'ready') {
    plan.finished = true;
    return plan;
  }
  const init = initProgress(pod, view);
  if (init.failed) {
    plan.finished = true;
    return plan;
  }
  for (const container of pod.spec.initContainers ?? []) {
    const latest = latestAttempt(view, container.name);
    if (isSidecar(container)) {
      // A sidecar only has to be started before the next init container runs.
      if (latest !== undefined && latest.state !== 'exited') continue;
    } else if (latest?.state === 'exited' && latest.exitCode === 0) {
      continue;
    }
    consider(pod, view, container, true, now, backoff, plan);
    break;
  }
  if (!init.done) return plan;
  for (const container of pod.spec.containers) consider(pod, view, container, false, now, backoff, plan);
  plan.finished = isFinished(pod, view);
  return plan;
}

/** Every app container has exited and none will be restarted. */
export function isFinished(pod: Pod, view: PodRuntimeView): boolean {
  if (initProgress(pod, view).failed) return true;
  return pod.spec.containers.every((c) => {
    const latest = latestAttempt(view, c.name);
    return latest?.state === 'exited' && !shouldRestart(pod, c, false, latest.exitCode);
  });
}
