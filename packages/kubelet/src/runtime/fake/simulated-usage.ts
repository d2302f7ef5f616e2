// What a simulated container consumes. A hollow node runs no processes, so a pod says what its
// containers would use through two annotations, read whenever stats are taken (so `kubectl
// annotate pod … fake.k8ts.io/cpu-usage=800m --overwrite` changes the usage of a running pod):
//   fake.k8ts.io/cpu-usage     a CPU quantity for the whole pod ("250m", "1.5")
//   fake.k8ts.io/memory-usage  a memory quantity for the whole pod ("64Mi")
// Both are split evenly over the pod's running containers. Without them (or with a value that
// is not a quantity) a container uses no CPU and a small baseline of memory, like an idle process.
// Starting a process costs a little CPU time, so no running container's counter is ever zero
// (metrics-server discards a container whose cumulative CPU is zero as incomplete).
import { parseQuantity, type Quantity } from '@k8ts/api/quantity/index.ts';

export const CPU_USAGE_ANNOTATION = 'fake.k8ts.io/cpu-usage';
export const MEMORY_USAGE_ANNOTATION = 'fake.k8ts.io/memory-usage';

/** The working set of an idle simulated container. */
export const IDLE_CONTAINER_MEMORY_BYTES = 2 * 1024 * 1024;

/** The CPU time a simulated process spends starting, in core-nanoseconds (10 ms). */
export const CONTAINER_START_CPU_NANOS = 10_000_000;

export interface ContainerUsage {
  /** CPU in use, in nanocores (1 core = 1e9) */
  cpuNanoCores: number;
  memoryWorkingSetBytes: number;
}

function quantityOf(text: string | undefined): Quantity | undefined {
  if (text === undefined) return undefined;
  try {
    const q = parseQuantity(text.trim());
    return q.mantissa >= 0n ? q : undefined;
  } catch {
    return undefined;
  }
}

/** The quantity scaled by 10^shift, as a whole number (fractions below the unit dropped). */
function scaled(q: Quantity, shift: number): number {
  return Math.floor(Number(q.mantissa) * 10 ** (q.exponent + shift));
}

/** The usage of each of a pod's `runningContainers` running containers. */
export function containerUsage(annotations: Readonly<Record<string, string>>, runningContainers: number): ContainerUsage {
  const share = Math.max(1, runningContainers);
  const cpu = quantityOf(annotations[CPU_USAGE_ANNOTATION]);
  const memory = quantityOf(annotations[MEMORY_USAGE_ANNOTATION]);
  return {
    cpuNanoCores: cpu ? Math.floor(scaled(cpu, 9) / share) : 0,
    memoryWorkingSetBytes: memory ? Math.floor(scaled(memory, 0) / share) : IDLE_CONTAINER_MEMORY_BYTES,
  };
}
