// A range of numbered things (Service IPs, node ports) whose taken set lives in the store as
// one bitmap record, changed only by compare-and-swap — so several apiservers never hand out
// the same address (Kubernetes keeps the same kind of RangeAllocation under /registry/ranges).
import type { ObjectStorage } from '../../storage/object-storage.ts';
import { findFree, isTaken, withBit } from './bitmap.ts';

export class RangeFullError extends Error {}
export class AlreadyAllocatedError extends Error {}

interface RangeRecord {
  range: string;
  data: string;
}

/** Compare-and-swap retries: every round one contender wins, so many concurrent creates need many. */
const MAX_RETRIES = 1000;

export class RangeAllocator {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly key: string,
    readonly description: string,
    readonly size: number,
    /** offsets below this are only handed out on request (the static band) */
    private readonly dynamicFrom: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Takes `offset`, or any free one when undefined. */
  async allocate(offset?: number): Promise<number> {
    return this.change((bits) => {
      if (offset !== undefined) {
        if (isTaken(bits, offset)) throw new AlreadyAllocatedError(`provided ${this.description} is already allocated`);
        return offset;
      }
      let found = findFree(bits, this.size, this.dynamicFrom, this.random);
      if (found < 0) found = findFree(bits, this.dynamicFrom, 0, this.random);
      if (found < 0) throw new RangeFullError(`range of ${this.description}s is full`);
      return found;
    }, true);
  }

  async release(offset: number): Promise<void> {
    await this.change(() => offset, false);
  }

  /**
   * Changes in this process take turns: racing our own requests for the one record would only
   * cost store round trips (compare-and-swap still guards against other apiservers).
   */
  private turn: Promise<unknown> = Promise.resolve();

  private change(pick: (bits: Uint8Array) => number, taken: boolean): Promise<number> {
    const run = this.turn.then(() => this.changeRecord(pick, taken));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async changeRecord(pick: (bits: Uint8Array) => number, taken: boolean): Promise<number> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const current = await this.storage.get(this.key);
      const record = (current?.object as unknown as RangeRecord | undefined) ?? { range: this.description, data: '' };
      const bits = new Uint8Array(Buffer.from(record.data, 'base64'));
      const offset = pick(bits);
      if (!taken && !isTaken(bits, offset)) return offset;
      const next = { ...record, data: Buffer.from(withBit(bits, offset, taken)).toString('base64'), metadata: {} };
      const written = current
        ? await this.storage.update(this.key, next as never, current.revision)
        : await this.storage.create(this.key, next as never);
      if (written) return offset;
    }
    throw new Error(`could not update the ${this.description} allocation: too many concurrent changes`);
  }
}
