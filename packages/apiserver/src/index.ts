// @k8ts/apiserver: the Kubernetes API over the k8ts store (or etcd).
export { Apiserver, DEFAULT_CONFIG, type ApiserverConfig } from './apiserver.ts';
