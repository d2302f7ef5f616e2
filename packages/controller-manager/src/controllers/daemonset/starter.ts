// How the controller manager starts the DaemonSet controller: DaemonSets, ControllerRevisions,
// pods and nodes from the shared informers, writes as the "daemon-set-controller"
// ServiceAccount, events from the "daemonset-controller" component,
// --concurrent-daemonset-syncs workers on the "daemonset" queue.
import type { ControllerStarter } from '../../controller/context.ts';
import { DAEMONSET_CONTROLLER, DaemonSetController } from './daemonset-controller.ts';
import { CONTROLLER_REVISIONS, DAEMON_SETS, NODES, PODS, type ControllerRevision, type DaemonSet, type Node, type Pod } from './types.ts';

export const daemonSetStarter: ControllerStarter = {
  name: DAEMONSET_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('daemon-set-controller');
    return new DaemonSetController({
      daemonSets: ctx.informers.forKind<DaemonSet>(DAEMON_SETS),
      revisions: ctx.informers.forKind<ControllerRevision>(CONTROLLER_REVISIONS),
      pods: ctx.informers.forKind<Pod>(PODS),
      nodes: ctx.informers.forKind<Node>(NODES),
      daemonSetClient: client.forKind<DaemonSet>(DAEMON_SETS),
      revisionClient: client.forKind<ControllerRevision>(CONTROLLER_REVISIONS),
      podClient: client.forKind<Pod>(PODS),
      recorder: ctx.eventRecorder(client, DAEMONSET_CONTROLLER),
      queue: ctx.newQueue('daemonset'),
      workers: ctx.options.concurrency['concurrent-daemonset-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
