// Objects with a TTL (Events) are attached to store leases. Granting one lease per write would
// flood the store with leases, so — like the Kubernetes apiserver — a lease is reused for
// writes within a short window and granted a little longer than asked to cover that window.
import type { EtcdClient } from '@k8ts/store/client/etcd-client.ts';

const REUSE_WINDOW_MS = 60_000;

export class LeaseCache {
  private readonly current = new Map<number, { id: string; grantedAt: number }>();

  constructor(private readonly etcd: EtcdClient, private readonly now: () => number) {}

  async leaseFor(ttlSeconds: number): Promise<string> {
    const cached = this.current.get(ttlSeconds);
    if (cached && this.now() - cached.grantedAt < REUSE_WINDOW_MS) return cached.id;
    const granted = await this.etcd.leaseGrant({ TTL: ttlSeconds + REUSE_WINDOW_MS / 1000 });
    this.current.set(ttlSeconds, { id: granted.ID, grantedAt: this.now() });
    return granted.ID;
  }
}
