import type { EventQueue } from '../core/event-queue.js';
import type { WorkTracker } from './sim-runtime.js';

/**
 * Runs a simulation's events until only background work (heartbeats, purge, anti-entropy timers)
 * is left and no background promise is waiting; `untilMs`: and at least until that virtual time;
 * `awaitBackgroundMs`: also run background events while background work (a hint replay a
 * heartbeat started) is in flight, up to that much virtual time past `untilMs`. While promises
 * are in flight, their continuations run between two events.
 */
export async function settleQueue(
  queue: EventQueue,
  tracker: WorkTracker,
  untilMs: number,
  awaitBackgroundMs: number,
): Promise<void> {
  const untilUs = untilMs * 1000;
  const backgroundUntilUs = Math.max(untilMs, queue.nowMs) * 1000 + awaitBackgroundMs * 1000;
  const due = (nextUs: number | undefined) =>
    nextUs !== undefined &&
    (nextUs <= untilUs || (tracker.pending > 0 && nextUs <= backgroundUntilUs));
  for (;;) {
    if (tracker.pending > 0) await runContinuations();
    let nextUs = queue.nextAtUs;
    let busy = queue.foreground > 0 || due(nextUs);
    if (!busy && tracker.pending > 0) {
      // Before calling the run quiet, let every continuation run, however deep its chain.
      await flushPromises();
      nextUs = queue.nextAtUs;
      busy = queue.foreground > 0 || due(nextUs);
    }
    if (!busy) {
      queue.foregroundNow();
      return;
    }
    if (tracker.pending > 0) {
      queue.step();
      continue;
    }
    // Nothing asynchronous in flight: run synchronously until something is.
    while (tracker.pending === 0) {
      const next = queue.nextAtUs;
      if (next === undefined || (queue.foreground === 0 && next > untilUs)) break;
      queue.step();
    }
  }
}

/** Promise ticks given to background work after each event it waits on. */
const continuationTicks = 8;

const settled = Promise.resolve();

// Lets the continuations an event released run (a few promise ticks: cheap, and enough for
// the node's await chains; a deeper one goes on after the next event, deterministically). A
// chain of `then`s takes one tick each, as `await null` in a loop did, at half its cost.
function runContinuations(): Promise<void> {
  let tick = settled;
  for (let i = 0; i < continuationTicks; i++) tick = tick.then();
  return tick;
}

/** Lets every promise continuation due now run (a macrotask comes after all microtasks). */
function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
