// Which watchers have received which write, and when. Arrivals may be recorded before the
// writer has seen its own acknowledgment (the server can fan an event out before the
// writer's response is read), so they are kept per write until the writer asks for them.
// Writes are timed one after another: once write i is settled, stragglers for it are dropped.

export interface Delivery {
  /** When each watcher that got the write received it (performance.now() milliseconds). */
  arrivals: number[];
  /** Every watcher received it. */
  complete: boolean;
}

interface Slot {
  arrivals: number[];
  onComplete: (() => void) | undefined;
}

export class DeliveryTracker {
  private readonly slots = new Map<number, Slot>();
  /** Writes below this one are settled. */
  private settledBelow = 0;

  constructor(private readonly watchers: number) {}

  /** A watcher received write `index` at `atMs`. */
  arrive(index: number, atMs: number): void {
    if (index < this.settledBelow) return;
    const slot = this.slot(index);
    slot.arrivals.push(atMs);
    if (slot.arrivals.length === this.watchers) slot.onComplete?.();
  }

  /** Resolves once every watcher received write `index`, or after `waitMs` with what arrived; settles it. */
  async delivered(index: number, waitMs: number): Promise<Delivery> {
    const slot = this.slot(index);
    if (slot.arrivals.length < this.watchers) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        slot.onComplete = resolve;
        timer = setTimeout(resolve, waitMs);
      });
      clearTimeout(timer);
    }
    this.slots.delete(index);
    this.settledBelow = Math.max(this.settledBelow, index + 1);
    return { arrivals: slot.arrivals, complete: slot.arrivals.length >= this.watchers };
  }

  private slot(index: number): Slot {
    let slot = this.slots.get(index);
    if (!slot) this.slots.set(index, (slot = { arrivals: [], onComplete: undefined }));
    return slot;
  }
}

/**
 * Latencies of one write from its acknowledgment: to each watcher, and to the last of them
 * (undefined unless every watcher got it). A delivery that beat the acknowledgment counts as 0.
 */
export function deliveryLatencies(acknowledgedAtMs: number, delivery: Delivery): { toEachMs: number[]; toAllMs: number | undefined } {
  const toEachMs = delivery.arrivals.map((at) => Math.max(0, at - acknowledgedAtMs));
  return { toEachMs, toAllMs: delivery.complete ? Math.max(0, ...toEachMs) : undefined };
}
