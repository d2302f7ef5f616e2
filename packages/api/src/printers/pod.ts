// Pods and pod templates. The pod's STATUS cell is the most studied cell in Kubernetes: it starts
// from the phase (or status.reason), lets init containers and then containers (last to first)
// override it with what they are waiting on or why they stopped, and ends as Terminating once
// deletion started.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { since } from './duration.ts';
import { containerCells, formatLabels, type Container } from './format.ts';
import type { ResourcePrinter, TableRowCells, TableRowCondition } from './types.ts';

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
}

interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: Container[];
    initContainers?: (Container & { restartPolicy?: string })[];
    readinessGates?: { conditionType: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    nominatedNodeName?: string;
    podIPs?: { ip: string }[];
    conditions?: PodCondition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

// The node controller's reason for pods on a node that stopped reporting.
const NODE_UNREACHABLE_REASON = 'NodeLost';

const completedConditions: Record<string, TableRowCondition[]> = {
  Succeeded: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
  Failed: [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
};

export const podPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready containers out of all containers.'),
    column('Status', 'string', 'What the pod is doing, summarised from its phase and containers.'),
    column('Restarts', 'string', 'Container restarts, and how long ago the last one was.'),
    ageColumn,
    wideColumn('IP', 'string', 'IP address of the pod.'),
    wideColumn('Node', 'string', 'Node the pod is bound to.'),
    wideColumn('Nominated Node', 'string', 'Node the scheduler nominated while preempting for this pod.'),
    wideColumn('Readiness Gates', 'string', 'Readiness gate conditions that are true, out of all gates.'),
  ],
  row: (object, now) => podRow(object as Pod, now),
};

function podRow(pod: Pod, now: Date): TableRowCells {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const summary = summarisePod(pod);
  const restarts =
    summary.restarts !== 0 && summary.lastRestart !== undefined
      ? `${summary.restarts} (${since(summary.lastRestart, now)} ago)`
      : String(summary.restarts);
  const row: TableRowCells = {
    cells: [
      pod.metadata.name ?? '',
      `${summary.ready}/${summary.total}`,
      summary.reason,
      restarts,
      since(pod.metadata.creationTimestamp, now),
      status.podIPs?.[0]?.ip || '<none>',
      spec.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates(pod),
    ],
  };
  const conditions = completedConditions[status.phase ?? ''];
  if (conditions) row.conditions = conditions.map((c) => ({ ...c }));
  return row;
}

interface PodSummary {
  reason: string;
  ready: number;
  total: number;
  restarts: number;
  lastRestart?: string;
}

function summarisePod(pod: Pod): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initContainers = spec.initContainers ?? [];
  // Sidecars (init containers with restartPolicy Always) run alongside the app containers and count as such.
  const sidecars = new Set(initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));

  let reason = status.reason || status.phase || '';
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  let ready = 0;
  let restarts = 0;
  let lastRestart = new LatestTime();
  let sidecarRestarts = 0;
  const lastSidecarRestart = new LatestTime();
  let initializing = false;

  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const isSidecar = sidecars.has(container.name);
    restarts += container.restartCount ?? 0;
    lastRestart.offer(container.lastState?.terminated?.finishedAt);
    if (isSidecar) {
      sidecarRestarts += container.restartCount ?? 0;
      lastSidecarRestart.offer(container.lastState?.terminated?.finishedAt);
    }
    const terminated = container.state?.terminated;
    const waitingReason = container.state?.waiting?.reason;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar && container.started) {
      if (container.ready) ready++;
      continue;
    }
    // The first init container that has not finished decides the status.
    if (terminated) {
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waitingReason && waitingReason !== 'PodInitializing') {
      reason = `Init:${waitingReason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasTrueCondition(status.conditions, 'Initialized')) {
    // Restarts of plain init containers belong to a finished phase of the pod's life.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += container.restartCount ?? 0;
      lastRestart.offer(container.lastState?.terminated?.finishedAt);
      const terminated = container.state?.terminated;
      if (container.state?.waiting?.reason) {
        reason = container.state.waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (container.ready && container.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A finished container next to a running one does not make the whole pod Completed.
    if (reason === 'Completed' && hasRunning) {
      reason = hasTrueCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';

  const total = (spec.containers?.length ?? 0) + sidecars.size;
  return { reason, ready, total, restarts, lastRestart: lastRestart.value };
}

/** The latest of a series of RFC 3339 timestamps. */
class LatestTime {
  value: string | undefined;
  private ms = -Infinity;

  offer(timestamp: string | undefined): void {
    const ms = timestamp ? Date.parse(timestamp) : NaN;
    if (ms > this.ms) {
      this.ms = ms;
      this.value = timestamp;
    }
  }
}

function hasTrueCondition(conditions: PodCondition[] | undefined, type: string): boolean {
  return conditions?.find((c) => c.type === type)?.status === 'True';
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passing = gates.filter((gate) => conditions.find((c) => c.type === gate.conditionType)?.status === 'True');
  return `${passing.length}/${gates.length}`;
}

interface PodTemplate extends KubeObject {
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Container[] } };
}

export const podTemplatePrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Containers', 'string', 'Names of the containers in the template.'),
    column('Images', 'string', 'Images of the containers in the template.'),
    column('Pod Labels', 'string', 'Labels the template gives its pods.'),
  ],
  row: (object) => {
    const template = (object as PodTemplate).template;
    const [names, images] = containerCells(template?.spec?.containers);
    return { cells: [object.metadata.name ?? '', names, images, formatLabels(template?.metadata?.labels)] };
  },
};
