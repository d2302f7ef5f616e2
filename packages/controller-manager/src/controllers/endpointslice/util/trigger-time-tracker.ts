// The TriggerTimeTracker: the value of the endpoints.kubernetes.io/last-change-trigger-time
// annotation, which tells kube-proxy (and the network-programming-latency SLI) when the change
// that a write reflects actually happened. For a service seen for the first time it is the
// service's creation; afterwards the earliest of the changes since the previous sync — a pod's
// Ready condition flipping (its lastTransitionTime) or the service being (re)created. Times are
// in whole seconds, as metav1.Time carries them.
import { parseRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { podReadyCondition } from './pods.ts';
import type { Pod, Service } from './types.ts';

interface ServiceState {
  /** pod name → the trigger time last seen for it */
  podTriggerTimes: Map<string, number>;
  serviceTriggerTime: number;
}

function seconds(timestamp: string | null | undefined): number | undefined {
  return timestamp ? parseRfc3339(timestamp)?.seconds : undefined;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * The trigger time for this sync of the service (undefined: nothing it tracks changed), and
   * remembers the current times, whether or not the sync ends up writing anything.
   */
  compute(service: Service, pods: Pod[]): number | undefined {
    const key = `${service.metadata.namespace ?? ''}/${service.metadata.name}`;
    const previous = this.states.get(key);
    let earliestChange: number | undefined;
    const podTriggerTimes = new Map<string, number>();
    for (const pod of pods) {
      const time = seconds(podReadyCondition(pod)?.lastTransitionTime);
      if (time === undefined) continue;
      podTriggerTimes.set(pod.metadata.name ?? '', time);
      const before = previous?.podTriggerTimes.get(pod.metadata.name ?? '');
      if (before === undefined || time > before) earliestChange = Math.min(earliestChange ?? time, time);
    }
    const serviceTriggerTime = seconds(service.metadata.creationTimestamp) ?? 0;
    if (previous === undefined || serviceTriggerTime > previous.serviceTriggerTime) {
      earliestChange = Math.min(earliestChange ?? serviceTriggerTime, serviceTriggerTime);
    }
    this.states.set(key, { podTriggerTimes, serviceTriggerTime });
    // A service seen for the first time: its endpoints date from its creation.
    if (previous === undefined) return seconds(service.metadata.creationTimestamp);
    return earliestChange;
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}
