// OpenAPI v3 for the apiserver's /openapi/v3 endpoints (kubectl apply/create/replace validation,
// client-side apply merge metadata, kubectl explain).
export { openApiV3Index, openApiV3Document, buildGroupVersionDocument, OPENAPI_INFO_VERSION, type OpenApiDocument } from './document.ts';
