// The kubelet's --node-labels and --register-with-taints values, parsed with its rules and errors.

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** "key=value:Effect" or "key:Effect", comma-separated (the kubelet's taint flag syntax). */
export function parseTaints(specs: string[]): Taint[] {
  return specs
    .filter((s) => s.trim() !== '')
    .map((spec) => {
      const colon = spec.lastIndexOf(':');
      if (colon === -1) throw new Error(`invalid taint spec: ${spec}`);
      const effect = spec.slice(colon + 1);
      if (!EFFECTS.has(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
      const [key, value] = spec.slice(0, colon).split('=', 2) as [string, string | undefined];
      if (!key) throw new Error(`invalid taint spec: ${spec}`);
      return { key, ...(value ? { value } : {}), effect: effect as Taint['effect'] };
    });
}

/** "k1=v1,k2=" → labels; a label without "=" is an error, as mapStringString reports it. */
export function parseNodeLabels(specs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const spec of specs) {
    if (spec.trim() === '') continue;
    const eq = spec.indexOf('=');
    if (eq === -1) throw new Error(`malformed pair, expect string=string: ${JSON.stringify(spec)}`);
    labels[spec.slice(0, eq).trim()] = spec.slice(eq + 1).trim();
  }
  return labels;
}
