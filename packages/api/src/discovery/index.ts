// Discovery documents, derived from the schema registry's resources and group versions plus any
// groups the apiserver adds at run time (CRDs, metrics.k8s.io).
export {
  aggregatedDiscovery,
  aggregatedVersionFor,
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  type AggregatedVersion,
} from './aggregated.ts';
export { legacyApiVersions, legacyApiGroupList, legacyApiGroup, legacyApiResourceList } from './legacy.ts';
export { servedGroups, compareKubeVersions, type ServedGroup, type ExtraGroup } from './groups.ts';
