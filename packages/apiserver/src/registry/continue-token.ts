// The `continue` token of a paginated LIST, in Kubernetes' format: unpadded URL-safe base64 of
// {"v":"meta.k8s.io/v1","rv":<revision the first page was read at>,"start":"<key after the
// prefix>"}. Clients treat it as opaque, but a token from one apiserver works on another, and a
// damaged one is refused with the same words (prefixed "continue key is not valid").
import { isJsonObject, type JsonValue } from '@k8ts/api';
import { parseJsonStrict } from '@k8ts/api/validation/index.ts';

const VERSION = 'meta.k8s.io/v1';
const INVALID = 'continue key is not valid';

export class ContinueTokenError extends Error {}

export function encodeContinue(nextKey: string, keyPrefix: string, revision: number): string {
  const start = nextKey.slice(keyPrefix.length);
  return Buffer.from(JSON.stringify({ v: VERSION, rv: revision, start })).toString('base64url');
}

/** The store key to read from and the revision to read at; ContinueTokenError when malformed. */
export function decodeContinue(token: string, keyPrefix: string): { fromKey: string; revision: number } {
  const bytes = decodeRawUrlBase64(token);
  // Go's JSON scanner reads bytes: show a stray byte as that one character, not as U+FFFD.
  const fields = tokenFields(bytes.toString('latin1'));
  if (fields.v !== VERSION) throw new ContinueTokenError(`${INVALID}: server does not recognize this encoded version ${fields.v}`);
  if (fields.rv === 0) throw new ContinueTokenError(`${INVALID}: incorrect encoded start resourceVersion (version ${VERSION})`);
  if (fields.start === '') throw new ContinueTokenError(`${INVALID}: encoded start key empty (version ${VERSION})`);
  // A start key may not climb out of the listed prefix ("../secrets/…").
  const key = fields.start.startsWith('/') ? fields.start : `/${fields.start}`;
  if (cleanPath(key) !== key) throw new ContinueTokenError(`${INVALID}: ${fields.start}`);
  return { fromKey: keyPrefix + key.slice(1), revision: fields.rv };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Go's base64.RawURLEncoding.DecodeString: no padding, CR/LF ignored, errors name the byte. */
function decodeRawUrlBase64(text: string): Buffer {
  const input = Buffer.from(text, 'latin1');
  const corrupt = (at: number): never => {
    throw new ContinueTokenError(`${INVALID}: illegal base64 data at input byte ${at}`);
  };
  let quantum = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = String.fromCharCode(input[i]!);
    if (ch === '\n' || ch === '\r') continue;
    if (!ALPHABET.includes(ch)) corrupt(i);
    quantum = (quantum + 1) % 4;
  }
  if (quantum === 1) corrupt(input.length - 1);
  return Buffer.from(text.replace(/[\r\n]/g, ''), 'base64url');
}

interface TokenFields {
  v: string;
  rv: number;
  start: string;
}

/** json.Unmarshal into the token struct: Go's messages for bad JSON and wrongly typed fields. */
function tokenFields(text: string): TokenFields {
  let value: JsonValue;
  try {
    value = parseJsonStrict(text).value;
  } catch (err) {
    throw new ContinueTokenError(`${INVALID}: ${(err as Error).message}`);
  }
  const fields: TokenFields = { v: '', rv: 0, start: '' };
  if (value === null) return fields;
  if (!isJsonObject(value)) {
    throw new ContinueTokenError(`${INVALID}: json: cannot unmarshal ${jsonKind(value)} into Go value of type storage.continueToken`);
  }
  let firstError: string | undefined;
  const mismatch = (field: string, what: string, type: string) => {
    firstError ??= `json: cannot unmarshal ${what} into Go struct field continueToken.${field} of type ${type}`;
  };
  for (const [key, field] of Object.entries(value)) {
    // Go matches JSON keys to struct fields without regard to case.
    const name = key.toLowerCase();
    if (field === null) continue;
    if (name === 'v' || name === 'start') {
      if (typeof field === 'string') fields[name] = field;
      else mismatch(name, jsonKind(field), 'string');
    } else if (name === 'rv') {
      if (typeof field === 'number' && Number.isSafeInteger(field)) fields.rv = field;
      else mismatch('rv', typeof field === 'number' ? `number ${field}` : jsonKind(field), 'int64');
    }
  }
  if (firstError) throw new ContinueTokenError(`${INVALID}: ${firstError}`);
  return fields;
}

function jsonKind(value: JsonValue): string {
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** Go's path.Clean for a rooted path: no empty, "." or ".." elements, no trailing slash. */
function cleanPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
