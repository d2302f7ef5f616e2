// etcdserverpb.KV: reads are served locally (after a ReadIndex barrier unless serializable);
// writes are validated here, then replicated through Raft and answered once applied.
import { Errors } from '../errors.ts';
import type { EtcdServer } from '../etcd-server.ts';
import { num, toRangeOptions, type DeleteRangeRequest, type PutRequest, type RangeRequest, type TxnRequest } from '../requests.ts';
import { validateTxn } from '../txn-validation.ts';
import { unary } from './unary.ts';

export function kvService(server: EtcdServer) {
  const write = async (body: Parameters<EtcdServer['propose']>[0]) => {
    const { response, revision } = await server.propose(body);
    return { header: server.header(revision), ...response };
  };
  return {
    Range: unary(async (r: RangeRequest) => {
      if (r.key.length === 0) throw Errors.emptyKey();
      if (!r.serializable) await server.linearizableRead();
      const result = await server.kv.range(toRangeOptions(r));
      return { header: server.header(), ...result };
    }),
    Put: unary(async (r: PutRequest) => {
      if (r.key.length === 0) throw Errors.emptyKey();
      if (r.ignore_value && r.value.length > 0) throw Errors.valueProvided();
      if (r.ignore_lease && num(r.lease) !== 0) throw Errors.leaseProvided();
      return write({ put: r });
    }),
    DeleteRange: unary(async (r: DeleteRangeRequest) => {
      if (r.key.length === 0) throw Errors.emptyKey();
      return write({ delete_range: r });
    }),
    Txn: unary(async (r: TxnRequest) => {
      validateTxn(r, server.cfg.maxTxnOps);
      return write({ txn: r });
    }),
    Compact: unary(async (r: { revision: string; physical: boolean }) => write({ compaction: r })),
  };
}
