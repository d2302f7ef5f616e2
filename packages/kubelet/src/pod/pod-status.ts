// The pod status a kubelet reports (its generateAPIPodStatus), computed from the pod, what the
// runtime holds for it, and the time: container statuses with their waiting/running/terminated
// states, the phase, the kubelet-owned conditions with Kubernetes' reasons and messages, and the
// pod and host IPs. A plain function; the status manager decides whether it needs writing.
// Conditions carry no lastProbeTime: no probe runs, and the API shows an absent time as null.
import type { ContainerStatus as RuntimeContainerStatus } from '../runtime/runtime.ts';
import { apiTime } from './api-time.ts';
import { podDescription, type Container, type ContainerState, type ContainerStatus, type Pod, type PodCondition, type PodPhase, type PodStatus } from './pod-types.ts';
import { initProgress, isSidecar, latestAttempt, type PodRuntimeView } from './runtime-view.ts';
import type { BackingOff } from './sync-plan.ts';

/** Conditions this kubelet computes; any other condition on the pod is kept as it is. */
const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

export interface PodStatusInput {
  pod: Pod;
  view: PodRuntimeView;
  /** containers waiting out a crash-loop back-off */
  backingOff: Map<string, BackingOff>;
  /** the runtime's name, the scheme of container IDs ("fake://…", "docker://…") */
  runtimeName: string;
  /** the node's addresses, for hostIP(s) and host-network pods */
  nodeIPs: string[];
  /** the pod is being deleted and its containers have been stopped: its phase becomes terminal */
  terminating: boolean;
  now: number;
}

function terminatedState(c: RuntimeContainerStatus, runtimeName: string): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason,
      ...(c.message ? { message: c.message } : {}),
      startedAt: c.startedAt > 0 ? apiTime(c.startedAt) : null,
      finishedAt: apiTime(c.finishedAt),
      containerID: `${runtimeName}://${c.id}`,
    },
  };
}

function passedDelay(latest: RuntimeContainerStatus, delaySeconds: number | undefined, now: number): boolean {
  return now >= latest.startedAt + (delaySeconds ?? 0) * 1000;
}

/** Whether a running container counts as started (startup probe) and ready (readiness probe). */
export function probeResults(container: Container, latest: RuntimeContainerStatus | undefined, now: number): { started: boolean; ready: boolean } {
  if (latest?.state !== 'running') return { started: false, ready: false };
  // Probes are not run; a probe is taken to succeed from its initialDelaySeconds on.
  const started = container.startupProbe === undefined || passedDelay(latest, container.startupProbe.initialDelaySeconds, now);
  const ready = started && (container.readinessProbe === undefined || passedDelay(latest, container.readinessProbe.initialDelaySeconds, now));
  return { started, ready };
}

