// Discovery (contract §1): aggregated APIGroupDiscoveryList (v2 or v2beta1, chosen by the
// Accept header) for /api and /apis, the legacy documents otherwise, and the legacy per
// group-version resource lists, which kubectl also reads directly (scale, drain).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
  legacyApiGroup,
  legacyApiGroupList,
  legacyApiResourceList,
  legacyApiVersions,
  type ExtraGroup,
} from '@k8ts/api/discovery/index.ts';
import { errors } from '../http/api-error.ts';

/** Which aggregated discovery version the client accepts first, if any. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const range of (accept ?? '').split(',')) {
    const params = new Map(
      range
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('g') !== 'apidiscovery.k8s.io' || params.get('as') !== 'APIGroupDiscoveryList') continue;
    const v = params.get('v');
    if (v === 'v2' || v === 'v2beta1') return v;
  }
  return undefined;
}

function sendJson(reply: FastifyReply, body: unknown, contentType = 'application/json'): void {
  reply.code(200).header('Content-Type', contentType).send(JSON.stringify(body));
}

/** `extraGroups`: groups served besides the built-in ones (metrics.k8s.io when the resource metrics API is on). */
export function registerDiscoveryRoutes(app: FastifyInstance, serverAddress: () => string, extraGroups: readonly ExtraGroup[] = []): void {
  const root = (scope: 'api' | 'apis') => async (request: FastifyRequest, reply: FastifyReply) => {
    const version = aggregatedVersion(request.headers.accept);
    if (version) {
      reply.header('Vary', 'Accept');
      sendJson(reply, aggregatedDiscovery(scope, version, extraGroups), AGGREGATED_DISCOVERY_CONTENT_TYPE(version));
    } else {
      sendJson(reply, scope === 'api' ? legacyApiVersions(serverAddress()) : legacyApiGroupList(extraGroups));
    }
  };
  app.get('/api', root('api'));
  app.get('/apis', root('apis'));
  app.get('/api/:version', async (request, reply) => {
    const { version } = request.params as { version: string };
    const list = legacyApiResourceList('', version, extraGroups);
    if (!list) throw errors.notFoundPath();
    sendJson(reply, list);
  });
  app.get('/apis/:group', async (request, reply) => {
    const { group } = request.params as { group: string };
    const doc = legacyApiGroup(group, extraGroups);
    if (!doc) throw errors.notFoundPath();
    sendJson(reply, doc);
  });
  app.get('/apis/:group/:version', async (request, reply) => {
    const { group, version } = request.params as { group: string; version: string };
    const list = legacyApiResourceList(group, version, extraGroups);
    if (!list) throw errors.notFoundPath();
    sendJson(reply, list);
  });
}
