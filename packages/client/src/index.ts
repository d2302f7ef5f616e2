// @k8ts/client: the client-go of k8ts — how every component talks to the apiserver.
//   configuration   kubeconfig files, flags, in-cluster → RestConfig
//   REST            RestClient (throttled, retrying, Status errors) → ResourceClient per resource
//   watching        Watch streams; Reflector → SharedIndexInformer (cache + handlers) → Lister
//   controllers     WorkQueue → DelayingQueue → RateLimitingQueue, rate limiters
//   coordination    LeaderElector over a Lease; EventRecorder for core/v1 Events
export * from './clock.ts';
export * from './logger.ts';
export * from './token-bucket.ts';
export * from './backoff.ts';
export * from './go-duration.ts';

export * from './rest-config.ts';
export * from './kubeconfig.ts';
export * from './client-config.ts';
export * from './in-cluster.ts';

export * from './errors.ts';
export * from './request-error.ts';
export * from './options.ts';
export * from './paths.ts';
export * from './transport.ts';
export * from './response.ts';
export * from './rest-client.ts';
export * from './resource-client.ts';

export * from './json-frames.ts';
export * from './watch.ts';
export * from './store.ts';
export * from './lister.ts';
export * from './list-watch.ts';
export * from './reflector.ts';
export * from './informer.ts';
export * from './informer-factory.ts';

export * from './workqueue.ts';
export * from './delaying-queue.ts';
export * from './rate-limiters.ts';
export * from './rate-limiting-queue.ts';

export * from './lease-lock.ts';
export * from './leader-election.ts';
export * from './event-correlator.ts';
export * from './events.ts';
