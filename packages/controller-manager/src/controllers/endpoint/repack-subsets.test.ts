import { describe, expect, it } from 'vitest';
import type { EndpointAddress } from '../endpointslice/util/types.ts';
import { repackSubsets } from './repack-subsets.ts';

const addr = (ip: string, uid = ''): EndpointAddress => ({ ip, ...(uid ? { targetRef: { kind: 'Pod', namespace: 'ns', name: uid, uid } } : {}) });
const http = { name: 'http', port: 80, protocol: 'TCP' };
const https = { name: 'https', port: 443, protocol: 'TCP' };

describe('repackSubsets', () => {
  it('merges ports served by the same addresses into one subset, sorted', () => {
    expect(
      repackSubsets([
        { addresses: [addr('10.0.0.2', 'b')], ports: [https] },
        { addresses: [addr('10.0.0.1', 'a')], ports: [http] },
        { addresses: [addr('10.0.0.2', 'b')], ports: [http] },
        { addresses: [addr('10.0.0.1', 'a')], ports: [https] },
      ]),
    ).toEqual([{ addresses: [addr('10.0.0.1', 'a'), addr('10.0.0.2', 'b')], ports: [http, https] }]);
  });

  it('keeps addresses apart by pod uid, lets not-ready win, and keeps port-less addresses', () => {
    const repacked = repackSubsets([
      { addresses: [addr('10.0.0.1', 'a')], ports: [http] },
      { notReadyAddresses: [addr('10.0.0.1', 'a')], ports: [http] },
      { addresses: [addr('10.0.0.1', 'z')], ports: [http] },
      { addresses: [addr('10.0.0.9', 'h')] },
    ]);
    expect(repacked).toEqual([
      { addresses: [addr('10.0.0.1', 'z')], notReadyAddresses: [addr('10.0.0.1', 'a')], ports: [http] },
      { addresses: [addr('10.0.0.9', 'h')] },
    ]);
  });

  it('splits addresses that serve different port sets', () => {
    const repacked = repackSubsets([
      { addresses: [addr('10.0.0.1', 'a')], ports: [http, https] },
      { addresses: [addr('10.0.0.2', 'b')], ports: [http] },
    ]);
    expect(repacked).toEqual([
      { addresses: [addr('10.0.0.1', 'a'), addr('10.0.0.2', 'b')], ports: [http] },
      { addresses: [addr('10.0.0.1', 'a')], ports: [https] },
    ]);
  });
});
