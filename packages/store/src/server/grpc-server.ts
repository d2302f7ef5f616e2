// Serves the etcd v3 gRPC API of one member on its --listen-client-urls.
import * as grpc from '@grpc/grpc-js';
import { loadEtcdPackageDefinition } from '../proto.ts';
import type { EtcdServer } from './etcd-server.ts';
import { kvService } from './services/kv.ts';
import { leaseService } from './services/lease.ts';
import { clusterService, maintenanceService } from './services/maintenance.ts';
import { watchService } from './services/watch.ts';

/** etcd lets gRPC frames exceed --max-request-bytes by this much, then checks the request itself. */
const GRPC_OVERHEAD_BYTES = 512 * 1024;

type ServiceDefinitions = Record<string, { service: grpc.ServiceDefinition }>;

export async function serveClients(server: EtcdServer, listenUrls: string[]): Promise<grpc.Server> {
  const pkg = loadEtcdPackageDefinition();
  const defs = grpc.loadPackageDefinition(pkg).etcdserverpb as unknown as ServiceDefinitions;
  const grpcServer = new grpc.Server({
    'grpc.max_receive_message_length': server.cfg.maxRequestBytes + GRPC_OVERHEAD_BYTES,
    'grpc.max_send_message_length': 2 ** 31 - 1,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5000,
  });
  grpcServer.addService(defs.KV.service, kvService(server) as never);
  grpcServer.addService(defs.Watch.service, watchService(server) as never);
  grpcServer.addService(defs.Lease.service, leaseService(server) as never);
  grpcServer.addService(defs.Cluster.service, clusterService(server) as never);
  grpcServer.addService(defs.Maintenance.service, maintenanceService(server) as never);
  for (const url of listenUrls) {
    const { hostname, port, protocol } = new URL(url);
    if (protocol !== 'http:') throw new Error(`--listen-client-urls: ${url}: only http:// is served (TLS comes with cluster security)`);
    await new Promise<void>((resolve, reject) =>
      grpcServer.bindAsync(`${hostname}:${port}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(new Error(`cannot listen on ${url}: ${err.message}`)) : resolve())),
    );
  }
  return grpcServer;
}
