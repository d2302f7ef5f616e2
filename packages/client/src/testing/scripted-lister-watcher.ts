// A list/watch source for unit tests of reflectors and informers: it records every request and
// answers from a script (lists, FakeWatches the test drives, or errors). An unscripted request
// waits until the caller aborts, like a silent apiserver.
import type { KubeList, KubeObject, Status } from '@k8ts/api';
import { StatusError } from '../errors.ts';
import type { ListerWatcher } from '../list-watch.ts';
import type { ListOptions } from '../options.ts';
import { FakeWatch, type Watch } from '../watch.ts';

export function podList(resourceVersion: string, items: KubeObject[], cont?: string): KubeList {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion, ...(cont ? { continue: cont } : {}) }, items };
}

export function pod(name: string, resourceVersion: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion, labels } };
}

export function expiredStatus(message = 'too old resource version: 1 (10)'): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Expired', code: 410 };
}

export const expired = (message?: string): StatusError => StatusError.fromStatus(expiredStatus(message));

function waitForAbort<T>(signal: AbortSignal | undefined): Promise<T> {
  return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
}

export class ScriptedListerWatcher implements ListerWatcher {
  readonly lists: ListOptions[] = [];
  readonly watches: ListOptions[] = [];
  /** the watches handed out, newest last */
  readonly opened: FakeWatch[] = [];
  private readonly listReplies: (KubeList | Error)[] = [];
  private readonly watchReplies: (Error | 'open')[] = [];

  replyList(...replies: (KubeList | Error)[]): this {
    this.listReplies.push(...replies);
    return this;
  }

  /** Scripts watch answers: 'open' hands out a new FakeWatch, an Error fails the request. */
  replyWatch(...replies: (Error | 'open')[]): this {
    this.watchReplies.push(...replies);
    return this;
  }

  get currentWatch(): FakeWatch {
    return this.opened[this.opened.length - 1];
  }

  async list(options: ListOptions, signal?: AbortSignal): Promise<KubeList> {
    this.lists.push(options);
    const reply = this.listReplies.shift();
    if (reply === undefined) return waitForAbort(signal);
    if (reply instanceof Error) throw reply;
    return reply;
  }

  async watch(options: ListOptions, signal?: AbortSignal): Promise<Watch> {
    this.watches.push(options);
    const reply = this.watchReplies.shift();
    if (reply === undefined) return waitForAbort(signal);
    if (reply instanceof Error) throw reply;
    const watch = new FakeWatch();
    this.opened.push(watch);
    return watch;
  }
}
