// How the controller manager starts the endpoints controller: informers on services, pods and
// endpoints, writes as the "endpoint-controller" ServiceAccount (the identity Kubernetes' RBAC
// bootstrap policy grants endpoints create/update/delete), queue "endpoint",
// --concurrent-endpoint-syncs workers.
import type { ControllerStarter } from '../../controller/context.ts';
import type { Endpoints, Pod, Service } from '../endpointslice/util/types.ts';
import { ENDPOINTS_CONTROLLER, ENDPOINTS_CONTROLLER_COMPONENT, EndpointsController } from './endpoints-controller.ts';

const SERVICES = { group: '', version: 'v1', kind: 'Service' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };
const ENDPOINTS = { group: '', version: 'v1', kind: 'Endpoints' };

export const endpointsControllerStarter: ControllerStarter = {
  name: ENDPOINTS_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor(ENDPOINTS_CONTROLLER_COMPONENT);
    return new EndpointsController({
      services: ctx.informers.forKind<Service>(SERVICES),
      pods: ctx.informers.forKind<Pod>(PODS),
      endpoints: ctx.informers.forKind<Endpoints>(ENDPOINTS),
      endpointsClient: client.forKind<Endpoints>(ENDPOINTS),
      recorder: ctx.eventRecorder(client, ENDPOINTS_CONTROLLER_COMPONENT),
      queue: ctx.newQueue('endpoint'),
      workers: ctx.options.concurrency['concurrent-endpoint-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
