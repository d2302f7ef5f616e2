// GET /openapi/v2: the cluster's Swagger 2.0 document, negotiated like kube-openapi's handler.
// kubectl 1.27/1.28 ask for it with Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf
// and decode the body as gnostic protobuf (validation, apply patches, explain); anything else
// that asks for JSON (or sends no Accept) gets JSON. The protobuf answer is labelled with the
// dotted spelling "...spec.v2.v1.0+protobuf": "@" is not allowed in a media type, and client-go
// rejects the whole response ("mime: unexpected content after media subtype") if it sees one.
// Both encodings share one ETag (the SHA-512 of the JSON), since the answer varies by Accept.
import type { FastifyInstance } from 'fastify';
import { openApiV2 } from '@k8ts/api/openapi/v2/index.ts';

export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export type OpenApiV2Format = 'json' | 'protobuf';

/** What kube-openapi serves, in its order of preference for wildcards: JSON first. */
const OFFERS: readonly { type: string; subtype: string; format: OpenApiV2Format }[] = [
  { type: 'application', subtype: 'json', format: 'json' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', format: 'protobuf' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', format: 'protobuf' },
];

interface AcceptClause {
  type: string;
  subtype: string;
  q: number;
  params: number;
}

/** Accept clauses best first: higher q, then a concrete type or subtype before a wildcard, then more parameters. */
function parseAccept(accept: string): AcceptClause[] {
  const clauses = accept.split(',').flatMap((part): AcceptClause[] => {
    const [range, ...rawParams] = part.split(';').map((s) => s.trim());
    if (range === '') return [];
    const [type, subtype = '*'] = range.split('/', 2);
    let q = 1;
    let params = 0;
    for (const p of rawParams) {
      const [key, value = ''] = p.split('=', 2).map((s) => s.trim());
      if (key === 'q') q = Number.parseFloat(value) || 0;
      else params++;
    }
    return [{ type, subtype, q, params }];
  });
  const wild = (s: string) => (s === '*' ? 1 : 0);
  return clauses.sort((a, b) => b.q - a.q || wild(a.type) - wild(b.type) || wild(a.subtype) - wild(b.subtype) || b.params - a.params);
}

/** The encoding to answer an Accept header with; undefined means 406 Not Acceptable. A missing Accept is * / *. */
export function negotiateOpenApiV2(accept: string | undefined): OpenApiV2Format | undefined {
  for (const clause of parseAccept(accept || '*/*')) {
    for (const offer of OFFERS) {
      if ((clause.type === offer.type || clause.type === '*') && (clause.subtype === offer.subtype || clause.subtype === '*')) return offer.format;
    }
  }
  return undefined;
}

/** Whether an If-None-Match header names the entity tag (weak comparison, as for GET in net/http). */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

export function registerOpenApiV2Route(app: FastifyInstance): void {
  app.get('/openapi/v2', async (request, reply) => {
    reply.header('Vary', 'Accept');
    const format = negotiateOpenApiV2(request.headers.accept);
    if (!format) {
      reply.code(406).send();
      return;
    }
    const document = openApiV2();
    const etag = `"${document.etag}"`;
    reply.header('Etag', etag);
    if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) {
      reply.code(304).send();
      return;
    }
    reply.header('Content-Type', format === 'json' ? 'application/json' : OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
    reply.send(format === 'json' ? document.json : document.protobuf);
  });
}
