// /version, health probes, /metrics and OpenAPI v3 — the endpoints that are not resources.
import type { FastifyInstance } from 'fastify';
import { openApiV3Document, openApiV3Index } from '@k8ts/api/openapi/index.ts';
import { errors } from '../http/api-error.ts';
import { registerOpenApiV2Route } from './openapi-v2.ts';
import type { Metrics } from '../http/metrics.ts';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-k8ts',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsx',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

export function registerSystemRoutes(app: FastifyInstance, metrics: Metrics, checks: HealthCheck[]): void {
  app.get('/version', async (_req, reply) => {
    reply.header('Content-Type', 'application/json').send(JSON.stringify(VERSION_INFO, null, 2));
  });

  // /healthz, /livez, /readyz answer "ok"; ?verbose lists each check like kube-apiserver.
  for (const probe of ['healthz', 'livez', 'readyz']) {
    const run = async (only: string | undefined, verbose: boolean) => {
      const lines: string[] = [];
      let failed = false;
      for (const c of checks) {
        if (only && c.name !== only) continue;
        try {
          await c.check();
          lines.push(`[+]${c.name} ok`);
        } catch (err) {
          failed = true;
          lines.push(`[-]${c.name} failed: ${(err as Error).message}`);
        }
      }
      const summary = failed ? `${probe} check failed` : 'ok';
      return { failed, text: verbose || failed ? `${lines.join('\n')}\n${summary}\n` : 'ok' };
    };
    app.get(`/${probe}`, async (request, reply) => {
      const verbose = (request.query as Record<string, unknown>).verbose !== undefined;
      const { failed, text } = await run(undefined, verbose);
      reply.code(failed ? 500 : 200).header('Content-Type', 'text/plain; charset=utf-8').send(text);
    });
    app.get(`/${probe}/:check`, async (request, reply) => {
      const { check } = request.params as { check: string };
      if (!checks.some((c) => c.name === check)) throw errors.notFoundPath();
      const { failed, text } = await run(check, false);
      reply.code(failed ? 500 : 200).header('Content-Type', 'text/plain; charset=utf-8').send(text);
    });
  }

  app.get('/metrics', async (_req, reply) => {
    reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
  });

  app.get('/openapi/v3', async (_req, reply) => {
    reply.header('Content-Type', 'application/json').send(JSON.stringify(openApiV3Index()));
  });
  app.get('/openapi/v3/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const doc = openApiV3Document(path);
    if (!doc) throw errors.notFoundPath();
    const hash = (request.query as Record<string, string>).hash;
    if (hash && hash !== doc.hash) {
      // A stale hash is redirected to the current document, as kube-openapi does.
      reply.redirect(`/openapi/v3/${path}?hash=${doc.hash}`, 301);
      return;
    }
    reply.header('Content-Type', 'application/json').header('Etag', `"${doc.hash}"`);
    if (hash) reply.header('Cache-Control', 'public, immutable');
    reply.send(doc.body);
  });
  // kubectl 1.27/1.28 validate and compute apply patches from v2 (as gnostic protobuf).
  registerOpenApiV2Route(app);
}
