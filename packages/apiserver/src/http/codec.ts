// Request bodies in, JSON out. Kubernetes accepts JSON, YAML and its protobuf envelope for
// objects (kubectl 1.32+ sends protobuf for `kubectl create <kind>`, contract §4.6); a body
// without Content-Type is JSON (kubectl scale --current-replicas sends one, §0.10).
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '@k8ts/api';
import { parseJsonStrict } from '@k8ts/api/validation/index.ts';
import { decodeKubeProtobuf, ProtobufDecodeError } from '@k8ts/api/protobuf/index.ts';
import { ApiError, errors } from './api-error.ts';

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

/**
 * A body that could not be read as a typed object at all: its syntax, or its apiVersion/kind.
 * Handlers that know the kind wrap `problem` (Kubernetes' "the object provided is unrecognized").
 */
export class BodySyntaxError extends ApiError {
  constructor(readonly problem: string) {
    super(400, 'BadRequest', problem);
  }
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

/**
 * An object body (create/update); 415 for other media types. A body that does not parse at all
 * is a BodySyntaxError carrying the decoder's words (the caller names the kind it had to be).
 */
export function decodeObjectBody(contentType: string | undefined, body: Buffer | undefined): DecodedBody {
  const type = mediaType(contentType) || 'application/json';
  const bytes = body ?? Buffer.alloc(0);
  switch (type) {
    case 'application/json':
      try {
        return parseJsonStrict(bytes.toString('utf8'));
      } catch (err) {
        throw new BodySyntaxError(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
      }
    case 'application/yaml':
      try {
        return { value: parseYaml(bytes.toString('utf8'), { uniqueKeys: true }) as JsonValue, duplicateFields: [] };
      } catch (err) {
        // Go's YAML parser reports "yaml: line N: <problem>"; the problem is worded by our parser.
        const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
        const problem = (err as Error).message.split(/ at line \d+, column \d+:/)[0];
        throw new BodySyntaxError(`yaml: ${line ? `line ${line}: ` : ''}${problem}`);
      }
    case 'application/vnd.kubernetes.protobuf':
      try {
        return { value: decodeKubeProtobuf(bytes) as unknown as JsonValue, duplicateFields: [] };
      } catch (err) {
        if (!(err instanceof ProtobufDecodeError)) throw err;
        // Envelope problems ("protobuf body: …") leave the kind unknown, like Kubernetes' decoder.
        throw new BodySyntaxError(err.message.replace(/^protobuf body: /, ''));
      }
    default:
      throw errors.unsupportedMediaType(OBJECT_MEDIA_TYPES);
  }
}

export function patchMediaType(contentType: string | undefined): PatchMediaType {
  const type = mediaType(contentType);
  if ((PATCH_MEDIA_TYPES as readonly string[]).includes(type)) return type as PatchMediaType;
  throw errors.unsupportedPatchMediaType();
}
