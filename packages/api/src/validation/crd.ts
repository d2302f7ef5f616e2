// apiextensions.k8s.io/v1 CustomResourceDefinitions: name = plural.group, names, versions (exactly
// one storage version), and a structural schema for every version. CEL rules, defaults and
// conversion webhooks are not checked here.
//
// k8s validates the internal form, where a schema shared by all versions moves to spec.validation;
// error paths follow that (spec.validation.openAPIV3Schema… for a single-version CRD).
import type { JsonObject, JsonValue } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, errorText, forbidden, invalid, notSupported, required } from './field-error.ts';
import { go } from './go-format.ts';
import { listAt, objectAt, optionalObject, semanticEqual, stringAt, stringList } from './json.ts';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from './names.ts';
import type { NameRule } from './names.ts';
import { validateImmutable, validateObjectMetaGeneric, validateObjectMetaUpdateGeneric } from './object-meta.ts';

const SPEC = FieldPath.root('spec');
const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];

type Level = 'root' | 'item' | 'field';

/** The structural-schema invariants k8s reports most often, sorted by message as k8s sorts them. */
function structuralErrors(schema: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const walk = (s: JsonObject, level: Level, p: FieldPath) => {
    const type = stringAt(s.type);
    if (type === 'array' && !optionalObject(s.items)) errs.push(required(p.child('items'), 'must be specified'));
    const items = optionalObject(s.items);
    if (items) walk(items, 'item', p.child('items'));
    const properties = objectAt(s.properties);
    for (const key of Object.keys(properties)) walk(objectAt(properties[key]), 'field', p.child('properties').key(key));
    if (s.additionalProperties !== undefined && s.additionalProperties !== null && s.additionalProperties !== false && level === 'root') {
      errs.push(forbidden(p.child('additionalProperties'), 'must not be used at the root'));
    }
    const additional = optionalObject(s.additionalProperties);
    if (additional) walk(additional, 'field', p.child('additionalProperties'));
    const embedded = s['x-kubernetes-embedded-resource'] === true;
    if (embedded && type !== 'object') {
      errs.push(type === '' ? required(p.child('type'), 'must be object if x-kubernetes-embedded-resource is true') : invalid(p.child('type'), type, 'must be object if x-kubernetes-embedded-resource is true'));
    } else if (type === '' && s['x-kubernetes-int-or-string'] !== true && s['x-kubernetes-preserve-unknown-fields'] !== true) {
      const detail = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[level];
      errs.push(required(p.child('type'), detail));
    }
    if (level === 'root' && type !== '' && type !== 'object') errs.push(invalid(p.child('type'), type, 'must be object at the root'));
  };
  walk(schema, 'root', path);
  return errs.sort((a, b) => (errorText(a) < errorText(b) ? -1 : errorText(a) > errorText(b) ? 1 : 0));
}

/** Property types must be OpenAPI v3 types. */
function openAPITypeErrors(schema: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const walk = (s: JsonObject, p: FieldPath) => {
    const type = stringAt(s.type);
    if (type !== '' && !OPENAPI_TYPES.includes(type)) errs.push(notSupported(p.child('type'), type, OPENAPI_TYPES));
    const properties = objectAt(s.properties);
    for (const key of Object.keys(properties).sort()) walk(objectAt(properties[key]), p.child('properties').key(key));
    const items = optionalObject(s.items);
    if (items) walk(items, p.child('items'));
    const additional = optionalObject(s.additionalProperties);
    if (additional) walk(additional, p.child('additionalProperties'));
  };
  walk(schema, path);
  return errs;
}

function validateSchema(validation: JsonObject | undefined, path: FieldPath): FieldError[] {
  const schema = optionalObject(validation?.openAPIV3Schema);
  if (!schema) return [];
  const errs: FieldError[] = [];
  if (schema.nullable === true) errs.push(forbidden(path.child('openAPIV3Schema.nullable'), 'nullable cannot be true at the root'));
  errs.push(...structuralErrors(schema, path.child('openAPIV3Schema')));
  errs.push(...openAPITypeErrors(schema, path.child('openAPIV3Schema')));
  return errs;
}

function validateNames(names: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const joined = (problems: string[]) => problems.join(',');
  for (const field of ['plural', 'singular']) {
    const value = stringAt(names[field]);
    if (value !== '' && isDNS1035Label(value).length > 0) errs.push(invalid(path.child(field), value, joined(isDNS1035Label(value))));
  }
  for (const field of ['kind', 'listKind']) {
    const value = stringAt(names[field]);
    const problems = isDNS1035Label(value.toLowerCase());
    if (value !== '' && problems.length > 0) errs.push(invalid(path.child(field), value, `may have mixed case, but should otherwise match: ${joined(problems)}`));
  }
  stringList(names.shortNames).forEach((name, i) => {
    if (isDNS1035Label(name).length > 0) errs.push(invalid(path.child('shortNames').index(i), name, joined(isDNS1035Label(name))));
  });
  const kind = stringAt(names.kind);
  if (kind !== '' && kind === stringAt(names.listKind)) errs.push(invalid(path.child('listKind'), kind, 'kind and listKind may not be the same'));
  stringList(names.categories).forEach((name, i) => {
    if (isDNS1035Label(name).length > 0) errs.push(invalid(path.child('categories').index(i), name, joined(isDNS1035Label(name))));
  });
  return errs;
}

