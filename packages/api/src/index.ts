// @k8ts/api: the Kubernetes 1.32 API as data and the pure machinery built on it.
export * from './schema/types.ts';
export { schema, SchemaRegistry } from './schema/registry.ts';
export * from './object.ts';
export { pruneToSchema } from './schema/prune.ts';
export { deleteReturnsObject } from './schema/resource-behaviour.ts';
