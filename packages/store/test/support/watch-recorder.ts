// A watcher on one member for the nemesis test: watches a prefix from a start revision and
// records every event. When its stream breaks (member killed, frozen, restarting) it reconnects
// to the same member and resumes after the last revision it saw, as a client would.
import { prefixEnd, str, type EtcdClient } from '../../src/client/etcd-client.ts';
import { sleep } from './kv-history.ts';
import type { WatchLog } from './watch-guarantees.ts';

export class WatchRecorder {
  readonly log: WatchLog;
  reconnects = 0;
  private running = true;
  private readonly done: Promise<void>;
  private closeStream: (() => void) | undefined;

  constructor(watcher: string, private readonly client: () => EtcdClient, private readonly prefix: string, startRevision: number) {
    this.log = { watcher, startRevision, events: [] };
    this.done = this.loop();
  }

  /** The revision of the last event seen (0 if none). */
  get lastRevision(): number {
    return this.log.events.at(-1)?.revision ?? 0;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.closeStream?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const stream = this.client().watch();
      this.closeStream = () => stream.close();
      try {
        const from = Math.max(this.log.startRevision, this.lastRevision + 1);
        const watcher = await stream.create({ key: this.prefix, range_end: prefixEnd(this.prefix), start_revision: from });
        for await (const response of watcher) {
          for (const event of response.events) {
            this.log.events.push({
              revision: Number(event.kv.mod_revision),
              key: str(event.kv.key),
              type: event.type,
              value: event.type === 'PUT' ? str(event.kv.value) : null,
            });
          }
          if (response.canceled) throw new Error(`watch canceled: ${response.cancel_reason}`);
        }
      } catch {
        // The member is down, frozen or restarting: try again shortly.
      } finally {
        stream.close();
      }
      if (this.running) {
        this.reconnects++;
        await sleep(200);
      }
    }
  }
}
