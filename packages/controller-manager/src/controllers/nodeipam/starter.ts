// How the controller manager starts node IPAM: only with --allocate-node-cidrs, from
// --cluster-cidr (one CIDR, or one per IP family for dual-stack) cut into subnets of
// --node-cidr-mask-size (IPv4; IPv6 subnets are /64), never handing out --service-cluster-ip-range.
// It writes as "node-controller"; its events come from "cidrAllocator", as in Kubernetes.
import type { ControllerStarter } from '../../controller/context.ts';
import type { ControllerManagerOptions } from '../../options/options.ts';
import { NODE, type Node } from '../nodelifecycle/node-types.ts';
import { parseCidr } from './cidr.ts';
import { NODE_IPAM_CONTROLLER, RangeAllocator } from './range-allocator.ts';

/** The IPv6 node subnet size when only --node-cidr-mask-size (an IPv4 size) is given. */
const DEFAULT_IPV6_NODE_MASK_SIZE = 64;

/** validateCIDRs and the mask checks of NewNodeIpamController, worded as Kubernetes words them. */
export function clusterCidrsFrom(options: Pick<ControllerManagerOptions, 'clusterCidr' | 'nodeCidrMaskSize'>): { cidr: string; nodeMaskSize: number }[] {
  const list = options.clusterCidr.split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (list.length === 0) throw new Error('Controller: Must specify --cluster-cidr if --allocate-node-cidrs is set');
  const parsed = list.map((cidr) => ({ cidr, parsed: parseCidr(cidr) }));
  const dualStack = parsed.length === 2 && parsed[0]!.parsed.family !== parsed[1]!.parsed.family;
  if (parsed.length > 2) throw new Error(`length of clusterCIDRs is:${parsed.length} more than max allowed of 2`);
  if (parsed.length > 1 && !dualStack) {
    throw new Error(`len of ClusterCIDRs==${parsed.length} and they are not configured as dual stack (at least one from each IPFamily`);
  }
  return parsed.map(({ cidr, parsed: p }) => {
    const nodeMaskSize = p.family === 4 ? options.nodeCidrMaskSize : DEFAULT_IPV6_NODE_MASK_SIZE;
    if (p.prefix > nodeMaskSize) {
      throw new Error('Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family');
    }
    return { cidr, nodeMaskSize };
  });
}

export const nodeIpamStarter: ControllerStarter = {
  name: NODE_IPAM_CONTROLLER,
  async init(ctx) {
    const { options } = ctx;
    if (!options.allocateNodeCidrs) return { notStarted: '--allocate-node-cidrs is false, so node podCIDRs are not allocated' };
    const clusterCidrs = clusterCidrsFrom(options);
    const serviceCidrs: string[] = [];
    for (const text of options.serviceClusterIpRange.split(',').map((c) => c.trim()).filter((c) => c !== '')) {
      try {
        parseCidr(text);
        serviceCidrs.push(text);
      } catch (err) {
        ctx.logger.warn(`Warning: unsuccessful parsing of service CIDR ${JSON.stringify(text)}: ${(err as Error).message}`);
      }
    }
    const client = await ctx.clientFor('node-controller');
    return new RangeAllocator({
      nodes: ctx.informers.forKind<Node>(NODE),
      nodeClient: client.forKind<Node>(NODE),
      recorder: ctx.eventRecorder(client, 'cidrAllocator'),
      clusterCidrs,
      serviceCidrs,
      queue: ctx.newQueue('cidrallocator_node'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