function containerStatus(input: PodStatusInput, container: Container, init: boolean, initDone: boolean): ContainerStatus {
  const { view, runtimeName, now, pod } = input;
  const attempts = view.attempts.get(container.name) ?? [];
  const [latest, previous] = attempts;
  const mounts = (container.volumeMounts ?? []).map((m) => ({
    name: m.name,
    mountPath: m.mountPath,
    ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
  }));
  const base = {
    name: container.name,
    image: latest?.image ?? container.image ?? '',
    imageID: latest?.imageRef ?? '',
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
  if (!latest || latest.state === 'created') {
    const reason = init || initDone ? 'ContainerCreating' : 'PodInitializing';
    return {
      ...base,
      state: { waiting: { reason } },
      lastState: previous ? terminatedState(previous, runtimeName) : {},
      ready: false,
      restartCount: latest?.attempt ?? 0,
      ...(latest ? { containerID: `${runtimeName}://${latest.id}` } : {}),
      started: false,
    };
  }
  const containerID = `${runtimeName}://${latest.id}`;
  if (latest.state === 'running' || latest.state === 'unknown') {
    const { started, ready } = probeResults(container, latest, now);
    return {
      ...base,
      state: { running: { startedAt: apiTime(latest.startedAt) } },
      lastState: previous ? terminatedState(previous, runtimeName) : {},
      ready: init && !isSidecar(container) ? false : ready,
      restartCount: latest.attempt,
      containerID,
      started,
    };
  }
  const backoff = input.backingOff.get(container.name);
  if (backoff) {
    const seconds = Math.round(backoff.delayMs / 1000);
    return {
      ...base,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${formatBackoff(seconds)} restarting failed container=${container.name} pod=${podDescription(pod)}` } },
      lastState: terminatedState(latest, runtimeName),
      ready: false,
      restartCount: latest.attempt,
      containerID,
      started: false,
    };
  }
  return {
    ...base,
    state: terminatedState(latest, runtimeName),
    lastState: previous ? terminatedState(previous, runtimeName) : {},
    ready: false,
    restartCount: latest.attempt,
    containerID,
    started: false,
  };
}

/** Go's Duration.String() for whole seconds: "10s", "1m20s", "5m0s". */
function formatBackoff(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m${seconds % 60}s` : `${seconds}s`;
}

/** The pod phase from its container statuses (the kubelet's getPhase). */
export function podPhase(pod: Pod, view: PodRuntimeView, statuses: ContainerStatus[], terminating: boolean): PodPhase {
  const init = initProgress(pod, view);
  if (init.failed) return 'Failed';
  if (!init.done && !terminating) return 'Pending';
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const status of statuses) {
    if (status.state.running) running++;
    else if (status.state.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state.waiting) {
      // A container waiting to be restarted has run before: it counts as stopped.
      if (status.lastState.terminated) stopped++;
      else waiting++;
    }
  }
  if (terminating && running === 0) return stopped === succeeded && waiting === 0 ? 'Succeeded' : 'Failed';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  return { type, status: ok ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function list(names: string[]): string {
  return `[${names.join(' ')}]`;
}

function kubeletConditions(input: PodStatusInput, phase: PodPhase, statuses: ContainerStatus[]): PodCondition[] {
  const { pod, view } = input;
  const sandboxReady = view.sandbox?.state === 'ready';
  const init = initProgress(pod, view);
  const initialized =
    init.done || phase === 'Succeeded' ? condition('Initialized', true) : condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: ${list(init.incomplete)}`);
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  let containersReady: PodCondition;
  if (phase === 'Succeeded') containersReady = condition('ContainersReady', false, 'PodCompleted');
  else if (unready.length > 0) containersReady = condition('ContainersReady', false, 'ContainersNotReady', `containers with unready status: ${list(unready)}`);
  else containersReady = condition('ContainersReady', true);
  let ready: PodCondition = { ...containersReady, type: 'Ready' };
  if (ready.status === 'True') {
    const existing = pod.status?.conditions ?? [];
    const missing = (pod.spec.readinessGates ?? []).map((g) => g.conditionType).filter((t) => existing.find((c) => c.type === t)?.status !== 'True');
    if (missing.length > 0) {
      const absent = missing.filter((t) => !existing.some((c) => c.type === t));
      const message = absent.length > 0 ? `corresponding condition of pod readiness gate "${absent[0]}" does not exist.` : `the status of pod readiness gate "${missing[0]}" is not "True", but False`;
      ready = condition('Ready', false, 'ReadinessGatesNotReady', message);
    }
  }
  return [condition('PodReadyToStartContainers', sandboxReady), initialized, ready, containersReady, condition('PodScheduled', true)];
}

/** Keeps a condition's lastTransitionTime while its status stays the same. */
function stamp(conditions: PodCondition[], previous: PodCondition[], now: number): PodCondition[] {
  return conditions.map((c) => {
    const old = previous.find((p) => p.type === c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : apiTime(now);
    return { type: c.type, status: c.status, lastTransitionTime, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
  });
}

export function generatePodStatus(input: PodStatusInput): PodStatus {
  const { pod, view, now } = input;
  const previous = pod.status ?? {};
  const init = initProgress(pod, view);
  const initStatuses = (pod.spec.initContainers ?? []).map((c) => containerStatus(input, c, true, init.done));
  const statuses = pod.spec.containers.map((c) => containerStatus(input, c, false, init.done));
  const phase = podPhase(pod, view, statuses, input.terminating);
  const kept = (previous.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const conditions = [...kept, ...stamp(kubeletConditions(input, phase, statuses), previous.conditions ?? [], now)];
  const hostIPs = input.nodeIPs.map((ip) => ({ ip }));
  const podIP = pod.spec.hostNetwork ? input.nodeIPs[0] : view.sandbox?.ip || previous.podIP;
  return {
    phase,
    conditions,
    ...(hostIPs.length > 0 ? { hostIP: hostIPs[0]!.ip, hostIPs } : {}),
    ...(podIP ? { podIP, podIPs: pod.spec.hostNetwork ? hostIPs : [{ ip: podIP }] } : {}),
    startTime: previous.startTime ?? apiTime(now),
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    ...(previous.qosClass ? { qosClass: previous.qosClass } : {}),
    ...(previous.nominatedNodeName ? { nominatedNodeName: previous.nominatedNodeName } : {}),
  };
}

/** The next time the status changes without any runtime event: a probe's initial delay passing. */
export function nextProbeChange(pod: Pod, view: PodRuntimeView, now: number): number | undefined {
  let next: number | undefined;
  for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const latest = latestAttempt(view, container.name);
    if (latest?.state !== 'running') continue;
    for (const probe of [container.startupProbe, container.readinessProbe]) {
      if (!probe) continue;
      const at = latest.startedAt + (probe.initialDelaySeconds ?? 0) * 1000;
      if (at > now && (next === undefined || at < next)) next = at;
    }
  }
  return next;
}
