// Services under quota: every Service counts toward "services", a NodePort Service uses one
// node port per port, and a LoadBalancer one load balancer plus its node ports (only the ports
// that name a node port when it opted out of allocating them). Type changes make updates count.
import type { KubeObject } from '../object.ts';
import { intersection, objectCountName, type QuotaEvaluator } from './evaluator.ts';
import { count, zero } from './resource-list.ts';

const SERVICE_COUNT = objectCountName('', 'services');
const SERVICE_RESOURCES = [SERVICE_COUNT, 'services', 'services.nodeports', 'services.loadbalancers'];

interface ServiceSpec {
  type?: string;
  ports?: { nodePort?: number }[];
  allocateLoadBalancerNodePorts?: boolean;
}

export const serviceEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'services',
  handles: (operation) => operation === 'CREATE' || operation === 'UPDATE',
  matchingResources: (input) => intersection(input, SERVICE_RESOURCES),
  constraints: () => undefined,
  usage(object: KubeObject) {
    const spec = (object.spec ?? {}) as ServiceSpec;
    const ports = spec.ports ?? [];
    const usage = { [SERVICE_COUNT]: count(1), services: count(1), 'services.loadbalancers': zero(), 'services.nodeports': zero() };
    if (spec.type === 'NodePort') usage['services.nodeports'] = count(ports.length);
    if (spec.type === 'LoadBalancer') {
      const nodePorts = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
      usage['services.nodeports'] = count(nodePorts);
      usage['services.loadbalancers'] = count(1);
    }
    return usage;
  },
  matchesScope: () => false,
};

/** The type that matters to quota: NodePort, LoadBalancer, or "" for the rest. */
export function quotaServiceType(service: KubeObject): string {
  const type = (service.spec as ServiceSpec | undefined)?.type;
  return type === 'NodePort' || type === 'LoadBalancer' ? type : '';
}
