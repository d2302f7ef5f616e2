// How the controller manager starts the Deployment controller: Deployments, ReplicaSets and
// Pods from the shared informers, writes as the "deployment-controller" ServiceAccount, events
// from the "deployment-controller" component, --concurrent-deployment-syncs workers on the
// "deployment" queue.
import type { ControllerStarter } from '../../controller/context.ts';
import { DEPLOYMENT_CONTROLLER, DeploymentController } from './deployment-controller.ts';
import { DEPLOYMENTS, PODS, REPLICA_SETS, type Deployment, type Pod, type ReplicaSet } from './types.ts';

export const deploymentStarter: ControllerStarter = {
  name: DEPLOYMENT_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('deployment-controller');
    return new DeploymentController({
      deployments: ctx.informers.forKind<Deployment>(DEPLOYMENTS),
      replicaSets: ctx.informers.forKind<ReplicaSet>(REPLICA_SETS),
      pods: ctx.informers.forKind<Pod>(PODS),
      deploymentClient: client.forKind<Deployment>(DEPLOYMENTS),
      replicaSetClient: client.forKind<ReplicaSet>(REPLICA_SETS),
      recorder: ctx.eventRecorder(client, DEPLOYMENT_CONTROLLER),
      queue: ctx.newQueue('deployment'),
      workers: ctx.options.concurrency['concurrent-deployment-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
