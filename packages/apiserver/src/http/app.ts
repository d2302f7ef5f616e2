// The fastify application: body parsing as kubectl needs it (any Content-Type, raw bytes,
// 3 MiB limit), Status errors for every failure, and the routes.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { schema } from '@k8ts/api';
import type { Authenticator } from '../authentication/authenticator.ts';
import type { ServiceAccountTokenIssuer } from '../authentication/token-issuer.ts';
import { registerDiscoveryRoutes } from '../handlers/discovery.ts';
import { handleResource } from '../handlers/resources.ts';
import { handleReview } from '../handlers/reviews.ts';
import { handleTokenRequest } from '../handlers/token-request.ts';
import { handleTokenReview } from '../handlers/token-review.ts';
import { registerSystemRoutes, type HealthCheck } from '../handlers/system.ts';
import type { ServerParts } from '../handlers/request-context.ts';
import { METRICS_API_GROUP } from '../metrics/metrics-api.ts';
import type { ResourceMetrics } from '../metrics/resource-metrics.ts';
import { isVirtual } from '../registry/resource-registry.ts';
import type { UserInfo } from '../registry/strategy.ts';
import type { Authorization } from '../authorization/authorization.ts';
import { authorizeRequest } from '../authorization/authorize-request.ts';
import { ApiError, errors } from './api-error.ts';
import type { Metrics } from './metrics.ts';
import { parseResourcePath } from './request-info.ts';

/** kube-apiserver's request body limit. */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export interface AppOptions {
  parts: ServerParts;
  metrics: Metrics;
  authenticator: Authenticator;
  /** signs TokenRequest tokens (serviceaccounts/token); absent without --service-account-signing-key-file */
  tokenIssuer?: ServiceAccountTokenIssuer;
  /** the authorizer chain (--authorization-mode) and the RBAC escalation checks */
  authorization: Authorization;
  checks: HealthCheck[];
  secure: boolean;
  serverAddress: () => string;
  https?: { key: Buffer; cert: Buffer; ca?: Buffer };
  /** metrics.k8s.io/v1beta1 (metrics-server's API), when the apiserver scrapes kubelets */
  resourceMetrics?: ResourceMetrics;
}

