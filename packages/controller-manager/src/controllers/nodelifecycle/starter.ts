// How the controller manager starts the node lifecycle and taint eviction controllers. Both
// write as the "node-controller" identity (the taint eviction controller reuses its RBAC role,
// as in Kubernetes); their events come from "node-controller" and "taint-eviction-controller".
import type { ControllerStarter } from '../../controller/context.ts';
import { NODE_LIFECYCLE_CONTROLLER, NodeLifecycleController } from './node-lifecycle-controller.ts';
import { LEASE, NODE, POD, type Lease, type Node, type Pod } from './node-types.ts';
import { TAINT_EVICTION_CONTROLLER, TaintEvictionController } from './taint-eviction-controller.ts';

const NODE_CONTROLLER_IDENTITY = 'node-controller';

export const nodeLifecycleStarter: ControllerStarter = {
  name: NODE_LIFECYCLE_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor(NODE_CONTROLLER_IDENTITY);
    const { options } = ctx;
    return new NodeLifecycleController({
      nodes: ctx.informers.forKind<Node>(NODE),
      pods: ctx.informers.forKind<Pod>(POD),
      leases: ctx.informers.forKind<Lease>(LEASE),
      nodeClient: client.forKind<Node>(NODE),
      podClient: client.forKind<Pod>(POD),
      recorder: ctx.eventRecorder(client, 'node-controller'),
      nodeUpdateQueue: ctx.newQueue('node_lifecycle_controller'),
      podUpdateQueue: ctx.newQueue('node_lifecycle_controller_pods'),
      options: {
        nodeMonitorPeriodMs: options.nodeMonitorPeriodMs,
        nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs,
        nodeStartupGracePeriodMs: options.nodeStartupGracePeriodMs,
        nodeEvictionRate: options.nodeEvictionRate,
        secondaryNodeEvictionRate: options.secondaryNodeEvictionRate,
        largeClusterSizeThreshold: options.largeClusterSizeThreshold,
        unhealthyZoneThreshold: options.unhealthyZoneThreshold,
      },
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

export const taintEvictionStarter: ControllerStarter = {
  name: TAINT_EVICTION_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor(NODE_CONTROLLER_IDENTITY);
    return new TaintEvictionController({
      pods: ctx.informers.forKind<Pod>(POD),
      nodes: ctx.informers.forKind<Node>(NODE),
      podClient: client.forKind<Pod>(POD),
      recorder: ctx.eventRecorder(client, TAINT_EVICTION_CONTROLLER),
      nodeQueue: ctx.newQueue('noexec_taint_node'),
      podQueue: ctx.newQueue('noexec_taint_pod'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
