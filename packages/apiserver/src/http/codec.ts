// Request bodies in, JSON out. Kubernetes accepts JSON, YAML and its protobuf envelope for
// objects (kubectl 1.32+ sends protobuf for `kubectl create <kind>`, contract §4.6); a body
// without Content-Type is JSON (kubectl scale --current-replicas sends one, §0.10).
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '@k8ts/api';
import { parseJsonStrict } from '@k8ts/api/validation/index.ts';
import { decodeKubeProtobuf, ProtobufDecodeError } from '@k8ts/api/protobuf/index.ts';
import { errors } from './api-error.ts';

export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] as const;
export const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;
export type PatchMediaType = (typeof PATCH_MEDIA_TYPES)[number];

/** "application/json; charset=utf-8" → "application/json" */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export interface DecodedBody {
  value: JsonValue;
  /** keys that appeared twice in one JSON object (strict field validation reports them) */
  duplicateFields: string[];
}

export function decodeJsonText(text: string, what: string): DecodedBody {
  try {
    return parseJsonStrict(text);
  } catch (err) {
    throw errors.badRequest(`${what}: ${(err as Error).message}`);
  }
}

export function decodeYamlText(text: string, what: string): DecodedBody {
  try {
    return { value: parseYaml(text, { uniqueKeys: true }) as JsonValue, duplicateFields: [] };
  } catch (err) {
    throw errors.badRequest(`${what}: error converting YAML to JSON: ${(err as Error).message}`);
  }
}

/** An object body (create/update); 415 for other media types. */
export function decodeObjectBody(contentType: string | undefined, body: Buffer | undefined): DecodedBody {
  const type = mediaType(contentType) || 'application/json';
  const bytes = body ?? Buffer.alloc(0);
  switch (type) {
    case 'application/json':
      return decodeJsonText(bytes.toString('utf8'), "couldn't get version/kind; json parse error");
    case 'application/yaml':
      return decodeYamlText(bytes.toString('utf8'), 'the body of the request could not be decoded');
    case 'application/vnd.kubernetes.protobuf':
      try {
        return { value: decodeKubeProtobuf(bytes) as unknown as JsonValue, duplicateFields: [] };
      } catch (err) {
        if (err instanceof ProtobufDecodeError) throw errors.badRequest(`the body of the request could not be decoded as protobuf: ${err.message}`);
        throw err;
      }
    default:
      throw errors.unsupportedMediaType(type, OBJECT_MEDIA_TYPES);
  }
}

export function patchMediaType(contentType: string | undefined): PatchMediaType {
  const type = mediaType(contentType);
  if ((PATCH_MEDIA_TYPES as readonly string[]).includes(type)) return type as PatchMediaType;
  throw errors.unsupportedMediaType(type, PATCH_MEDIA_TYPES);
}
