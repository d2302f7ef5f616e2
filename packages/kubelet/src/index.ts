// @k8ts/kubelet: the node agent. A runtime-neutral container runtime interface (runtime/), the
// fake runtime behind hollow nodes (runtime/fake/), per-pod workers computing the status a
// kubelet reports (pod/), the status manager writing it (status/), node registration, lease and
// status heartbeats (node/), the kubelet's HTTPS API (server/) with its resource metrics
// (stats/), and the host running one node or thousands (node-host.ts).
export * from './runtime/runtime.ts';
export { FakeRuntime, FAKE_RUNTIME_NAME, FAKE_RUNTIME_VERSION, type FakeRuntimeOptions } from './runtime/fake/fake-runtime.ts';
export { EXIT_AFTER_ANNOTATION, EXIT_CODE_ANNOTATION, exitPlanFor, type ExitPlan } from './runtime/fake/exit-plan.ts';
export { runNodeHost, type NodeHostOptions, type KubeletServerSettings } from './node-host.ts';
export { CPU_USAGE_ANNOTATION, MEMORY_USAGE_ANNOTATION } from './runtime/fake/simulated-usage.ts';
export { Kubelet, type KubeletDeps } from './kubelet.ts';
export { nodeConfigFor, hollowNodeConfigs, type NodeSettings } from './node/node-config.ts';
export { DEFAULT_HEARTBEAT_TIMING, NODE_LEASE_NAMESPACE, type HeartbeatTiming } from './node/heartbeat.ts';
export { KUBELET_VERSION, type NodeConfig } from './node/node-object.ts';
