// Asking a component whether it serves: the apiserver's /readyz (and other components' /healthz)
// over TLS, checked against the cluster CA and presenting the admin certificate, as `kubectl get
// --raw /readyz` with admin.kubeconfig would; the store through etcd's Maintenance.Status, which
// also tells which member leads.
import fs from 'node:fs';
import https from 'node:https';
import { clientConfig } from '@k8ts/client/client-config.ts';
import { parseKubeconfig } from '@k8ts/client/kubeconfig.ts';
import type { TlsClientConfig } from '@k8ts/client/rest-config.ts';
import { EtcdClient } from '@k8ts/store';
import type { Probe } from './cluster-record.ts';

export interface ProbeResult {
  ok: boolean;
  /** "ok", or what went wrong ("connection refused", "HTTP 500: [-]etcd failed") */
  detail: string;
}

export interface StoreMemberStatus {
  memberId: string;
  leaderId: string;
  role: 'leader' | 'follower' | 'learner';
  version: string;
  dbSize: number;
  raftTerm: string;
}

/** The CA, certificate and key admin.kubeconfig holds. */
export function adminTls(adminKubeconfig: string): TlsClientConfig {
  const readFile = (file: string) => fs.readFileSync(file, 'utf8');
  return clientConfig(parseKubeconfig(readFile(adminKubeconfig), adminKubeconfig), {}, { readFile }).restConfig.tls ?? {};
}

export async function probe(target: Probe, tls: () => TlsClientConfig, timeoutMs = 2_000): Promise<ProbeResult> {
  switch (target.kind) {
    case 'process':
      return { ok: true, detail: 'running' };
    case 'store':
      try {
        const status = await storeMemberStatus(target.endpoint, timeoutMs);
        const expected = BigInt(target.memberId).toString(16);
        if (status.memberId !== expected) return { ok: false, detail: `another store answers there (member ${status.memberId}, not ${expected})` };
        return { ok: true, detail: status.role };
      } catch (err) {
        return { ok: false, detail: describeError(err) };
      }
    case 'https':
      return httpsProbe(target.url, target.verify === 'cluster-ca' ? tls() : { insecure: true }, timeoutMs);
  }
}

export async function storeMemberStatus(endpoint: string, timeoutMs = 2_000): Promise<StoreMemberStatus> {
  const client = new EtcdClient(endpoint, { ownConnection: true });
  try {
    const status = await client.status({ deadline: Date.now() + timeoutMs });
    if (status.errors.length > 0) throw new Error(status.errors.join('; '));
    const memberId = BigInt(status.header.member_id).toString(16);
    const leaderId = BigInt(status.leader).toString(16);
    return {
      memberId,
      leaderId,
      role: status.isLearner ? 'learner' : memberId === leaderId ? 'leader' : 'follower',
      version: status.version,
      dbSize: Number(status.dbSize),
      raftTerm: status.raftTerm,
    };
  } finally {
    client.close();
  }
}

/** The names of the Nodes whose Ready condition is True, asked of the apiserver as the admin. */
export async function readyNodeNames(apiserver: string, tls: TlsClientConfig, timeoutMs = 5_000): Promise<string[]> {
  const body = await httpsGet(`${apiserver}/api/v1/nodes`, tls, timeoutMs);
  const list = JSON.parse(body) as { items?: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] };
  return (list.items ?? []).filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((n) => n.metadata.name);
}

function httpsGet(url: string, tls: TlsClientConfig, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca: tls.caData, cert: tls.certData, key: tls.keyData, timeout: timeoutMs, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${response.statusCode}: ${firstProblem(body)}`))));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

function httpsProbe(url: string, tls: TlsClientConfig, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const request = https.get(
      url,
      {
        ca: tls.caData,
        cert: tls.certData,
        key: tls.keyData,
        rejectUnauthorized: tls.insecure !== true,
        timeout: timeoutMs,
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          const ok = response.statusCode === 200;
          resolve({ ok, detail: ok ? 'ok' : `HTTP ${response.statusCode}: ${firstProblem(body)}` });
        });
        response.on('error', (err) => resolve({ ok: false, detail: describeError(err) }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on('error', (err) => resolve({ ok: false, detail: describeError(err) }));
  });
}

/** From a verbose health body, the failed checks ("[-]etcd failed: …"); else its first line. */
function firstProblem(body: string): string {
  const failed = body.split('\n').filter((line) => line.startsWith('[-]'));
  return (failed.length > 0 ? failed.join(', ') : body.split('\n')[0] ?? '').slice(0, 200);
}

/** A short reason for a failed probe: "connection refused" rather than a gRPC status dump. */
export function describeError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  const message = err instanceof Error ? err.message : String(err);
  // grpc-js: "14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED ..."
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/DEADLINE_EXCEEDED/.test(message)) return 'no answer in time';
  return message.split('\n')[0]!.slice(0, 200);
}
