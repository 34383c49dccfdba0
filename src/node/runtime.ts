import type { ErrorRecord } from '../core/errors.js';
import type { PeerReply, PeerRequest } from '../core/messages.js';
import type { Random } from '../core/random.js';
import type { PeerRequestBody } from '../protocol/peer-wire.js';
import type { HintTable } from './hints.js';
import type { Store } from './storage/store.js';
import type { TraceNote, Tracer } from './tracer.js';

/** Called once with the peer's reply, or with why there will be none. */
export type PeerReplyCallback = (error: ErrorRecord | undefined, reply?: PeerReply) => void;

/** A peer's request as a node's services receive it (the handshake is the transport's). */
export type PeerMessage = Exclude<PeerRequest, { type: 'auth' }>;

/** What a timer call returns; only its runtime knows what it is. */
export type TimerHandle = { readonly timer: unknown };

/** What a transport tells the node about its peers. */
export interface PeerEvents {
  onUp(peer: number): void;
  onDown(peer: number): void;
  /** Anything arrived from the peer: it is alive. */
  onHeard(peer: number): void;
  /** A peer's request; `reply` sends the answer back over the link's delay. */
  onRequest(from: number, request: PeerMessage, reply: (answer: PeerReply) => void): void;
}

/**
 * How a node reaches its peers: TCP links through the LinkScheduler in a process, the
 * VirtualNetwork in the simulator. A request the link drops is never answered (the caller's
 * deadline covers it); a request to a peer whose connection is down fails at once.
 */
export interface PeerTransport {
  readonly peers: readonly number[];
  listen(events: PeerEvents): void;
  start(): void;
  close(): void;
  isUp(peer: number): boolean;
  /** `note`: what the trace says of the message (given only when tracing is on). */
  send(peer: number, body: PeerRequestBody, onReply: PeerReplyCallback, note?: TraceNote): void;
  /** A one-way message (a heartbeat); false when not sent. `note`: as for `send`. */
  notify(peer: number, body: PeerRequestBody, note?: TraceNote): boolean;
  /** Messages that operations caused: sent through the links, and dropped by them. */
  readonly counters: { sent: number; dropped: number };
}

/**
 * Everything a node's services take from the world: time, timers, random numbers, peers,
 * storage. The real runtime (tcp-runtime.ts) wraps Date.now, performance.now, Node timers and
 * TCP peer links; the simulator's (src/sim/sim-runtime.ts) a virtual clock and network.
 */
export interface NodeRuntime {
  /** Monotonic milliseconds, for deadlines and silences. */
  nowMs(): number;
  /** The machine's wall clock in milliseconds (the node's skew is added by NodeClock). */
  wallMs(): number;
  setTimer(delayMs: number, run: () => void): TimerHandle;
  clearTimer(handle: TimerHandle | undefined): void;
  /** Runs `run` every `intervalMs` until the runtime closes; background work only. */
  every(intervalMs: number, run: () => void): TimerHandle;
  /** Runs `run` soon, after the current work (a local replica's answer). */
  defer(run: () => void): void;
  /** Background work (hints, purge, anti-entropy) the runtime may wait for; errors are logged. */
  track(work: Promise<unknown>): void;
  readonly random: Random;
  readonly transport: PeerTransport;
  readonly store: Store;
  readonly hints: HintTable;
  /** Where the node's trace goes; `noTracer` when the run writes none. */
  readonly tracer: Tracer;
}

/** The part of a runtime that keeps time, for the services that need nothing else. */
export type RuntimeClock = Pick<NodeRuntime, 'nowMs' | 'setTimer' | 'clearTimer'>;
