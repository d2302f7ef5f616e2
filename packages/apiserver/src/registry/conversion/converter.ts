// Resources served in more than one version are kept in the store in one of them (the storage
// version) and converted on the way in and out, as Kubernetes converts through its internal
// version: a write is converted before defaulting, admission, validation and storage; every read,
// list item and watch event is converted to the version the request names. Kinds whose versions
// share one shape need no converter; a converter is registered only where the shapes differ.
import type { KubeObject } from '@k8ts/api';
import { horizontalPodAutoscalerConverter } from './hpa.ts';

export interface ResourceConverter {
  /** the version objects are stored in */
  readonly storageVersion: string;
  /** `object`, written through the served `version`, as it is stored */
  toStorage(object: KubeObject, version: string): KubeObject;
  /** a stored `object` as served through `version` */
  fromStorage(object: KubeObject, version: string): KubeObject;
}

/** Converters by "group/resource". */
const CONVERTERS: ReadonlyMap<string, ResourceConverter> = new Map([['autoscaling/horizontalpodautoscalers', horizontalPodAutoscalerConverter]]);

/** The converter of a resource served in differing versions; undefined for all the others. */
export function converterFor(group: string, resource: string): ResourceConverter | undefined {
  return CONVERTERS.get(`${group}/${resource}`);
}
