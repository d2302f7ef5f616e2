// How the controller manager starts the StatefulSet controller: sets, pods, claims and
// revisions from the shared informers, writes as the "statefulset-controller" ServiceAccount,
// events from the "statefulset-controller" component, --concurrent-statefulset-syncs workers on
// the "statefulset" queue.
import type { ControllerStarter } from '../../controller/context.ts';
import { CONTROLLER_REVISION_KIND, type ControllerRevision } from '../../controller/history.ts';
import { STATEFULSET_CONTROLLER, StatefulSetController } from './statefulset-controller.ts';
import { PERSISTENT_VOLUME_CLAIMS, PODS, STATEFUL_SETS, type PersistentVolumeClaim, type Pod, type StatefulSet } from './types.ts';

export const statefulSetStarter: ControllerStarter = {
  name: STATEFULSET_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('statefulset-controller');
    return new StatefulSetController({
      sets: ctx.informers.forKind<StatefulSet>(STATEFUL_SETS),
      pods: ctx.informers.forKind<Pod>(PODS),
      claims: ctx.informers.forKind<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS),
      revisions: ctx.informers.forKind<ControllerRevision>(CONTROLLER_REVISION_KIND),
      setClient: client.forKind<StatefulSet>(STATEFUL_SETS),
      podClient: client.forKind<Pod>(PODS),
      claimClient: client.forKind<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS),
      revisionClient: client.forKind<ControllerRevision>(CONTROLLER_REVISION_KIND),
      recorder: ctx.eventRecorder(client, STATEFULSET_CONTROLLER),
      queue: ctx.newQueue('statefulset'),
      workers: ctx.options.concurrency['concurrent-statefulset-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
