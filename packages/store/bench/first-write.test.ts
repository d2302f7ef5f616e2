import { describe, expect, it } from 'vitest';
import { firstAcknowledgedWrite, type WriteProbePlan } from './first-write.ts';

/** A clock that moves only when the probe sleeps; writes settle on it at chosen times. */
function simulatedStore(settle: (attempt: number, sentAt: number) => { at: number; ok: boolean } | 'never') {
  let clock = 1_000;
  const pending: Array<{ at: number; ok: boolean; resolve: () => void; reject: (e: Error) => void }> = [];
  const sent: number[] = [];
  const plan: Omit<WriteProbePlan, 'intervalMs' | 'giveUpMs'> = {
    now: () => clock,
    write: (attempt) =>
      new Promise<void>((resolve, reject) => {
        sent.push(clock);
        const outcome = settle(attempt, clock);
        if (outcome !== 'never') pending.push({ ...outcome, resolve, reject });
      }),
    sleep: async (ms) => {
      const until = clock + ms;
      // Settle, in time order, every write due before the clock reaches `until`.
      for (const write of pending.sort((a, b) => a.at - b.at).filter((w) => w.at <= until)) {
        clock = Math.max(clock, write.at);
        pending.splice(pending.indexOf(write), 1);
        if (write.ok) write.resolve();
        else write.reject(new Error('etcdserver: no leader'));
        await Promise.resolve();
      }
      clock = until;
    },
  };
  return { plan, sent };
}

describe('firstAcknowledgedWrite', () => {
  it('times the first acknowledgement, not the end of the attempt that preceded it', async () => {
    // Members fail puts quickly until 1,700 ms after the start, then acknowledge within 3 ms.
    const { plan } = simulatedStore((_, sentAt) => (sentAt - 1_000 < 1_700 ? { at: sentAt + 2, ok: false } : { at: sentAt + 3, ok: true }));
    const result = await firstAcknowledgedWrite({ ...plan, intervalMs: 50, giveUpMs: 30_000 });
    expect(result.afterMs).toBe(1_703);
    expect(result.attempts).toBe(35);
    expect(result.lastError).toBe('etcdserver: no leader');
  });

  it('is not held up by puts that hang', async () => {
    // Puts sent before 1,200 ms hang forever (a member forwarding to the dead leader); later ones answer in 10 ms.
    const { plan } = simulatedStore((_, sentAt) => (sentAt - 1_000 < 1_200 ? 'never' : { at: sentAt + 10, ok: true }));
    const result = await firstAcknowledgedWrite({ ...plan, intervalMs: 100, giveUpMs: 30_000 });
    expect(result.afterMs).toBe(1_210);
  });

  it('a put held until a leader appears counts when it is acknowledged', async () => {
    // Every put sent before 900 ms is held and acknowledged at 900 ms.
    const { plan } = simulatedStore((_, sentAt) => ({ at: Math.max(sentAt + 1, 1_900), ok: true }));
    const result = await firstAcknowledgedWrite({ ...plan, intervalMs: 250, giveUpMs: 30_000 });
    expect(result.afterMs).toBe(900);
  });

  it('gives up when no put is acknowledged in time', async () => {
    const { plan, sent } = simulatedStore(() => 'never');
    const result = await firstAcknowledgedWrite({ ...plan, intervalMs: 100, giveUpMs: 1_000 });
    expect(result.afterMs).toBeUndefined();
    expect(sent).toHaveLength(10);
    expect(result.lastError).toBeUndefined();
  });
});
