// ConfigMaps and Secrets: key names, the 1 MiB size limit, Secret types' required keys, and the
// `immutable` flag.
import type { JsonObject, JsonValue } from '../../object.ts';
import { isJsonObject } from '../../object.ts';
import { parseJsonStrict } from '../json-strict.ts';
import type { FieldError } from '../field-error.ts';
import { FieldPath, forbidden, invalid, invalidEach, required, tooLong } from '../field-error.ts';
import { objectAt, semanticEqual, sortedEntries, stringAt } from '../json.ts';
import { byteLength, isConfigMapKey, nameIsDNSSubdomain } from '../names.ts';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from '../object-meta.ts';

const MAX_SECRET_SIZE = 1024 * 1024;
const DATA = FieldPath.root('data');
const IMMUTABLE_DETAIL = 'field is immutable when `immutable` is set';

/** Secret data as the Go type holds it: base64 values decoded, stringData merged over data. */
function secretData(secret: JsonObject): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  for (const [key, value] of sortedEntries(secret.data)) data.set(key, Buffer.from(stringAt(value), 'base64'));
  for (const [key, value] of sortedEntries(secret.stringData)) data.set(key, Buffer.from(stringAt(value), 'utf8'));
  return new Map([...data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Why Go's json.Unmarshal into a map[string]interface{} would reject these bytes, if it would. */
function jsonObjectProblem(bytes: Buffer): string | undefined {
  let parsed: JsonValue;
  try {
    parsed = parseJsonStrict(bytes.toString('utf8')).value;
  } catch (err) {
    return (err as Error).message;
  }
  if (parsed === null || isJsonObject(parsed)) return undefined;
  const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

export function validateSecret(secret: JsonObject): FieldError[] {
  const meta = objectAt(secret.metadata);
  const errs = validateObjectMeta(meta, true, nameIsDNSSubdomain);
  const data = secretData(secret);
  let total = 0;
  for (const [key, value] of data) {
    errs.push(...invalidEach(DATA.key(key), key, isConfigMapKey(key)));
    total += value.length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(DATA, MAX_SECRET_SIZE));
  const annotations = objectAt(meta.annotations);
  switch (stringAt(secret.type)) {
    case 'kubernetes.io/service-account-token':
      if (stringAt(annotations['kubernetes.io/service-account.name']) === '') {
        errs.push(required(FieldPath.root('metadata', 'annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = stringAt(secret.type) === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      const value = data.get(key);
      if (!value) errs.push(required(DATA.key(key)));
      else {
        const problem = jsonObjectProblem(value);
        if (problem) errs.push(invalid(DATA.key(key), '<secret contents redacted>', problem));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!data.has('username') && !data.has('password')) {
        errs.push(required(DATA.key('username')), required(DATA.key('password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if ((data.get('ssh-privatekey')?.length ?? 0) === 0) errs.push(required(DATA.key('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!data.has('tls.crt')) errs.push(required(DATA.key('tls.crt')));
      if (!data.has('tls.key')) errs.push(required(DATA.key('tls.key')));
      break;
  }
  return errs;
}

export function validateSecretUpdate(secret: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(secret.metadata), objectAt(old.metadata));
  errs.push(...validateImmutable(secret.type, old.type, FieldPath.root('type')));
  if (old.immutable === true) {
    if (secret.immutable !== true) errs.push(forbidden(FieldPath.root('immutable'), IMMUTABLE_DETAIL));
    const now = secretData(secret);
    const before = secretData(old);
    const same = now.size === before.size && [...now].every(([k, v]) => before.get(k)?.equals(v) === true);
    if (!same) errs.push(forbidden(DATA, IMMUTABLE_DETAIL));
  }
  errs.push(...validateSecret(secret));
  return errs;
}

export function validateConfigMap(configMap: JsonObject): FieldError[] {
  const errs = validateObjectMeta(objectAt(configMap.metadata), true, nameIsDNSSubdomain);
  const binary = objectAt(configMap.binaryData);
  let total = 0;
  for (const [key, value] of sortedEntries(configMap.data)) {
    errs.push(...invalidEach(DATA.key(key), key, isConfigMapKey(key)));
    if (key in binary) errs.push(invalid(DATA.key(key), key, 'duplicate of key present in binaryData'));
    total += byteLength(stringAt(value));
  }
  for (const [key, value] of sortedEntries(binary)) {
    errs.push(...invalidEach(FieldPath.root('binaryData').key(key), key, isConfigMapKey(key)));
    total += Buffer.from(stringAt(value), 'base64').length;
  }
  // k8s reports the whole object here, with an empty field path.
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(FieldPath.root(), MAX_SECRET_SIZE));
  return errs;
}

export function validateConfigMapUpdate(configMap: JsonObject, old: JsonObject): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(configMap.metadata), objectAt(old.metadata));
  if (old.immutable === true) {
    if (configMap.immutable !== true) errs.push(forbidden(FieldPath.root('immutable'), IMMUTABLE_DETAIL));
    if (!semanticEqual(configMap.data, old.data)) errs.push(forbidden(DATA, IMMUTABLE_DETAIL));
    if (!semanticEqual(configMap.binaryData, old.binaryData)) errs.push(forbidden(FieldPath.root('binaryData'), IMMUTABLE_DETAIL));
  }
  errs.push(...validateConfigMap(configMap));
  return errs;
}
