// What the scheduler serves on its secure port (--secure-port, default 10259): /healthz, /livez
// and /readyz for probes, /metrics for Prometheus, and GET /debug/scheduler/explain for the last
// decision about a pod (?namespace=NS&pod=NAME; without them, the pods it remembers).
import { METRICS_CONTENT_TYPE, type MetricsRegistry } from '@k8ts/controller-manager/metrics/registry.ts';
import type { Healthz } from '@k8ts/controller-manager/server/healthz.ts';
import { NOT_FOUND, type Handler, type Response } from '@k8ts/controller-manager/server/secure-serving.ts';
import type { DecisionLog } from '../debug/decision-log.ts';

export const EXPLAIN_PATH = '/debug/scheduler/explain';

export interface ServedParts {
  /** /healthz and /livez */
  health: Healthz;
  /** /readyz: also whether the informers have synced */
  ready: Healthz;
  metrics: MetricsRegistry;
  decisions: DecisionLog;
  /** where failing checks' reasons go (they are withheld from the caller) */
  logFailure(detail: string): void;
}

const JSON_TYPE = 'application/json';

function json(status: number, value: unknown): Response {
  return { status, contentType: JSON_TYPE, body: `${JSON.stringify(value, null, 2)}\n` };
}

function explain(decisions: DecisionLog, query: URLSearchParams): Response {
  const namespace = query.get('namespace');
  const pod = query.get('pod');
  if (namespace === null && pod === null) return json(200, { pods: decisions.keys() });
  if (!namespace || !pod) return json(400, { error: 'both the namespace and pod query parameters are required, e.g. ?namespace=default&pod=web-0' });
  const decision = decisions.get(namespace, pod);
  if (!decision) return json(404, { error: `no scheduling decision about pod ${namespace}/${pod} is remembered: it was never tried here, or too many others were tried since` });
  return json(200, decision);
}

/** The Healthz handler answers as /healthz; /livez and /readyz are the same checks under their own names. */
function probe(health: Healthz, endpoint: string, path: string, query: URLSearchParams, parts: ServedParts): Response | undefined {
  const answer = health.handle(`/healthz${path.slice(endpoint.length + 1)}`, query);
  if (!answer) return undefined;
  if (answer.logDetail) parts.logFailure(answer.logDetail.trimEnd().replace(/: healthz$/m, `: ${endpoint}`));
  const body = answer.body.replace(/healthz check (passed|failed)\n$/, `${endpoint} check $1\n`);
  return { status: answer.status, contentType: 'text/plain; charset=utf-8', body };
}

export function schedulerHandler(parts: ServedParts): Handler {
  return (method, url) => {
    if (method !== 'GET') return NOT_FOUND;
    const path = url.pathname;
    if (path === '/metrics') return { status: 200, contentType: METRICS_CONTENT_TYPE, body: parts.metrics.expose() };
    if (path === EXPLAIN_PATH) return explain(parts.decisions, url.searchParams);
    for (const [endpoint, health] of [
      ['healthz', parts.health],
      ['livez', parts.health],
      ['readyz', parts.ready],
    ] as const) {
      if (path === `/${endpoint}` || path.startsWith(`/${endpoint}/`)) return probe(health, endpoint, path, url.searchParams, parts) ?? NOT_FOUND;
    }
    return NOT_FOUND;
  };
}
