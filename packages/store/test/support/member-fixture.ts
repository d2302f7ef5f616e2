// One member and one client per describe block, stopped and removed in afterAll even when
// the tests (or the start itself) fail.
import { afterAll, beforeAll } from 'vitest';
import { EtcdClient } from '../../src/client/etcd-client.ts';
import { startMember, type Member, type MemberOptions, type Target } from '../harness.ts';

export interface MemberFixture {
  member: Member;
  client: EtcdClient;
}

/** Starts a member in beforeAll; read `member`/`client` inside tests only. */
export function useMember(target: Target, options?: MemberOptions): MemberFixture {
  const fixture = {} as MemberFixture;
  beforeAll(async () => {
    fixture.member = await startMember(target, options);
    fixture.client = new EtcdClient(fixture.member.endpoint);
  });
  afterAll(async () => {
    fixture.client?.close();
    await fixture.member?.cleanup();
  });
  return fixture;
}
