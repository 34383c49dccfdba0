import { hostClockUs, type EncodedTraceBatch } from '../node/ipc-tracer.js';
import type { ControlMessage } from '../protocol/control.js';
import { decodeTraceBatch } from '../trace/trace-decoder.js';
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
/** Most bytes of nodes' batches the ring keeps undecoded; past it the oldest batches go. */
export const traceRingBytesMax = 64 * 1024 * 1024;

export type TraceListener = (events: readonly TraceEvent[]) => void;

/** A run of events the ring keeps: a node's batch as it came (decoded when read) or events. */
interface RingChunk {
  count: number;
  bytes: number;
  encoded?: Uint8Array;
  events?: TraceEvent[];
}

/**
 * The orchestrator's end of a cluster's trace: the nodes' batches (IPC) and its own fault
 * events. Without a file or a listener it only keeps the latest batches as they came and
 * decodes them when `recent` is read (`trace` at the prompt), so tracing costs the orchestrator
 * next to nothing. With a file it decodes each batch, holds the events for
 * traceReorderWindowUs and writes them sorted by `t`: the file is in time order as long as
 * every batch arrives within that window of its events (a paused node's may not).
 */
export class TraceSink {
  /** The run's start on the host clock (µs): nodes count their `t` from it. */
  readonly originUs = hostClockUs();
  readonly #writer: TraceWriter | undefined;
  readonly #meta: TraceMeta;
  readonly #listeners = new Set<TraceListener>();
  #pending: TraceEvent[] = [];
  #ring: RingChunk[] = [];
  #ringEvents = 0;
  #ringBytes = 0;
  readonly #timer: NodeJS.Timeout;

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

  /**
   * Calls `listener` with each batch as it arrives, decoded, not yet sorted (each node's in time
   * order); `recent` has the events before. Returns the unsubscribe. While anyone listens the
   * sink decodes every batch at once.
   */
  listen(listener: TraceListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The latest events (up to traceRingEventsMax), in time order, as a trace. */
  recent(): Trace {
    const events: TraceEvent[] = [];
    for (const chunk of this.#ring) {
      if (chunk.events === undefined) {
        chunk.events = decodeOrCount(chunk.encoded!, chunk.count, this.nowUs());
        chunk.encoded = undefined;
      }
      for (const event of chunk.events) events.push(event);
    }
    for (const event of this.#pending) events.push(event);
    events.sort((a, b) => a.t - b.t);
    return { meta: this.#meta, events: events.slice(-traceRingEventsMax) };
  }

  /** What the ring holds: up to traceRingEventsMax events and one batch; traceRingBytesMax. */
  get held(): { events: number; bytes: number } {
    return { events: this.#ringEvents, bytes: this.#ringBytes };
  }

  nowUs(): number {
    return hostClockUs() - this.originUs;
  }

  /**
   * A node's batch, decoded only when it is written, listened to, read, or given to `admit`
   * (which may hold or move some of its events: PausedDeliveries).
   */
  addBatch(
    batch: EncodedTraceBatch,
    admit?: (events: readonly TraceEvent[]) => readonly TraceEvent[],
  ): void {
    const { bytes } = batch;
    const count = Number.isSafeInteger(batch.count) && batch.count > 0 ? batch.count : 0;
    const lazy = this.#writer === undefined && this.#listeners.size === 0 && admit === undefined;
    if (lazy && bytes instanceof Uint8Array)
      return this.#keep({ count, bytes: bytes.byteLength, encoded: bytes });
    const events = decodeOrCount(bytes, count, this.nowUs());
    this.add(admit === undefined ? events : admit(events));
  }

  add(events: readonly TraceEvent[]): void {
    for (const listener of this.#listeners) listener(events);
    if (this.#writer === undefined)
      return this.#keep({ count: events.length, bytes: 0, events: [...events] });
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

  #keep(chunk: RingChunk): void {
    this.#ring.push(chunk);
    this.#ringEvents += chunk.count;
    this.#ringBytes += chunk.bytes;
    while (this.#ring.length > 1) {
      const oldest = this.#ring[0]!;
      const enough = this.#ringEvents - oldest.count >= traceRingEventsMax;
      if (!enough && this.#ringBytes <= traceRingBytesMax) break;
      this.#ring.shift();
      this.#ringEvents -= oldest.count;
      this.#ringBytes -= oldest.bytes;
    }
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
    this.#pending = pending.slice(count);
    this.#writer?.append(written);
    this.#keep({ count: written.length, bytes: 0, events: written });
  }
}

/**
 * A batch's events; a batch no encoder made (a node forked some other way) is counted as
 * `events-dropped` rather than crashing the orchestrator.
 */
function decodeOrCount(bytes: Uint8Array, count: number, nowUs: number): TraceEvent[] {
  try {
    if (!(bytes instanceof Uint8Array)) throw new Error('not bytes');
    return decodeTraceBatch(bytes);
  } catch {
    return [{ type: 'events-dropped', t: nowUs, count }];
  }
}
