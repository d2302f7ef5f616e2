// Where the client reports what it cannot return to a caller: a watch that ended, an event that
// could not be written, a lease that changed hands (client-go logs these through klog).

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const stderrLogger: Logger = {
  info: (message) => process.stderr.write(`I ${message}\n`),
  warn: (message) => process.stderr.write(`W ${message}\n`),
};

/** For callers (and tests) that want the client quiet. */
export const silentLogger: Logger = { info: () => {}, warn: () => {} };

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
