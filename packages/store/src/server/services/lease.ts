// etcdserverpb.Lease: grants and revocations are replicated; keep-alives and time-to-live
// are answered by the leader from its lessor.
import type * as grpc from '@grpc/grpc-js';
import { MAX_LEASE_TTL } from '../../lease/lessor.ts';
import { Errors } from '../errors.ts';
import type { EtcdServer } from '../etcd-server.ts';
import { idString, num, type Int64 } from '../requests.ts';
import { unary } from './unary.ts';

export function leaseService(server: EtcdServer) {
  return {
    LeaseGrant: unary(async (r: { TTL: Int64; ID: Int64 }) => {
      if (num(r.TTL) > MAX_LEASE_TTL) throw Errors.leaseTtlTooLarge();
      const id = idString(r.ID) === '0' ? server.newLeaseId() : idString(r.ID);
      const { response, revision } = await server.propose({ lease_grant: { ID: id, TTL: r.TTL } });
      return { header: server.header(revision), ...response, error: '' };
    }),
    LeaseRevoke: unary(async (r: { ID: Int64 }) => {
      const { revision } = await server.propose({ lease_revoke: { ID: idString(r.ID) } });
      return { header: server.header(revision) };
    }),
    LeaseTimeToLive: unary(async (r: { ID: Int64; keys: boolean }) => {
      const id = idString(r.ID);
      const lease = server.lessor.lookup(id);
      // etcd answers an unknown lease with TTL -1, not an error.
      if (!lease) return { header: server.header(), ID: id, TTL: -1 };
      const keys = r.keys ? [...lease.keys].sort().map((k) => Buffer.from(k, 'latin1')) : [];
      return { header: server.header(), ID: id, TTL: server.lessor.remainingSeconds(lease), grantedTTL: lease.ttl, keys };
    }),
    LeaseLeases: unary(async () => ({ header: server.header(), leases: server.lessor.all().map((l) => ({ ID: l.id })) })),
    /** Each request renews one lease; an unknown lease is answered with TTL 0, as etcd does. */
    LeaseKeepAlive: (call: grpc.ServerDuplexStream<{ ID: Int64 }, object>) => {
      call.on('data', (r: { ID: Int64 }) => {
        const id = idString(r.ID);
        const ttl = server.lessor.renew(id) ?? 0;
        call.write({ header: server.header(), ID: id, TTL: ttl });
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  };
}
