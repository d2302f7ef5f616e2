// Public surface of @k8ts/store.
export { EtcdServer, SERVER_VERSION } from './server/etcd-server.ts';
export { serveClients } from './server/grpc-server.ts';
export { restoreSnapshot } from './server/restore.ts';
export { defaultConfig, parseInitialCluster, type StoreConfig } from './server/config.ts';
export { EtcdClient } from './client/etcd-client.ts';
