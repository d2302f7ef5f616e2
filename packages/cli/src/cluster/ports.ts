// Port choice. Each role starts from its Kubernetes default (apiserver 6443, etcd 2379/2380,
// controller-manager 10257) and walks upward past ports another k8ts cluster under the same
// $K8TS_HOME has recorded — running or stopped, since a stopped cluster takes its ports back on
// `up` — and past ports some other program is listening on. Ports below the kernel's ephemeral
// range are used on purpose: an outgoing connection never borrows them while a cluster is down.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { readClusterRecord } from './cluster-record.ts';

/** The port each role would have on a kubeadm node. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  apiserver: 6443,
  storeClient: 2379,
  storePeer: 2380,
  controllerManager: 10257,
  scheduler: 10259,
};

const HIGHEST_PORT = 32767;

/**
 * Ports for the roles `existing` lacks, added to a copy of it. `taken` are ports other clusters
 * recorded; `isFree` asks the system. Roles are served in the order given.
 */
export async function choosePorts(
  roles: string[],
  existing: Readonly<Record<string, number>>,
  taken: ReadonlySet<number>,
  isFree: (port: number) => Promise<boolean>,
): Promise<Record<string, number>> {
  const ports = { ...existing };
  const used = new Set([...taken, ...Object.values(existing)]);
  for (const role of roles) {
    if (ports[role] !== undefined) continue;
    // a numbered role (storeClient-2: a further store member) starts where its role does
    const preferred = DEFAULT_PORTS[role.replace(/-\d+$/, '')];
    if (preferred === undefined) throw new Error(`no default port for role "${role}"`);
    let port = preferred;
    while (used.has(port) || !(await isFree(port))) {
      port += 1;
      if (port > HIGHEST_PORT) throw new Error(`no free port for ${role} between ${preferred} and ${HIGHEST_PORT}`);
    }
    ports[role] = port;
    used.add(port);
  }
  return ports;
}

/** Ports recorded by every cluster under `home` except `except`. */
export function portsOfOtherClusters(home: string, except: string): Set<number> {
  const taken = new Set<number>();
  let names: string[];
  try {
    names = fs.readdirSync(home);
  } catch {
    return taken;
  }
  for (const name of names) {
    if (name === except) continue;
    try {
      const record = readClusterRecord(path.join(home, name, 'cluster.json'));
      for (const port of Object.values(record?.ports ?? {})) taken.add(port);
    } catch {
      // an unreadable cluster.json is that cluster's problem, reported when it is used
    }
  }
  return taken;
}

/** Whether nothing listens on host:port right now (by listening there for a moment). */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
