interface ScheduledEvent {
  atUs: number;
  seq: number;
  run: () => void;
}

/**
 * The simulator's agenda: events on a virtual clock in integer microseconds, run in time order,
 * ties in the order they were scheduled, so a run never depends on anything but its inputs.
 */
export class EventQueue {
  readonly #heap: ScheduledEvent[] = [];
  #nowUs = 0;
  #seq = 0;
  #ran = 0;

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

  /** Runs `run` `delayUs` microseconds from now (0: after everything already due now). */
  after(delayUs: number, run: () => void): void {
    this.at(this.#nowUs + Math.max(0, Math.round(delayUs)), run);
  }

  at(atUs: number, run: () => void): void {
    const event = { atUs: Math.max(atUs, this.#nowUs), seq: this.#seq++, run };
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

  /** Runs the next event; false when none is left. */
  step(): boolean {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return false;
    const last = heap.pop()!;
    if (heap.length > 0) this.#siftDown(last);
    this.#nowUs = top.atUs;
    this.#ran++;
    top.run();
    return true;
  }

  /** Runs events until none is left, or until `eventsMax` ran (a bound against livelock). */
  drain(eventsMax = 10_000_000): void {
    const stopAt = this.#ran + eventsMax;
    while (this.#ran < stopAt && this.step());
    if (this.#heap.length > 0)
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
