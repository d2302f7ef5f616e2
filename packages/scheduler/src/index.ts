// @k8ts/scheduler: kube-scheduler. The framework and plugins (pure) and the scheduler process.
export * from './framework/index.ts';
export * from './plugins/index.ts';
// The scheduler process: queue, cache, scheduling loop, options, serving.
export { SchedulingQueue, podKey, type QueuedPodInfo, type PendingPods } from './queue/scheduling-queue.ts';
export { SchedulerCache } from './cache/scheduler-cache.ts';
export { CacheSnapshot } from './cache/cache-snapshot.ts';
export { Scheduler, type SchedulerDeps } from './scheduler/scheduler.ts';
export { DecisionLog, type Decision } from './debug/decision-log.ts';
export {
  parseSchedulerOptions,
  parseSchedulerConfiguration,
  SCHEDULER_HELP,
  DEFAULT_SCHEDULER_NAME,
  type SchedulerOptions,
  type SchedulingConfiguration,
} from './options/options.ts';
export { runScheduler, COMPONENT, type SchedulerEnvironment } from './run.ts';
