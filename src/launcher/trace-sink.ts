import { hostClockUs } from '../node/ipc-tracer.js';
import type { ControlMessage } from '../protocol/control.js';
import type { FaultEvent, Trace, TraceEvent, TraceMeta } from '../trace/trace-format.js';
import { TraceWriter } from '../trace/trace-writer.js';

/**
 * How long the sink holds events before writing them: nodes send batches every 50 ms, so an
 * event later than this behind the newest would arrive out of order.
 */
export const traceReorderWindowUs = 1_000_000;
/** Most events the sink holds for reordering; past it the oldest are written at once. */
export const traceSinkEventsMax = 200_000;
const sinkFlushIntervalMs = 250;
/** The latest events the sink keeps for `trace` at the prompt, with or without a file. */
export const traceRingEventsMax = 50_000;

/**
 * The orchestrator's end of a cluster's trace: the nodes' batches (IPC) and its own fault
 * events, written to the file in time order. Events are held for traceReorderWindowUs and
 * written sorted by `t`; the file is in time order as long as every batch arrives within that
 * window of its events (a paused node's batch may not: then its events come after later ones).
 */
export class TraceSink {
  /** The run's start on the host clock (µs): nodes count their `t` from it. */
  readonly originUs = hostClockUs();
  readonly #writer: TraceWriter | undefined;
  readonly #meta: TraceMeta;
  #pending: TraceEvent[] = [];
  #recent: TraceEvent[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #listeners = new Set<(events: readonly TraceEvent[]) => void>();

  /** `path`: the trace file; without one the sink keeps only the latest events, for `trace`. */
  constructor(path: string | undefined, meta: TraceMeta) {
    this.#meta = meta;
    this.#writer = path === undefined ? undefined : new TraceWriter(path, meta);
    this.#timer = setInterval(() => this.#write(false), sinkFlushIntervalMs);
    this.#timer.unref();
  }

  get path(): string | undefined {
    return this.#writer?.path;
  }

  /** The latest events (up to traceRingEventsMax), in time order, as a trace. */
  recent(): Trace {
    const pending = [...this.#pending].sort((a, b) => a.t - b.t);
    const events = [...this.#recent, ...pending].slice(-traceRingEventsMax);
    return { meta: this.#meta, events };
  }

  nowUs(): number {
    return hostClockUs() - this.originUs;
  }

  /** Calls `listener` with each batch as it arrives (not yet sorted); returns the unsubscribe. */
  listen(listener: (events: readonly TraceEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  add(events: readonly TraceEvent[]): void {
    for (const listener of this.#listeners) listener(events);
    for (const event of events) this.#pending.push(event);
    if (this.#pending.length > traceSinkEventsMax) this.#write(false, true);
  }

  /** A fault the orchestrator injected. */
  fault(fields: Omit<FaultEvent, 'type' | 't'>): void {
    this.add([{ type: 'fault', t: this.nowUs(), ...fields }]);
  }

  /** A control message as the fault it is. */
  control(message: ControlMessage): void {
    switch (message.type) {
      case 'server-delay':
        return this.fault({ fault: 'delay', to: message.to, delayMs: message.delayMsMean });
      case 'link-delay':
        return this.fault({
          fault: 'delay',
          from: message.from,
          to: message.to,
          delayMs: message.delayMsMean,
        });
      case 'link-loss':
        return this.fault({
          fault: 'loss',
          from: message.from,
          to: message.to,
          lossRate: message.lossRate,
        });
      case 'partition':
        return this.fault({ fault: 'partition', groups: message.groups });
      case 'heal':
        return this.fault({ fault: 'heal' });
      case 'clock-skew':
        return this.fault({ fault: 'skew', node: message.node, skewMs: message.skewMs });
    }
  }

  /** Writes everything held, in time order, and closes the file. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#write(true);
    await this.#writer?.close();
  }

  #write(all: boolean, overfull = false): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    pending.sort((a, b) => a.t - b.t);
    let count = pending.length;
    if (!all) {
      const untilUs = this.nowUs() - traceReorderWindowUs;
      count = 0;
      while (count < pending.length && pending[count]!.t <= untilUs) count++;
      if (overfull) count = Math.max(count, pending.length - traceSinkEventsMax);
    }
    if (count === 0) return;
    const written = pending.slice(0, count);
    this.#writer?.append(written);
    this.#pending = pending.slice(count);
    for (const event of written) this.#recent.push(event);
    if (this.#recent.length > 2 * traceRingEventsMax)
      this.#recent = this.#recent.slice(-traceRingEventsMax);
  }
}
