// The watch guarantees the nemesis test checks, as a pure function over what watchers saw:
//   - in order: each watcher sees revisions strictly increasing (a revision's events together),
//     so nothing is repeated or reordered, across reconnections too;
//   - no gaps: from its start revision to the last it saw, a watcher misses no revision that
//     changed its keys — any revision another watcher saw, or an acknowledged write made;
//   - agreement: every watcher that saw a revision saw the same events in it;
//   - acknowledged writes: each is an event at the revision its answer named, with its value.

export interface WatchedEvent {
  revision: number;
  key: string;
  type: 'PUT' | 'DELETE';
  value: string | null;
}

export interface WatchLog {
  /** Who watched (e.g. the member's name), for the report. */
  watcher: string;
  /** The revision its first watch started at. */
  startRevision: number;
  events: WatchedEvent[];
}

export interface AckedChange {
  opId: number;
  key: string;
  /** null: deleted. */
  value: string | null;
  revision: number;
}

/** Every broken guarantee, as a sentence; empty when all hold. */
export function checkWatchLogs(logs: WatchLog[], acked: AckedChange[]): string[] {
  const problems: string[] = [];
  const byRevision = new Map<number, { events: string; watcher: string }>();
  const revisionsOf = new Map<WatchLog, Set<number>>();

  for (const log of logs) {
    const groups = groupByRevision(log, problems);
    revisionsOf.set(log, new Set(groups.keys()));
    for (const [revision, events] of groups) {
      const known = byRevision.get(revision);
      if (!known) byRevision.set(revision, { events, watcher: log.watcher });
      else if (known.events !== events) {
        problems.push(`watchers disagree at revision ${revision}: ${known.watcher} saw ${known.events}, ${log.watcher} saw ${events}`);
      }
    }
  }

  const changed = new Set([...byRevision.keys(), ...acked.map((write) => write.revision)]);
  for (const log of logs) {
    const seen = revisionsOf.get(log)!;
    const last = Math.max(0, ...seen);
    const missed = [...changed].filter((revision) => revision >= log.startRevision && revision <= last && !seen.has(revision)).sort((a, b) => a - b);
    if (missed.length > 0) problems.push(`${log.watcher} skipped revision(s) ${missed.slice(0, 10).join(', ')}${missed.length > 10 ? ` and ${missed.length - 10} more` : ''}`);
  }

  for (const write of acked) {
    const expected = describe({ revision: write.revision, key: write.key, type: write.value === null ? 'DELETE' : 'PUT', value: write.value });
    const seen = byRevision.get(write.revision);
    if (!seen) problems.push(`acknowledged write #${write.opId} (${expected}) was seen by no watcher`);
    else if (!seen.events.split(' ').includes(expected)) problems.push(`acknowledged write #${write.opId} (${expected}) but revision ${write.revision} holds ${seen.events}`);
  }
  return problems;
}

/**
 * A log's events grouped by revision. Events of one revision arrive together; a revision at
 * or below one already passed is a repeat or a reordering, reported and left out.
 */
function groupByRevision(log: WatchLog, problems: string[]): Map<number, string> {
  const groups = new Map<number, string[]>();
  let current = 0;
  for (const event of log.events) {
    const text = describe(event);
    if (event.revision < log.startRevision) problems.push(`${log.watcher} saw ${text}, before its start revision ${log.startRevision}`);
    if (event.revision < current) {
      problems.push(`${log.watcher} saw ${text} after revision ${current}`);
      continue;
    }
    current = event.revision;
    const group = groups.get(current) ?? [];
    if (group.includes(text)) problems.push(`${log.watcher} saw ${text} twice`);
    else group.push(text);
    groups.set(current, group);
  }
  return new Map([...groups].map(([revision, events]) => [revision, events.join(' ')]));
}

function describe(event: WatchedEvent): string {
  return event.type === 'PUT' ? `PUT:${event.key}=${event.value}@${event.revision}` : `DELETE:${event.key}@${event.revision}`;
}