function validateColumns(columns: JsonValue | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  listAt(columns).forEach((item, i) => {
    const column = objectAt(item);
    const columnPath = path.index(i);
    if (stringAt(column.name) === '') errs.push(required(columnPath.child('name')));
    const type = stringAt(column.type);
    const detail = `must be one of ${COLUMN_TYPES.join(',')}`;
    if (type === '') errs.push(required(columnPath.child('type'), detail));
    else if (!COLUMN_TYPES.includes(type)) errs.push(invalid(columnPath.child('type'), type, detail));
    if (stringAt(column.jsonPath) === '') errs.push(required(columnPath.child('JSONPath')));
  });
  return errs;
}

/** Where each version's schema lives once k8s has converted the CRD to its internal form. */
function schemaLayout(versions: JsonObject[]): { shared: JsonObject | undefined } {
  const schemas = versions.map((v) => optionalObject(v.schema));
  const first = schemas[0];
  const identical = schemas.length > 0 && first !== undefined && schemas.every((s) => s !== undefined && semanticEqual(s, first));
  return { shared: identical ? first : undefined };
}

function validateSpec(spec: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const group = stringAt(spec.group);
  if (group === '') errs.push(required(SPEC.child('group')));
  else if (isDNS1123Subdomain(group).length > 0) errs.push(invalid(SPEC.child('group'), group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) errs.push(invalid(SPEC.child('group'), group, 'should be a domain with at least one dot'));
  const scope = stringAt(spec.scope);
  if (scope === '') errs.push(required(SPEC.child('scope')));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(notSupported(SPEC.child('scope'), scope, ['Cluster', 'Namespaced']));
  const versions = listAt(spec.versions).map(objectAt);
  const { shared } = schemaLayout(versions);
  if (!shared) {
    versions.forEach((v, i) => {
      if (!optionalObject(optionalObject(v.schema)?.openAPIV3Schema)) {
        errs.push(required(SPEC.child('versions').index(i).child('schema').child('openAPIV3Schema'), 'schemas are required'));
      }
    });
  }
  let storage = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((version, i) => {
    const versionPath = SPEC.child('versions').index(i);
    if (version.storage === true) storage++;
    const name = stringAt(version.name);
    if (seen.has(name)) unique = false;
    seen.add(name);
    const problems = isDNS1035Label(name);
    if (problems.length > 0) errs.push(invalid(versionPath.child('name'), name, problems.join(',')));
    if (!shared) errs.push(...validateSchema(optionalObject(version.schema), versionPath.child('schema')));
    errs.push(...validateColumns(version.additionalPrinterColumns, versionPath.child('additionalPrinterColumns')));
  });
  const versionsValue = go('[]apiextensions.CustomResourceDefinitionVersion{...}');
  if (!unique) errs.push(invalid(SPEC.child('versions'), versionsValue, 'must contain unique version names'));
  if (storage !== 1) errs.push(invalid(SPEC.child('versions'), versionsValue, 'must have exactly one version marked as storage version'));
  const names = objectAt(spec.names);
  for (const field of ['plural', 'singular', 'kind', 'listKind']) {
    if (stringAt(names[field]) === '') errs.push(required(SPEC.child('names', field)));
  }
  errs.push(...validateNames(names, SPEC.child('names')));
  if (shared) errs.push(...validateSchema(shared, SPEC.child('validation')));
  const conversion = optionalObject(spec.conversion);
  const strategy = stringAt(conversion?.strategy);
  if (conversion && strategy !== '' && strategy !== 'None' && spec.preserveUnknownFields === true) {
    errs.push(invalid(SPEC.child('conversion').child('strategy'), strategy, 'must be None if spec.preserveUnknownFields is true'));
  }
  if (conversion && strategy === '') errs.push(required(SPEC.child('conversion', 'strategy')));
  else if (conversion && strategy !== 'None' && strategy !== 'Webhook') errs.push(notSupported(SPEC.child('conversion', 'strategy'), strategy, ['None', 'Webhook']));
  return errs;
}

function crdNameRule(spec: JsonObject): NameRule {
  const expected = `${stringAt(objectAt(spec.names).plural)}.${stringAt(spec.group)}`;
  return (name, prefix) => {
    const problems = nameIsDNSSubdomain(name, prefix);
    if (name !== expected) problems.push('must be spec.names.plural+"."+spec.group');
    return problems;
  };
}

export function validateCustomResourceDefinition(crd: JsonObject): FieldError[] {
  const spec = objectAt(crd.spec);
  const errs = validateObjectMetaGeneric(objectAt(crd.metadata), false, crdNameRule(spec), FieldPath.root('metadata'));
  errs.push(...validateSpec(spec));
  return errs;
}

function isEstablished(crd: JsonObject): boolean {
  return listAt(objectAt(crd.status).conditions).some((c) => objectAt(c).type === 'Established' && objectAt(c).status === 'True');
}

export function validateCustomResourceDefinitionUpdate(crd: JsonObject, old: JsonObject): FieldError[] {
  const spec = objectAt(crd.spec);
  const oldSpec = objectAt(old.spec);
  const errs = validateObjectMetaUpdateGeneric(objectAt(crd.metadata), objectAt(old.metadata), FieldPath.root('metadata'));
  errs.push(...validateSpec(spec));
  if (isEstablished(old)) {
    errs.push(...validateImmutable(spec.scope, oldSpec.scope, SPEC.child('scope')));
    errs.push(...validateImmutable(objectAt(spec.names).kind, objectAt(oldSpec.names).kind, SPEC.child('names', 'kind')));
  }
  errs.push(...validateImmutable(spec.group, oldSpec.group, SPEC.child('group')));
  errs.push(...validateImmutable(objectAt(spec.names).plural, objectAt(oldSpec.names).plural, SPEC.child('names', 'plural')));
  return errs;
}
