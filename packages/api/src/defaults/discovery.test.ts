import { describe, expect, it } from 'vitest';
import { defaulted } from './test-support.ts';

describe('EndpointSlice defaults', () => {
  it('names unnamed ports "" and gives them the TCP protocol', () => {
    const out = defaulted({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'ngx-svc-abcde' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.10.1.87'] }],
      ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }],
    });
    expect(out.ports).toEqual([
      { port: 80, name: '', protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
    // conditions is a non-pointer struct: Go writes it even when empty.
    expect(out.endpoints).toEqual([{ addresses: ['10.10.1.87'], conditions: {} }]);
  });
});
