import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiV2 } from '@k8ts/api/openapi/v2/index.ts';
import { ifNoneMatchMatches, negotiateOpenApiV2, OPENAPI_V2_PROTOBUF_CONTENT_TYPE, registerOpenApiV2Route } from './openapi-v2.ts';

const KUBECTL_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  registerOpenApiV2Route(app);
  await app.ready();
});
afterAll(() => app.close());

const get = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/openapi/v2', headers });

describe('GET /openapi/v2', () => {
  it('answers kubectl\'s protobuf Accept with the gnostic bytes, labelled with the media type client-go can parse', async () => {
    const res = await get({ accept: KUBECTL_ACCEPT });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
    expect(res.rawPayload.equals(openApiV2().protobuf)).toBe(true);
    expect(res.headers.etag).toBe(`"${openApiV2().etag}"`);
    expect(res.headers.vary).toBe('Accept');
  });

  it('answers JSON, or no Accept at all, with the JSON document under the same ETag', async () => {
    for (const headers of [{ accept: 'application/json' }, {}, { accept: '*/*' }] as Record<string, string>[]) {
      const res = await get(headers);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toBe(openApiV2().json);
      expect(res.headers.etag).toBe(`"${openApiV2().etag}"`);
    }
  });

  it('answers 406 with no body when it cannot produce what the client accepts', async () => {
    const res = await get({ accept: 'application/yaml' });
    expect(res.statusCode).toBe(406);
    expect(res.body).toBe('');
  });

  it('answers 304 Not Modified when If-None-Match names the current ETag', async () => {
    const etag = `"${openApiV2().etag}"`;
    const res = await get({ accept: KUBECTL_ACCEPT, 'if-none-match': `"stale", ${etag}` });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe(etag);
    expect((await get({ accept: KUBECTL_ACCEPT, 'if-none-match': '"stale"' })).statusCode).toBe(200);
  });
});

describe('negotiation', () => {
  it('takes the best clause by q value and specificity, JSON for wildcards', () => {
    expect(negotiateOpenApiV2(undefined)).toBe('json');
    expect(negotiateOpenApiV2('application/*')).toBe('json');
    expect(negotiateOpenApiV2(KUBECTL_ACCEPT)).toBe('protobuf');
    expect(negotiateOpenApiV2('application/com.github.proto-openapi.spec.v2.v1.0+protobuf')).toBe('protobuf');
    expect(negotiateOpenApiV2(`application/json;q=0.5, ${KUBECTL_ACCEPT}`)).toBe('protobuf');
    expect(negotiateOpenApiV2(`*/*, ${KUBECTL_ACCEPT}`)).toBe('protobuf');
    expect(negotiateOpenApiV2('application/json, */*')).toBe('json');
    expect(negotiateOpenApiV2('text/html, image/png')).toBeUndefined();
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    expect(ifNoneMatchMatches('"A"', '"A"')).toBe(true);
    expect(ifNoneMatchMatches('W/"A"', '"A"')).toBe(true);
    expect(ifNoneMatchMatches('"B", "A"', '"A"')).toBe(true);
    expect(ifNoneMatchMatches('*', '"A"')).toBe(true);
    expect(ifNoneMatchMatches('"B"', '"A"')).toBe(false);
    expect(ifNoneMatchMatches(undefined, '"A"')).toBe(false);
  });
});
