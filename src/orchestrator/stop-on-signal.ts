/** The exit status of a process ended by a signal, by shell convention (128 + its number). */
const signalExitCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `body`, then `stop`, however `body` ends; Ctrl-C, SIGTERM and SIGHUP run `stop` and exit
 * with the signal's status. `stop` runs once.
 */
export async function withStopOnSignal(
  stop: () => Promise<void>,
  body: () => Promise<void>,
): Promise<void> {
  let stopped: Promise<void> | undefined;
  const stopOnce = () => (stopped ??= stop());
  const onSignal = (signal: NodeJS.Signals) => {
    void stopOnce().finally(() => process.exit(signalExitCodes[signal] ?? 1));
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    await body();
  } finally {
    await stopOnce();
    for (const signal of signals) process.off(signal, onSignal);
  }
}
