// How the controller manager starts the ReplicaSet controller: pods and ReplicaSets from the
// shared informers, writes as the "replicaset-controller" ServiceAccount, events from the
// "replicaset-controller" component, --concurrent-replicaset-syncs workers on the "replicaset" queue.
import type { ControllerStarter } from '../../controller/context.ts';
import type { Pod, ReplicaSet } from '../../controller/workload-types.ts';
import { REPLICASET_CONTROLLER, REPLICASET_KIND, ReplicaSetController } from './replicaset-controller.ts';

const PODS = { group: '', version: 'v1', kind: 'Pod' };

export const replicaSetStarter: ControllerStarter = {
  name: REPLICASET_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('replicaset-controller');
    return new ReplicaSetController({
      replicaSets: ctx.informers.forKind<ReplicaSet>(REPLICASET_KIND),
      pods: ctx.informers.forKind<Pod>(PODS),
      replicaSetClient: client.forKind<ReplicaSet>(REPLICASET_KIND),
      podClient: client.forKind<Pod>(PODS),
      recorder: ctx.eventRecorder(client, REPLICASET_CONTROLLER),
      queue: ctx.newQueue('replicaset'),
      workers: ctx.options.concurrency['concurrent-replicaset-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
