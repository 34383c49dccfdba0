interface ScheduledEvent {
  atUs: number;
  seq: number;
  run: () => void;
  /** Background work (a periodic timer) does not keep `drain` going. */
  background: boolean;
}

/** Events one `drain` runs at most: past this a run is taken to livelock. */
export const eventsPerDrainMax = 10_000_000;

/**
 * The simulator's agenda: events on a virtual clock in integer microseconds, run in time order,
 * ties in the order they were scheduled, so a run never depends on anything but its inputs.
 * Shared by the simulator and the bench's FIFO model.
 */
export class EventQueue {
  readonly #heap: ScheduledEvent[] = [];
  #nowUs = 0;
  #seq = 0;
  #ran = 0;
  #foreground = 0;
  /** Whether the event run last was background work: what it schedules is background too. */
  #inBackground = false;

  get nowUs(): number {
    return this.#nowUs;
  }

  get nowMs(): number {
    return this.#nowUs / 1000;
  }

  get size(): number {
    return this.#heap.length;
  }

  get eventsRun(): number {
    return this.#ran;
  }

  /** Events due that are not background work: while there are any, the run is not quiet. */
  get foreground(): number {
    return this.#foreground;
  }

  /** When the next event is due; undefined when none is left. */
  get nextAtUs(): number | undefined {
    return this.#heap[0]?.atUs;
  }

  /**
   * Runs `run` `delayUs` microseconds from now (0: after everything already due now). An event
   * is background work when asked, or when scheduled by background work (the last event run, and
   * the promise continuations it released, until `foregroundNow`).
   */
  after(delayUs: number, run: () => void, background = this.#inBackground): void {
    this.at(this.#nowUs + Math.max(0, Math.round(delayUs)), run, background);
  }

  at(atUs: number, run: () => void, background = this.#inBackground): void {
    const event = { atUs: Math.max(atUs, this.#nowUs), seq: this.#seq++, run, background };
    if (!background) this.#foreground++;
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  /** What is scheduled from now on is foreground work (until a background event runs). */
  foregroundNow(): void {
    this.#inBackground = false;
  }

  /** Runs the next event; false when none is left. */
  step(): boolean {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return false;
    const last = heap.pop()!;
    if (heap.length > 0) this.#siftDown(last);
    this.#nowUs = top.atUs;
    this.#ran++;
    if (!top.background) this.#foreground--;
    this.#inBackground = top.background;
    top.run();
    return true;
  }

  /**
   * Runs events until only background work is left (or nothing), or until `eventsMax` ran (a
   * bound against livelock).
   */
  drain(eventsMax = eventsPerDrainMax): void {
    const stopAt = this.#ran + eventsMax;
    while (this.#foreground > 0 && this.#ran < stopAt) this.step();
    if (this.#foreground > 0)
      throw new Error(`Simulation did not settle within ${eventsMax} events.`);
  }

  #siftDown(event: ScheduledEvent): void {
    const heap = this.#heap;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, event)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = event;
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.atUs < b.atUs || (a.atUs === b.atUs && a.seq < b.seq);
}
