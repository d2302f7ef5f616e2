import { str, type WatchEvent, type WatchResponse, type Watcher } from '../../src/client/etcd-client.ts';

/** Reads responses of `watcher` until they hold at least `count` events; returns the responses. */
export async function responsesWithEvents(watcher: Watcher, count: number): Promise<WatchResponse[]> {
  const responses: WatchResponse[] = [];
  let seen = 0;
  while (seen < count) {
    const response = await watcher.next();
    responses.push(response);
    seen += response.events.length;
  }
  return responses;
}

export async function nextEvents(watcher: Watcher, count: number): Promise<WatchEvent[]> {
  return (await responsesWithEvents(watcher, count)).flatMap((response) => response.events);
}

/** "PUT k=v@rev" / "DELETE k@rev": an event in one comparable line. */
export function describeEvent(event: WatchEvent): string {
  const key = str(event.kv.key);
  return event.type === 'PUT'
    ? `PUT ${key}=${str(event.kv.value)}@${event.kv.mod_revision}`
    : `DELETE ${key}@${event.kv.mod_revision}`;
}
