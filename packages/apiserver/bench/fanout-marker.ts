// How the watchers of the fan-out phase recognize the writes they are timing without decoding
// every event: write number i creates an object named fanout-<i, 8 digits>, and a watcher
// scans its stream's bytes for that name. Decoding 1,000 copies of each pod in the load
// generator would slow the generator, not the server, and show up as server latency.

const NAME_PREFIX = 'fanout-';
const DIGITS = 8;
/** The name as it appears in a JSON watch event (JSON.stringify writes no spaces). */
const MARKER = Buffer.from(`"name":"${NAME_PREFIX}`);
const NEWLINE = 0x0a;

export function fanoutName(index: number): string {
  return `${NAME_PREFIX}${String(index).padStart(DIGITS, '0')}`;
}

/** The write number in a store key or name ending in fanout-<digits>; undefined for others. */
export function fanoutIndex(text: string): number | undefined {
  const at = text.lastIndexOf(NAME_PREFIX);
  if (at < 0) return undefined;
  const digits = text.slice(at + NAME_PREFIX.length);
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
}

/**
 * A consumer of one watch response body (JSON events, one per line): calls `onEvent` with the
 * write number of every complete event line that names a fanout object. A line split over
 * several chunks is reported once, when its newline arrives.
 */
export function watchStreamScanner(onEvent: (index: number) => void): (chunk: Buffer) => void {
  let pending: Buffer | undefined;
  return (chunk) => {
    const bytes = pending ? Buffer.concat([pending, chunk]) : chunk;
    const end = bytes.lastIndexOf(NEWLINE);
    if (end < 0) {
      pending = bytes;
      return;
    }
    let lineStart = 0;
    while (lineStart <= end) {
      const lineEnd = bytes.indexOf(NEWLINE, lineStart);
      const at = bytes.indexOf(MARKER, lineStart);
      if (at >= 0 && at < lineEnd) {
        const digitsAt = at + MARKER.length;
        onEvent(Number(bytes.toString('latin1', digitsAt, digitsAt + DIGITS)));
      }
      lineStart = lineEnd + 1;
    }
    pending = end + 1 < bytes.length ? Buffer.from(bytes.subarray(end + 1)) : undefined;
  };
}
