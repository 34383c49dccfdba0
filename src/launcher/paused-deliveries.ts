import type { MsgDeliverEvent, TraceEvent } from '../trace/trace-format.js';

/**
 * Messages to a paused node tracked at once (each held delivery too); past it, further messages
 * keep the time their sender wrote them, as if the node had read them.
 */
export const pausedMessagesMax = 100_000;

interface Pause {
  fromUs: number;
  /** Set at `resume`: deliveries reported later but written during the pause move to it. */
  toUs?: number;
  held: MsgDeliverEvent[];
}

/**
 * What really happens to the messages sent to a paused (SIGSTOP) node: the sender writes them
 * to the socket, the kernel keeps them, and the node reads them only when it resumes; a kill
 * before that loses them. A sender traces `msg-deliver` when it writes, so this moves each
 * delivery made during a pause to the resume (or turns it into `msg-drop` `pause` at a kill).
 * Costs nothing while no node has been paused.
 */
export class PausedDeliveries {
  readonly #pauses = new Map<number, Pause>();
  /** Messages sent to a paused node: id -> receiver, until their delivery or drop is seen. */
  readonly #tracked = new Map<number, number>();

  /** Whether a batch must be decoded for `admit`: a node is or was paused, or messages wait. */
  get active(): boolean {
    return this.#pauses.size > 0 || this.#tracked.size > 0;
  }

  pause(node: number, tUs: number): void {
    this.#pauses.set(node, { fromUs: tUs, held: [] });
  }

  /** The node reads what waited for it: the held deliveries, stamped now. */
  resume(node: number, tUs: number): TraceEvent[] {
    const pause = this.#pauses.get(node);
    if (pause === undefined || pause.toUs !== undefined) return [];
    pause.toUs = tUs;
    const released = pause.held.map((event) => ({ ...event, t: tUs }));
    pause.held = [];
    return released;
  }

  /** The node was killed (or restarted): what still waited for it is lost. */
  kill(node: number, tUs: number): TraceEvent[] {
    const pause = this.#pauses.get(node);
    this.#pauses.delete(node);
    for (const [msg, to] of this.#tracked) if (to === node) this.#tracked.delete(msg);
    if (pause === undefined) return [];
    return pause.held.map(({ msg }) => ({ type: 'msg-drop', t: tUs, msg, why: 'pause' }));
  }

  /** A batch of a node's events, with the deliveries made during a pause held or moved. */
  admit(events: readonly TraceEvent[]): readonly TraceEvent[] {
    if (!this.active) return events;
    const admitted: TraceEvent[] = [];
    for (const event of events) {
      if (event.type === 'msg-send') {
        const pause = this.#pauses.get(event.to);
        const during = pause !== undefined && (pause.toUs === undefined || event.t < pause.toUs);
        if (during && this.#tracked.size < pausedMessagesMax)
          this.#tracked.set(event.msg, event.to);
      } else if (event.type === 'msg-deliver' || event.type === 'msg-drop') {
        const to = this.#tracked.get(event.msg);
        if (to !== undefined) {
          this.#tracked.delete(event.msg);
          if (event.type === 'msg-deliver' && this.#hold(to, event, admitted)) continue;
        }
      }
      admitted.push(event);
    }
    return admitted;
  }

  // True when the delivery is held (the node is still paused) or moved into `admitted`.
  #hold(to: number, event: MsgDeliverEvent, admitted: TraceEvent[]): boolean {
    const pause = this.#pauses.get(to);
    if (pause === undefined || event.t < pause.fromUs) return false;
    if (pause.toUs === undefined) {
      pause.held.push(event);
      return true;
    }
    if (event.t >= pause.toUs) return false;
    admitted.push({ ...event, t: pause.toUs });
    return true;
  }
}
