// What the runtime holds for one pod, arranged the way the kubelet reasons about it (its
// kubecontainer.PodStatus): the pod's sandbox, and per container name every attempt still
// present, newest first. Derived state — restart counts, phases, conditions — is computed from
// this, never stored.
import type { Container, Pod } from './pod-types.ts';
import type { ContainerStatus as RuntimeContainerStatus, PodSandboxStatus } from '../runtime/runtime.ts';

export interface PodRuntimeView {
  sandbox?: PodSandboxStatus;
  /** container name → attempts, newest first */
  attempts: Map<string, RuntimeContainerStatus[]>;
}

export function emptyView(): PodRuntimeView {
  return { attempts: new Map() };
}

export function latestAttempt(view: PodRuntimeView, name: string): RuntimeContainerStatus | undefined {
  return view.attempts.get(name)?.[0];
}

/** Builds the view from a sandbox and the runtime's container list. */
export function viewOf(sandbox: PodSandboxStatus | undefined, containers: RuntimeContainerStatus[]): PodRuntimeView {
  const attempts = new Map<string, RuntimeContainerStatus[]>();
  for (const c of containers) {
    const list = attempts.get(c.name) ?? [];
    list.push(c);
    attempts.set(c.name, list);
  }
  for (const list of attempts.values()) list.sort((a, b) => b.attempt - a.attempt);
  return { ...(sandbox ? { sandbox } : {}), attempts };
}

/** An init container with restartPolicy Always: a sidecar that keeps running beside the app. */
export function isSidecar(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

export function restartPolicyOf(pod: Pod): 'Always' | 'OnFailure' | 'Never' {
  return pod.spec.restartPolicy ?? 'Always';
}

/** Whether an exited container is run again under the pod's restart policy. */
export function shouldRestart(pod: Pod, container: Container, init: boolean, exitCode: number): boolean {
  if (init && isSidecar(container)) return true;
  const policy = restartPolicyOf(pod);
  // Failed init containers are retried unless the pod never restarts anything.
  if (init) return exitCode !== 0 && policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

export interface InitProgress {
  /** every init container has completed (sidecars: started) */
  done: boolean;
  /** an init container failed and the pod will not retry it: the pod has failed */
  failed: boolean;
  /** the init containers not yet completed, in order */
  incomplete: string[];
}

export function initProgress(pod: Pod, view: PodRuntimeView): InitProgress {
  const incomplete: string[] = [];
  let failed = false;
  for (const container of pod.spec.initContainers ?? []) {
    const latest = latestAttempt(view, container.name);
    const complete = isSidecar(container)
      ? latest !== undefined && latest.startedAt > 0
      : latest?.state === 'exited' && latest.exitCode === 0;
    if (complete) continue;
    incomplete.push(container.name);
    if (latest?.state === 'exited' && !shouldRestart(pod, container, true, latest.exitCode)) failed = true;
  }
  return { done: incomplete.length === 0, failed, incomplete };
}
