// A cluster whose members reach each other only through PeerProxies (peer-proxy.ts), so the
// nemesis can partition them. Clients still talk to each member directly, as clients on each
// side of a real partition would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster, TEST_TIMING_FLAGS } from '../cluster-harness.ts';
import { Member, type Target } from '../harness.ts';
import { freePort } from './free-port.ts';
import { PeerProxies } from './peer-proxy.ts';

export async function startProxiedCluster(target: Target, size: number): Promise<{ cluster: Cluster; proxies: PeerProxies }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `k8ts-nemesis-${target}-`));
  const proxies = new PeerProxies();
  const names = Array.from({ length: size }, (_, i) => `n${i + 1}`);
  const ports = [];
  for (const name of names) {
    const [client, peer, proxy] = [await freePort(), await freePort(), await freePort()];
    await proxies.add(name, proxy, peer);
    ports.push({ name, client, peer, advertised: `http://127.0.0.1:${proxy}` });
  }
  const initialCluster = ports.map((p) => `${p.name}=${p.advertised}`).join(',');
  const flags = ['--initial-cluster-token', `nemesis-${path.basename(root)}`, ...TEST_TIMING_FLAGS];
  const members = ports.map((p) =>
    new Member(target, p.client, p.peer, path.join(root, p.name), false, flags, { name: p.name, initialCluster, advertisePeerUrl: p.advertised }));
  const cluster = new Cluster(target, root, members, flags);
  try {
    for (const member of members) member.spawn();
    await Promise.all(members.map((member) => member.waitUntilServing()));
    // Every member's ID must be known before any partition: a connection from an unknown
    // member would be cut as "from nobody in particular".
    const deadline = Date.now() + 30_000;
    let ids = await cluster.hexIds();
    while (ids.size < size && Date.now() < deadline) ids = await cluster.hexIds();
    if (ids.size < size) throw new Error(`only ${ids.size} of ${size} members reported their IDs`);
    for (const [member, hexId] of ids) proxies.learnMemberId(hexId, member.identity.name);
  } catch (error) {
    await cluster.cleanup();
    await proxies.close();
    throw error;
  }
  return { cluster, proxies };
}
