// The scheduling framework: types, NodeInfo/Snapshot, the algorithm for one pod, FitError.
export * from './types.ts';
export * from './node-info.ts';
export * from './interfaces.ts';
export { Framework, type FrameworkConfig, type ScheduleOptions, type PreFilterRun } from './framework.ts';
export { FitError, NO_NODES_AVAILABLE, reasonHistogram } from './fit-error.ts';
export { numFeasibleNodesToFind, selectHostIndex, MIN_FEASIBLE_NODES_TO_FIND } from './feasible-nodes.ts';
export { podRequests, nodeAllocatable, DEFAULT_MILLI_CPU_REQUEST, DEFAULT_MEMORY_REQUEST } from './resources.ts';
export { ScheduleExplanation } from './explanation.ts';
