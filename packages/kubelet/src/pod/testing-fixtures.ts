// Builders for pod and runtime-view fixtures shared by this directory's tests.
import type { ContainerStatus as RuntimeContainerStatus, PodSandboxStatus } from '../runtime/runtime.ts';
import type { Pod, PodSpec } from './pod-types.ts';
import type { PodRuntimeView } from './runtime-view.ts';

export const T0 = Date.UTC(2025, 0, 1);

export function pod(spec: Partial<PodSpec> = {}, status: Pod['status'] = undefined): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1' },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx' }], ...spec },
    ...(status ? { status } : {}),
  };
}

export function sandbox(state: 'ready' | 'notready' = 'ready', ip = '10.244.1.2'): PodSandboxStatus {
  return { id: 'sb', config: { name: 'web-1', namespace: 'default', uid: 'uid-1', attempt: 0, labels: {}, annotations: {}, hostNetwork: false }, state, createdAt: T0, ip };
}

type Attempt = Partial<RuntimeContainerStatus> & Pick<RuntimeContainerStatus, 'state'>;

export function attempt(name: string, n: number, fields: Attempt): RuntimeContainerStatus {
  return {
    id: `${name}-${n}`,
    sandboxId: 'sb',
    name,
    attempt: n,
    createdAt: T0,
    startedAt: fields.state === 'created' ? 0 : T0,
    finishedAt: fields.state === 'exited' ? T0 + 1000 : 0,
    exitCode: 0,
    reason: fields.state === 'exited' ? ((fields.exitCode ?? 0) === 0 ? 'Completed' : 'Error') : '',
    message: '',
    image: 'docker.io/library/nginx:latest',
    imageRef: 'docker.io/library/nginx@sha256:abc',
    ...fields,
  };
}

/** A view with a ready sandbox and the given attempts (newest first per name). */
export function view(...attempts: RuntimeContainerStatus[]): PodRuntimeView {
  const map = new Map<string, RuntimeContainerStatus[]>();
  for (const a of attempts) map.set(a.name, [...(map.get(a.name) ?? []), a].sort((x, y) => y.attempt - x.attempt));
  return { sandbox: sandbox(), attempts: map };
}
