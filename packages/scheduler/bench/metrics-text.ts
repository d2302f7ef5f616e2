// Reading the scheduler's /metrics (Prometheus text format 0.0.4): the samples of one metric
// with their labels, e.g. scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} 10000.

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function samplesOf(text: string, metric: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match || match[1] !== metric) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL)) labels[name!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ labels, value: Number(match[3]) });
  }
  return samples;
}

/** The metric's samples added up by the value of one label (e.g. attempts by "result"). */
export function sumByLabel(text: string, metric: string, label: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { labels, value } of samplesOf(text, metric)) {
    const key = labels[label] ?? '';
    sums.set(key, (sums.get(key) ?? 0) + value);
  }
  return sums;
}

/** What a counter grew by between two scrapes, per label value. */
export function counterGrowth(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)]));
}
