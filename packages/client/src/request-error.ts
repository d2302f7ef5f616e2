// A request that got no HTTP response: the connection failed, the deadline passed, or the caller
// cancelled. Worded like Go's *url.Error, as kubectl shows it:
//   Get "https://127.0.0.1:6443/api/v1/pods": dial tcp 127.0.0.1:6443: connect: connection refused

export class RequestError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${method.charAt(0)}${method.slice(1).toLowerCase()} ${JSON.stringify(url)}: ${problem}`, options);
    this.name = 'RequestError';
  }
}

/** What went wrong, in Go's words where Node and Go disagree. */
export function describeNetworkError(err: unknown): string {
  const e = err as { code?: string; address?: string; port?: number; message?: string };
  if (e?.code === 'ECONNREFUSED' && e.address !== undefined) {
    const host = e.address.includes(':') ? `[${e.address}]` : e.address;
    return `dial tcp ${host}:${e.port}: connect: connection refused`;
  }
  return e?.message ?? String(err);
}

export const DEADLINE_EXCEEDED = 'context deadline exceeded';
export const CANCELED = 'context canceled';
