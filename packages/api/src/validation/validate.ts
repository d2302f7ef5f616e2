// The apiserver's create and update validation (k8s.io/apiserver rest.BeforeCreate/BeforeUpdate):
// the kind's own checks, then what every object must satisfy to be stored.
import type { JsonObject } from '../object.ts';
import type { KubeObject } from '../object.ts';
import type { GroupVersionKind, ResourceInfo } from '../schema/types.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath } from './field-error.ts';
import { objectAt } from './json.ts';
import { pathSegmentName } from './names.ts';
import { validateObjectMetaGeneric, validateObjectMetaUpdateGeneric } from './object-meta.ts';
import { kindValidator } from './kinds.ts';

const METADATA = FieldPath.root('metadata');

function asJson(obj: KubeObject): JsonObject {
  return obj as unknown as JsonObject;
}

/** Create: the kind's checks first; only when they pass, the generic metadata checks (so the
 *  kind-specific message wins, e.g. a DNS-1123 name error rather than a path-segment one). */
export function validateCreate(gvk: GroupVersionKind, resource: ResourceInfo, obj: KubeObject): FieldError[] {
  const errs = kindValidator(gvk)?.create(asJson(obj), gvk) ?? [];
  if (errs.length > 0) return errs;
  return validateObjectMetaGeneric(objectAt(asJson(obj).metadata), resource.namespaced, pathSegmentName, METADATA);
}

/** Update: the metadata checks every object gets (including immutable name, namespace, uid …),
 *  then the kind's update checks. k8s reports both lists, repeats included. */
export function validateUpdate(gvk: GroupVersionKind, resource: ResourceInfo, obj: KubeObject, old: KubeObject): FieldError[] {
  const meta = objectAt(asJson(obj).metadata);
  const errs = validateObjectMetaGeneric(meta, resource.namespaced, pathSegmentName, METADATA);
  errs.push(...validateObjectMetaUpdateGeneric(meta, objectAt(asJson(old).metadata), METADATA));
  errs.push(...(kindValidator(gvk)?.update(asJson(obj), asJson(old), gvk) ?? []));
  return errs;
}
