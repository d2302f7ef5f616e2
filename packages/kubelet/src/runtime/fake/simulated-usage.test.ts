import { describe, expect, it } from 'vitest';
import { containerUsage, CPU_USAGE_ANNOTATION, IDLE_CONTAINER_MEMORY_BYTES, MEMORY_USAGE_ANNOTATION } from './simulated-usage.ts';

describe('containerUsage', () => {
  it('splits the pod usage evenly over its running containers', () => {
    const annotations = { [CPU_USAGE_ANNOTATION]: '500m', [MEMORY_USAGE_ANNOTATION]: '64Mi' };
    expect(containerUsage(annotations, 1)).toEqual({ cpuNanoCores: 500_000_000, memoryWorkingSetBytes: 64 * 1024 * 1024 });
    expect(containerUsage(annotations, 2)).toEqual({ cpuNanoCores: 250_000_000, memoryWorkingSetBytes: 32 * 1024 * 1024 });
  });

  it('reads whole cores and decimal units', () => {
    expect(containerUsage({ [CPU_USAGE_ANNOTATION]: '1.5', [MEMORY_USAGE_ANNOTATION]: '100M' }, 1)).toEqual({ cpuNanoCores: 1_500_000_000, memoryWorkingSetBytes: 100_000_000 });
  });

  it('is idle without the annotations or with values that are not quantities', () => {
    const idle = { cpuNanoCores: 0, memoryWorkingSetBytes: IDLE_CONTAINER_MEMORY_BYTES };
    expect(containerUsage({}, 1)).toEqual(idle);
    expect(containerUsage({ [CPU_USAGE_ANNOTATION]: 'lots', [MEMORY_USAGE_ANNOTATION]: '-5Mi' }, 3)).toEqual(idle);
  });
});
