// Resources that are questions, not objects: SelfSubjectReview (`kubectl auth whoami`) and
// SelfSubjectAccessReview (`kubectl auth can-i`). Nothing is stored; the answer is the body.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceInfo } from '@k8ts/api';
import { errors } from '../http/api-error.ts';
import type { RequestInfo } from '../http/request-info.ts';
import type { UserInfo } from '../registry/strategy.ts';
import { decodeTypedBody } from './decode-object.ts';

export interface Authorizer {
  /** the decision and its reason for `user` doing `attributes` */
  authorize(user: UserInfo, attributes: Record<string, unknown>): Promise<{ allowed: boolean; reason: string }>;
}

export async function handleReview(
  info: RequestInfo,
  resource: ResourceInfo,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserInfo,
  authorizer: Authorizer,
): Promise<void> {
  if (info.verb !== 'create' || info.name) throw errors.methodNotAllowed();
  const expected = { group: resource.group, version: resource.version, kind: resource.kind };
  const review = decodeTypedBody(request.headers['content-type'], request.body as Buffer, expected, 'Ignore', { warnings: [] });
  const userInfo = {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: [...user.groups],
    ...(user.extra ? { extra: user.extra } : {}),
  };
  let status: Record<string, unknown>;
  switch (resource.resource) {
    case 'selfsubjectreviews':
      status = { userInfo };
      break;
    case 'selfsubjectaccessreviews': {
      const spec = (review.spec ?? {}) as { resourceAttributes?: Record<string, unknown>; nonResourceAttributes?: Record<string, unknown> };
      const decision = await authorizer.authorize(user, spec.resourceAttributes ?? spec.nonResourceAttributes ?? {});
      status = { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
      break;
    }
    default:
      throw errors.methodNotAllowed();
  }
  const answer = {
    kind: resource.kind,
    apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
    metadata: { creationTimestamp: null },
    ...(review.spec !== undefined ? { spec: review.spec } : {}),
    status,
  };
  reply.code(201).header('Content-Type', 'application/json').send(JSON.stringify(answer));
}
