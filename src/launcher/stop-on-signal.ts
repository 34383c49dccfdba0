import { constants } from 'node:os';

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How long the stops registered may take once a signal came, before the process exits anyway. */
const stopOnSignalMsMax = 10_000;

const stops = new Set<() => Promise<void>>();
let installed = false;
let exiting = false;

/** The exit status of a process ended by a signal, by shell convention: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/**
 * Makes SIGINT, SIGTERM and SIGHUP run every registered stop, then exit with 128 + the signal's
 * number, whatever the process is doing. Call it first thing; calling it again does nothing.
 * A second signal while the stops run exits at once.
 */
export function exitOnSignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of signals) process.on(signal, () => void exitOnSignal(signal));
}

async function exitOnSignal(signal: NodeJS.Signals): Promise<void> {
  const code = signalExitCode(signal);
  if (exiting) process.exit(code);
  exiting = true;
  const timer = setTimeout(() => process.exit(code), stopOnSignalMsMax);
  await Promise.allSettled([...stops].map((stop) => stop()));
  clearTimeout(timer);
  process.exit(code);
}

/** Registers `stop` to run when a signal comes; the returned function unregisters it. */
export function onStopSignal(stop: () => Promise<void>): () => void {
  exitOnSignals();
  stops.add(stop);
  return () => void stops.delete(stop);
}

/**
 * Runs `body`, then `stop`, however `body` ends; a signal runs `stop` and exits with the signal's
 * status (see `exitOnSignals`). `stop` runs once.
 */
export async function withStopOnSignal(
  stop: () => Promise<void>,
  body: () => Promise<void>,
): Promise<void> {
  let stopped: Promise<void> | undefined;
  const stopOnce = () => (stopped ??= stop());
  const unregister = onStopSignal(stopOnce);
  try {
    await body();
  } finally {
    await stopOnce();
    unregister();
  }
}
