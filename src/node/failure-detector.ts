export type PeerState = 'up' | 'suspect' | 'down';

export interface PeerView {
  node: number;
  state: PeerState;
  connected: boolean;
  /** Milliseconds since anything was heard from the peer; null if never. */
  lastHeardAgoMs: number | null;
}

/**
 * Decides, from heartbeats and connections, which peers are up. A peer is down when its
 * connection is gone or it has been silent for `downAfterMs`; suspect after `suspectAfterMs`.
 * Time comes in as an argument.
 */
export class FailureDetector {
  readonly #suspectAfterMs: number;
  readonly #downAfterMs: number;
  readonly #lastHeardMs = new Map<number, number>();
  readonly #connected = new Map<number, boolean>();

  constructor(
    peers: readonly number[],
    thresholds: { suspectAfterMs: number; downAfterMs: number },
  ) {
    this.#suspectAfterMs = thresholds.suspectAfterMs;
    this.#downAfterMs = thresholds.downAfterMs;
    for (const peer of peers) this.#connected.set(peer, false);
  }

  heard(peer: number, nowMs: number): void {
    this.#lastHeardMs.set(peer, nowMs);
  }

  setConnected(peer: number, connected: boolean, nowMs: number): void {
    this.#connected.set(peer, connected);
    // A fresh connection is news from the peer: it starts its silence count now.
    if (connected) this.#lastHeardMs.set(peer, nowMs);
  }

  state(peer: number, nowMs: number): PeerState {
    if (this.#connected.get(peer) !== true) return 'down';
    const heardMs = this.#lastHeardMs.get(peer);
    if (heardMs === undefined) return 'down';
    const silentMs = nowMs - heardMs;
    if (silentMs >= this.#downAfterMs) return 'down';
    if (silentMs >= this.#suspectAfterMs) return 'suspect';
    return 'up';
  }

  isAvailable(peer: number, nowMs: number): boolean {
    return this.state(peer, nowMs) !== 'down';
  }

  views(nowMs: number): PeerView[] {
    return [...this.#connected.keys()].map((node) => {
      const heardMs = this.#lastHeardMs.get(node);
      return {
        node,
        state: this.state(node, nowMs),
        connected: this.#connected.get(node) === true,
        lastHeardAgoMs: heardMs === undefined ? null : Math.max(0, Math.round(nowMs - heardMs)),
      };
    });
  }
}
