// Shared by the defaulting tests: defaults a manifest the way the apiserver would on create.
import type { KubeObject } from '../object.ts';
import { parseApiVersion } from '../schema/types.ts';
import { applyDefaults } from './index.ts';

/** A defaulted copy of `manifest` (its apiVersion and kind say which defaults apply). */
export function defaulted(manifest: KubeObject): KubeObject {
  const obj = structuredClone(manifest);
  applyDefaults({ ...parseApiVersion(obj.apiVersion ?? ''), kind: obj.kind ?? '' }, obj);
  return obj;
}
