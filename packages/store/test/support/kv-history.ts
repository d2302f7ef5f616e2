// Clients for the nemesis test that record what they did as a history for the
// linearizability checker: put, get, compare-value-and-swap (a Txn) and delete on a few keys,
// each with its invocation and return time on this process's monotonic clock.
//
// Outcomes: an answer is recorded with its output. A failed read is left out (it changed
// nothing). A failed write is left out only when it certainly never reached a member (no
// connection could be made); any other failure — timeout, connection lost, an error after the
// member took the request — has an unknown outcome: recorded with no return, it may have
// taken effect at any time after it was invoked, or never.
import { performance } from 'node:perf_hooks';
import { status } from '@grpc/grpc-js';
import { str, type EtcdClient } from '../../src/client/etcd-client.ts';
import type { Operation, RegisterInput, RegisterOutput } from '../../src/linearizability/index.ts';

/** A write a member acknowledged, with the revision it answered: the watch checks use it. */
export interface AckedWrite {
  opId: number;
  key: string;
  /** The value written; null for a delete that deleted the key. */
  value: string | null;
  revision: number;
}

export class HistoryRecorder {
  readonly operations: Operation[] = [];
  readonly acked: AckedWrite[] = [];
  unknownOutcomes = 0;
  private readonly origin = performance.now();
  private nextId = 0;

  constructor(private readonly timeoutMs: number) {}

  /** Milliseconds since the recorder was made (one clock for every client). */
  now(): number {
    return performance.now() - this.origin;
  }

  /** Runs one operation and records it; resolves with its output, undefined if it failed.
   *  A serializable get reads the member's local state (not linearizable: tests use it to
   *  show the checker notices). */
  async run(client: EtcdClient, clientName: string, key: string, input: RegisterInput, options: { serializable?: boolean } = {}): Promise<RegisterOutput | undefined> {
    const op: Operation = { id: this.nextId++, client: clientName, key, input, invokedAt: this.now() };
    const deadline = Date.now() + this.timeoutMs;
    try {
      const { output, revision } = await perform(client, key, input, deadline, options.serializable ?? false);
      op.returnedAt = this.now();
      op.output = output;
      this.operations.push(op);
      const written = writtenValue(input, output);
      if (written !== undefined) this.acked.push({ opId: op.id, key, value: written, revision });
      return output;
    } catch (err) {
      if (input.type !== 'get' && !neverSent(err)) {
        this.operations.push(op); // unknown outcome
        this.unknownOutcomes++;
      }
      return undefined;
    }
  }
}

async function perform(
  client: EtcdClient, key: string, input: RegisterInput, deadline: number, serializable: boolean,
): Promise<{ output: RegisterOutput; revision: number }> {
  switch (input.type) {
    case 'get': {
      const response = await client.range({ key, serializable }, { deadline });
      return { output: { type: 'get', value: response.kvs.length > 0 ? str(response.kvs[0].value) : null }, revision: Number(response.header.revision) };
    }
    case 'put': {
      const response = await client.put({ key, value: input.value }, { deadline });
      return { output: { type: 'put' }, revision: Number(response.header.revision) };
    }
    case 'cas': {
      const response = await client.txn(
        { compare: [{ key, target: 'VALUE', result: 'EQUAL', value: input.expect }], success: [{ request_put: { key, value: input.value } }] },
        { deadline },
      );
      return { output: { type: 'cas', succeeded: response.succeeded }, revision: Number(response.header.revision) };
    }
    case 'delete': {
      const response = await client.deleteRange({ key }, { deadline });
      return { output: { type: 'delete', deleted: Number(response.deleted) }, revision: Number(response.header.revision) };
    }
  }
}

/** What an acknowledged write left in the key: a value, null (deleted), or undefined (no change). */
function writtenValue(input: RegisterInput, output: RegisterOutput): string | null | undefined {
  if (input.type === 'put') return input.value;
  if (input.type === 'cas' && output.type === 'cas' && output.succeeded) return input.value;
  if (input.type === 'delete' && output.type === 'delete' && output.deleted > 0) return null;
  return undefined;
}

/** grpc-js fails a call this way only when it never had a connection to send it on. */
function neverSent(err: unknown): boolean {
  const { code, details } = err as { code?: number; details?: string };
  return code === status.UNAVAILABLE && /No connection established|ECONNREFUSED/.test(details ?? '');
}

/**
 * One client's loop: random operations on `keys` until stopped — 40% get, 30% put,
 * 20% CAS from the last value it saw, 10% delete. Every written value is unique.
 */
export class WorkloadClient {
  private running = true;
  private readonly done: Promise<void>;
  private readonly lastSeen = new Map<string, string>();

  constructor(
    readonly name: string,
    private readonly client: EtcdClient,
    private readonly keys: string[],
    private readonly recorder: HistoryRecorder,
    private readonly rng: () => number,
    private readonly pauseMs = 5,
  ) {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async loop(): Promise<void> {
    for (let n = 0; this.running; n++) {
      const key = this.keys[Math.floor(this.rng() * this.keys.length)];
      const value = `${this.name}-${n}`;
      const dice = this.rng();
      const expect = this.lastSeen.get(key);
      const input: RegisterInput =
        dice < 0.4 ? { type: 'get' }
        : dice < 0.7 || (dice < 0.9 && expect === undefined) ? { type: 'put', value }
        : dice < 0.9 ? { type: 'cas', expect: expect!, value }
        : { type: 'delete' };
      const output = await this.recorder.run(this.client, this.name, key, input);
      if (output?.type === 'get' && output.value !== null) this.lastSeen.set(key, output.value);
      if (output && (input.type === 'put' || (input.type === 'cas' && output.type === 'cas' && output.succeeded))) this.lastSeen.set(key, input.value);
      if (output === undefined) await sleep(100); // a failed call: the member is down or electing
      else await sleep(this.pauseMs);
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
