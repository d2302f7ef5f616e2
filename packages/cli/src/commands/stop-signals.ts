// How a long-running `k8ts` subcommand is asked to stop: SIGTERM (what `k8ts down`, systemd and
// the kubelet send) or SIGINT (Ctrl-C), said in the log and turned into an abort signal the
// work listens on.
import type { Logger } from '@k8ts/client';

export function stopOnSignals(logger: Pick<Logger, 'info'>): AbortSignal {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info(`received ${signal}, shutting down`);
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return stop.signal;
}
