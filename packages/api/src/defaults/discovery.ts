// discovery.k8s.io/v1 defaults (k8s.io/kubernetes pkg/apis/discovery/v1 defaults.go).
import { children, defaultPointer } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';

export const discoveryV1Defaulters: KindDefaulters = {
  EndpointSlice: (slice) => {
    // Both are pointers: an unnamed port is named "" explicitly, so consumers can match on it.
    for (const port of children(slice, 'ports')) {
      defaultPointer(port, 'name', '');
      defaultPointer(port, 'protocol', 'TCP');
    }
  },
};
