// How the controller manager starts the pod garbage collector: Pods and Nodes from the shared
// informers, writes as the "pod-garbage-collector" ServiceAccount, --terminated-pod-gc-threshold.
import type { ControllerStarter } from '../../controller/context.ts';
import { NODE, POD, type Node, type Pod } from '../nodelifecycle/node-types.ts';
import { POD_GC_CONTROLLER, POD_GC_DEFAULTS, PodGcController } from './pod-gc-controller.ts';

export const podGcStarter: ControllerStarter = {
  name: POD_GC_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('pod-garbage-collector');
    return new PodGcController({
      pods: ctx.informers.forKind<Pod>(POD),
      nodes: ctx.informers.forKind<Node>(NODE),
      podClient: client.forKind<Pod>(POD),
      nodeClient: client.forKind<Node>(NODE),
      options: { ...POD_GC_DEFAULTS, terminatedPodThreshold: ctx.options.terminatedPodGcThreshold },
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
