// Prometheus text metrics (GET /metrics): request counts and latency histograms by
// verb/resource/code, open watches, and store latency — the names kube-apiserver uses.

const BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

class Histogram {
  readonly counts = new Array<number>(BUCKETS.length).fill(0);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.counts[i]!++;
  }
}

function labels(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly storeLatency = new Map<string, Histogram>();
  private watches = new Map<string, number>();

  observeRequest(verb: string, group: string, resource: string, code: number, seconds: number): void {
    const requestKey = labels({ verb, group, resource, code: String(code) });
    this.requests.set(requestKey, (this.requests.get(requestKey) ?? 0) + 1);
    const latencyKey = labels({ verb, group, resource });
    let h = this.latency.get(latencyKey);
    if (!h) this.latency.set(latencyKey, (h = new Histogram()));
    h.observe(seconds);
  }

  observeStore(operation: string, seconds: number): void {
    let h = this.storeLatency.get(operation);
    if (!h) this.storeLatency.set(operation, (h = new Histogram()));
    h.observe(seconds);
  }

  watchOpened(resource: string): void {
    this.watches.set(resource, (this.watches.get(resource) ?? 0) + 1);
  }

  watchClosed(resource: string): void {
    this.watches.set(resource, (this.watches.get(resource) ?? 1) - 1);
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP apiserver_request_total Counter of apiserver requests broken out by verb, group, resource and HTTP response code.');
    out.push('# TYPE apiserver_request_total counter');
    for (const [key, n] of this.requests) out.push(`apiserver_request_total{${key}} ${n}`);
    renderHistogram(out, 'apiserver_request_duration_seconds', 'Response latency distribution in seconds for each verb, group and resource.', this.latency, (k) => k);
    out.push('# HELP apiserver_registered_watchers Number of currently registered watchers for a given resource.');
    out.push('# TYPE apiserver_registered_watchers gauge');
    for (const [resource, n] of this.watches) out.push(`apiserver_registered_watchers{${labels({ resource })}} ${n}`);
    renderHistogram(out, 'etcd_request_duration_seconds', 'Store request latency in seconds for each operation.', this.storeLatency, (op) => labels({ operation: op }));
    return out.join('\n') + '\n';
  }
}

function renderHistogram(out: string[], name: string, help: string, series: Map<string, Histogram>, labelText: (key: string) => string): void {
  out.push(`# HELP ${name} ${help}`);
  out.push(`# TYPE ${name} histogram`);
  for (const [key, h] of series) {
    const base = labelText(key);
    const sep = base ? ',' : '';
    BUCKETS.forEach((le, i) => out.push(`${name}_bucket{${base}${sep}le="${le}"} ${h.counts[i]}`));
    out.push(`${name}_bucket{${base}${sep}le="+Inf"} ${h.count}`);
    out.push(`${name}_sum{${base}} ${h.sum}`);
    out.push(`${name}_count{${base}} ${h.count}`);
  }
}