export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_REQUEST_BYTES,
    // Names and selectors may be long; kubectl's URLs must never be cut.
    routerOptions: { maxParamLength: 4096 },
    // A path fastify cannot decode (a bad %-escape) still gets a Status, like every failure.
    frameworkErrors: (error, _request, reply) => sendError(reply, errors.badRequest(error.message)),
    clientErrorHandler: answerUnparsableRequest,
    ...(options.https
      ? {
          https: {
            key: options.https.key,
            cert: options.https.cert,
            ...(options.https.ca ? { ca: options.https.ca, requestCert: true, rejectUnauthorized: false } : {}),
          },
        }
      : {}),
  }) as FastifyInstance;

  // Every body arrives as raw bytes; handlers decode by Content-Type (or its absence).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // fastify refuses a body whose Content-Type it cannot parse ("garbage", ";;;") before any
  // handler runs, while Kubernetes answers those from the handler (415). So every body is read as
  // raw bytes, and the header the client sent is put back for the handlers once it is read.
  app.addHook('onRequest', async (request) => {
    const sent = request.headers['content-type'];
    if (sent === undefined) return;
    (request as FastifyRequest & { sentContentType?: string }).sentContentType = sent;
    request.headers['content-type'] = 'application/octet-stream';
  });
  app.addHook('preValidation', async (request) => {
    const sent = (request as FastifyRequest & { sentContentType?: string }).sentContentType;
    if (sent !== undefined) request.headers['content-type'] = sent;
  });

  app.setErrorHandler((error: unknown, _request, reply) => sendError(reply, error));
  app.setNotFoundHandler((_request, reply) => sendError(reply, errors.notFoundPath()));

  app.addHook('onRequest', async (request) => {
    (request as FastifyRequest & { startedAt: bigint }).startedAt = process.hrtime.bigint();
    (request as FastifyRequest & { user: unknown }).user = await options.authenticator.authenticate(request.raw, options.secure);
  });
  // Authorization, for every route (health, discovery, OpenAPI too): impersonation is resolved,
  // then the chain must allow what the request asks, else 403.
  app.addHook('onRequest', async (request) => {
    const withUser = request as FastifyRequest & { user: UserInfo };
    const line = { method: request.method, url: request.url, rawHeaders: request.raw.rawHeaders };
    withUser.user = authorizeRequest(line, withUser.user, options.authorization.authorizer);
  });

  registerSystemRoutes(app, options.metrics, options.checks);
  registerDiscoveryRoutes(app, options.serverAddress, options.resourceMetrics ? [METRICS_API_GROUP] : []);
  options.resourceMetrics?.registerRoutes(app);

  const resourceRoute = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, 'http://apiserver');
    const info = parseResourcePath(request.method, url.pathname, url.searchParams);
    if (!info) throw errors.notFoundPath();
    const user = (request as FastifyRequest & { user: Awaited<ReturnType<Authenticator['authenticate']>> }).user;
    const started = (request as FastifyRequest & { startedAt: bigint }).startedAt;
    reply.raw.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.metrics.observeRequest(info.verb.toUpperCase(), info.group, info.resource, reply.statusCode, seconds);
    });
    const resource = schema.resourceFor(info.group, info.version, info.resource);
    if (!resource) throw errors.notFoundPath();
    if (resource.namespaced !== (info.namespace !== undefined) && !(resource.namespaced && !info.name && ['list', 'watch'].includes(info.verb))) {
      // A namespaced collection across all namespaces is only listed and watched: other methods on
      // that path are the router's 405; any other scope mismatch is a path that does not exist.
      if (resource.namespaced && !info.name) throw errors.methodNotAllowed();
      throw errors.notFoundPath();
    }
    if (resource.group === 'authentication.k8s.io' && resource.resource === 'tokenreviews') {
      await handleTokenReview(info, request, reply, options.authenticator);
      return;
    }
    if (isVirtual(resource)) {
      await handleReview(info, resource, request, reply, user, options.authorization.authorizer);
      return;
    }
    const store = options.parts.registry.store(info.group, info.version, info.resource);
    if (!store) throw errors.notFoundPath();
    if (info.verb === 'watch') {
      options.metrics.watchOpened(info.resource);
      reply.raw.once('close', () => options.metrics.watchClosed(info.resource));
    }
    const guarded = options.authorization.guardStore(store, { user, namespace: info.namespace ?? '', name: info.name ?? '' });
    const resourceRequest = { parts: options.parts, request, reply, info, store: guarded, query: url.searchParams, user };
    if (store.info.resource === 'serviceaccounts' && info.group === '' && info.subresource === 'token') {
      await handleTokenRequest(resourceRequest, options.tokenIssuer);
      return;
    }
    await handleResource(resourceRequest);
  };
  app.all('/api/*', resourceRoute);
  app.all('/apis/*', resourceRoute);
  return app;
}

function sendError(reply: FastifyReply, error: unknown): void {
  let apiError: ApiError;
  if (error instanceof ApiError) apiError = error;
  else if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    apiError = errors.tooLarge(`Request entity too large: limit is ${MAX_REQUEST_BYTES}`);
  } else if ((error as { statusCode?: number }).statusCode === 400) {
    apiError = errors.badRequest((error as Error).message);
  } else {
    // A store (gRPC) error carries etcd's own text in `details`; its message adds "14 UNAVAILABLE: ".
    const storeText = (error as { details?: unknown }).details;
    apiError = errors.internal(typeof storeText === 'string' && storeText ? storeText : ((error as Error)?.message ?? String(error)));
  }
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.end();
    return;
  }
  reply.code(apiError.code).header('Content-Type', 'application/json').send(JSON.stringify(apiError.toStatus()));
}

/**
 * Bytes that are not an HTTP request never reach a route; they still get a Status (fastify's
 * default answers its own JSON shape). The connection cannot be trusted after that: close it.
 */
function answerUnparsableRequest(error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = code === 400 ? 'BadRequest' : '';
  const body = JSON.stringify(new ApiError(code, reason, `the request could not be read as HTTP: ${error.message}`).toStatus());
  // A HEAD request gets the headers alone.
  const head = Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
  // As Node's own default does: answer unless a response on this connection is already under way
  // (a keep-alive connection may have served earlier requests).
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean; writableEnded?: boolean } })._httpMessage;
  if (socket.writable && !(inFlight?.headersSent && !inFlight.writableEnded)) {
    // end(), not destroy(): the answer must reach the client before the connection closes.
    socket.end(
      `HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
    );
    return;
  }
  socket.destroy(error);
}
