// OpenAPI v2 (Swagger 2.0) for the apiserver's /openapi/v2 endpoint: kubectl 1.27 and 1.28 read it,
// as gnostic protobuf, for client-side validation, strategic-merge patch metadata and explain.
export { openApiV2, buildSwaggerDocument, type OpenApiV2 } from './document.ts';
