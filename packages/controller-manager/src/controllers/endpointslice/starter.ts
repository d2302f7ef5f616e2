// How the controller manager starts the EndpointSlice controller: informers on services, pods,
// nodes (for zones) and endpointslices, writes as the "endpointslice-controller"
// ServiceAccount, queue "endpoint_slice", --concurrent-service-endpoint-syncs workers and
// --max-endpoints-per-slice.
import type { ControllerStarter } from '../../controller/context.ts';
import { ENDPOINTSLICE_CONTROLLER, EndpointSliceController } from './endpointslice-controller.ts';
import type { EndpointSlice, Node, Pod, Service } from './util/types.ts';

const SERVICES = { group: '', version: 'v1', kind: 'Service' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };
const NODES = { group: '', version: 'v1', kind: 'Node' };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' };

export const endpointSliceControllerStarter: ControllerStarter = {
  name: ENDPOINTSLICE_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('endpointslice-controller');
    return new EndpointSliceController({
      services: ctx.informers.forKind<Service>(SERVICES),
      pods: ctx.informers.forKind<Pod>(PODS),
      nodes: ctx.informers.forKind<Node>(NODES),
      endpointSlices: ctx.informers.forKind<EndpointSlice>(ENDPOINT_SLICES),
      sliceClient: client.forKind<EndpointSlice>(ENDPOINT_SLICES),
      recorder: ctx.eventRecorder(client, 'endpoint-slice-controller'),
      queue: ctx.newQueue('endpoint_slice'),
      workers: ctx.options.concurrency['concurrent-service-endpoint-syncs'],
      maxEndpointsPerSlice: ctx.options.maxEndpointsPerSlice,
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
