// How the controller manager starts the disruption controller: PDBs, pods, and the workload
// kinds whose scale budgets count against (ReplicationControllers, Deployments, ReplicaSets,
// StatefulSets) from the shared informers; writes PDB status and reads other kinds' /scale as
// the "disruption-controller" ServiceAccount; events from the "controllermanager" component, as
// Kubernetes' disruption controller reports them; one worker on the "disruption" queue.
import type { ControllerStarter } from '../../controller/context.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { DISRUPTION_CONTROLLER, DisruptionController } from './disruption-controller.ts';
import { workloadFinders } from './finders.ts';
import { DEPLOYMENT_KIND, PDB_KIND, REPLICASET_KIND, REPLICATION_CONTROLLER_KIND, STATEFULSET_KIND, type PodDisruptionBudget, type ScaledWorkload } from './types.ts';

const PODS = { group: '', version: 'v1', kind: 'Pod' };

export const disruptionStarter: ControllerStarter = {
  name: DISRUPTION_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('disruption-controller');
    const workloads = {
      replicationControllers: ctx.informers.forKind<ScaledWorkload>(REPLICATION_CONTROLLER_KIND),
      deployments: ctx.informers.forKind<ScaledWorkload>(DEPLOYMENT_KIND),
      replicaSets: ctx.informers.forKind<ScaledWorkload>(REPLICASET_KIND),
      statefulSets: ctx.informers.forKind<ScaledWorkload>(STATEFULSET_KIND),
    };
    return new DisruptionController({
      pdbs: ctx.informers.forKind<PodDisruptionBudget>(PDB_KIND),
      pods: ctx.informers.forKind<Pod>(PODS),
      pdbClient: client.forKind<PodDisruptionBudget>(PDB_KIND),
      finders: workloadFinders(
        {
          replicationControllers: workloads.replicationControllers.lister(),
          deployments: workloads.deployments.lister(),
          replicaSets: workloads.replicaSets.lister(),
          statefulSets: workloads.statefulSets.lister(),
        },
        client,
      ),
      finderSynced: Object.values(workloads).map((informer) => () => informer.hasSynced()),
      recorder: ctx.eventRecorder(client, 'controllermanager'),
      queue: ctx.newQueue('disruption'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
