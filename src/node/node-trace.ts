import type { Timestamp } from '../core/clock.js';
import type { AntiEntropyReport } from '../core/messages.js';
import type { PeerState } from './failure-detector.js';
import type { Tracer } from './tracer.js';

/** What hinted handoff did with a hint, for the trace. */
export type HintAction = 'stored' | 'replayed' | 'expired';
export type HintListener = (action: HintAction, target: number, key: string, ts: Timestamp) => void;

/**
 * The hint events of node `node`; undefined when the node never traces (then handoff calls
 * nothing).
 */
export function hintListener(tracer: Tracer, node: number): HintListener | undefined {
  if (!tracer.enabled && tracer.switchable !== true) return undefined;
  return (action, target, key, ts) => {
    if (tracer.enabled)
      tracer.emit({ type: 'hint', t: tracer.nowUs(), action, node, target, key, ts });
  };
}

/** An anti-entropy session's start; its end with the report's counts. */
export function traceAntiEntropy(
  tracer: Tracer,
  node: number,
  peer: number,
  report?: AntiEntropyReport,
): void {
  tracer.emit({
    type: 'anti-entropy',
    t: tracer.nowUs(),
    node,
    peer,
    phase: report === undefined ? 'start' : 'end',
    rangesCompared: report?.rangesCompared ?? 0,
    rangesDiffering: report?.rangesDiffering ?? 0,
    keysSent: report?.keysSent ?? 0,
    keysReceived: report?.keysReceived ?? 0,
  });
}

/**
 * The failure detector's states as `node` last traced them: a change is emitted when the node
 * checks its peers (on connection changes and every heartbeat). Only for a tracer that is or
 * may become enabled.
 */
export class DetectorTrace {
  readonly #tracer: Tracer;
  readonly #node: number;
  readonly #states = new Map<number, PeerState>();

  constructor(tracer: Tracer, node: number) {
    this.#tracer = tracer;
    this.#node = node;
  }

  observe(peer: number, state: PeerState): void {
    // Untraced for a while: a trace started later begins with every peer's state.
    if (!this.#tracer.enabled) return this.#states.clear();
    const before = this.#states.get(peer) ?? 'down';
    if (before === state) return;
    this.#states.set(peer, state);
    const tracer = this.#tracer;
    tracer.emit({ type: 'detector', t: tracer.nowUs(), node: this.#node, peer, state });
  }
}
