// Services: the apiserver hands out a ClusterIP from --service-cluster-ip-range and node
// ports from --service-node-port-range, keeps them across updates, and frees them on delete.
import type { KubeObject } from '@k8ts/api';
import { errors } from '../../http/api-error.ts';
import { AlreadyAllocatedError, RangeFullError, type RangeAllocator } from '../allocators/range-allocator.ts';
import type { ServiceIpRange } from '../allocators/service-ip-range.ts';
import type { ResourceStrategy } from '../strategy.ts';

interface ServicePort {
  port?: number;
  nodePort?: number;
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports?: ServicePort[];
}

export interface ServiceAllocators {
  ipRange: ServiceIpRange;
  ips: RangeAllocator;
  nodePortBase: number;
  nodePortSize: number;
  nodePorts: RangeAllocator;
}

function specOf(service: KubeObject | undefined): ServiceSpec {
  return ((service?.spec ?? {}) as ServiceSpec);
}

function usesNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function nodePortsOf(service: KubeObject | undefined): number[] {
  const spec = specOf(service);
  return usesNodePorts(spec) ? (spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p) : [];
}

function clusterIpOf(service: KubeObject | undefined): string | undefined {
  const ip = specOf(service).clusterIP;
  return ip && ip !== 'None' ? ip : undefined;
}

function invalid(service: KubeObject, field: string, value: string | number, detail: string) {
  const name = service.metadata.name ?? '';
  const valueText = typeof value === 'string' ? `"${value}"` : String(value);
  const message = `Invalid value: ${valueText}: ${detail}`;
  return errors.invalid('Service', '', name, `Service "${name}" is invalid: ${field}: ${message}`, [
    { reason: 'FieldValueInvalid', message, field },
  ]);
}

export function serviceStrategy(alloc: ServiceAllocators): ResourceStrategy {
  return {
    prepareForCreate(service) {
      service.status = { loadBalancer: {} };
    },

    async allocate(service, old) {
      const spec = specOf(service);
      if (spec.type === 'ExternalName') {
        delete spec.clusterIP;
        delete spec.clusterIPs;
      } else if (!old || !clusterIpOf(old)) {
        await allocateClusterIp(service, spec, alloc);
      }
      if (!usesNodePorts(spec)) {
        for (const p of spec.ports ?? []) delete p.nodePort;
        return;
      }
      const held = new Set(nodePortsOf(old));
      for (const [i, port] of (spec.ports ?? []).entries()) {
        if (port.nodePort && held.has(port.nodePort)) continue;
        const wanted = port.nodePort ? port.nodePort - alloc.nodePortBase : undefined;
        if (wanted !== undefined && (wanted < 0 || wanted >= alloc.nodePortSize)) {
          throw invalid(service, `spec.ports[${i}].nodePort`, port.nodePort!, `provided port is not in the valid range. The range of valid ports is ${alloc.nodePortBase}-${alloc.nodePortBase + alloc.nodePortSize - 1}`);
        }
        try {
          port.nodePort = alloc.nodePortBase + (await alloc.nodePorts.allocate(wanted));
        } catch (err) {
          if (err instanceof AlreadyAllocatedError) throw invalid(service, `spec.ports[${i}].nodePort`, port.nodePort!, 'provided port is already allocated');
          if (err instanceof RangeFullError) throw errors.internal('range of valid ports is full');
          throw err;
        }
      }
    },

    async release(from, keep) {
      const ip = clusterIpOf(from);
      if (ip && ip !== clusterIpOf(keep)) {
        const offset = alloc.ipRange.offsetOf(ip);
        if (offset !== undefined) await alloc.ips.release(offset);
      }
      const kept = new Set(nodePortsOf(keep));
      for (const port of nodePortsOf(from)) {
        if (!kept.has(port)) await alloc.nodePorts.release(port - alloc.nodePortBase);
      }
    },
  };
}

async function allocateClusterIp(service: KubeObject, spec: ServiceSpec, alloc: ServiceAllocators): Promise<void> {
  if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
  } else {
    const requested = spec.clusterIP || spec.clusterIPs?.[0];
    let offset: number | undefined;
    if (requested) {
      offset = alloc.ipRange.offsetOf(requested);
      if (offset === undefined) {
        throw invalid(service, 'spec.clusterIPs', requested, `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${alloc.ipRange.cidr}`);
      }
    }
    try {
      offset = await alloc.ips.allocate(offset);
    } catch (err) {
      if (err instanceof AlreadyAllocatedError) {
        throw invalid(service, 'spec.clusterIPs', requested!, `failed to allocate IP ${requested}: provided IP is already allocated`);
      }
      if (err instanceof RangeFullError) throw errors.internal('failed to allocate a serviceIP: range is full');
      throw err;
    }
    spec.clusterIP = alloc.ipRange.ipAt(offset);
    spec.clusterIPs = [spec.clusterIP];
  }
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
}
