// From command-line settings to the NodeConfig of each node: one for `k8ts kubelet`, N for
// `k8ts hollow-nodes` (named <prefix><i>, with consecutive addresses from a first node IP).
import { createHash } from 'node:crypto';
import { parseNodeLabels, parseTaints } from './node-flags.ts';
import type { NodeConfig } from './node-object.ts';

export interface NodeSettings {
  nodeLabels: string[];
  registerWithTaints: string[];
  maxPods: number;
  cpu: string;
  memory: string;
  ephemeralStorage: string;
  containerRuntimeVersion: string;
}

function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

/** A systemd-style machine ID and a boot ID, stable for a node name. */
function identity(name: string): { machineID: string; bootID: string } {
  const boot = hexId(`boot/${name}`);
  return {
    machineID: hexId(`machine/${name}`),
    bootID: `${boot.slice(0, 8)}-${boot.slice(8, 12)}-${boot.slice(12, 16)}-${boot.slice(16, 20)}-${boot.slice(20, 32)}`,
  };
}

export function nodeConfigFor(name: string, nodeIP: string, settings: NodeSettings): NodeConfig {
  return {
    nodeName: name,
    hostname: name,
    nodeIP,
    labels: parseNodeLabels(settings.nodeLabels),
    taints: parseTaints(settings.registerWithTaints),
    cpu: settings.cpu,
    memory: settings.memory,
    maxPods: settings.maxPods,
    ephemeralStorage: settings.ephemeralStorage,
    containerRuntimeVersion: settings.containerRuntimeVersion,
    ...identity(name),
  };
}

function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** N hollow nodes: <prefix>0 … <prefix>N-1, the i-th with address firstIP + i. */
export function hollowNodeConfigs(count: number, prefix: string, firstIP: string, settings: NodeSettings): NodeConfig[] {
  const base = ipv4ToNumber(firstIP);
  if (base + count - 1 > 0xffffffff) throw new Error(`${count} node addresses from ${firstIP} run past 255.255.255.255`);
  return Array.from({ length: count }, (_, i) => nodeConfigFor(`${prefix}${i}`, numberToIpv4(base + i), settings));
}
