// The read repairs a session's reads set off: each reported, as it arrives, as a record that
// names the read (its seq and line), and a wait until none is pending.
import { setTimeout as sleep } from 'node:timers/promises';
import type { QuartetClient } from '../client/client.js';
import type { RepairEvent } from '../core/messages.js';
import type { ClusterHandle } from '../launcher/cluster-handle.js';
import type { RepairRecord } from './records.js';

const repairPollMs = 20;

export class RepairWatch {
  readonly #cluster: ClusterHandle;
  readonly #onRecord: (record: RepairRecord) => void;
  readonly #hooked = new WeakSet<QuartetClient>();
  /** Reads whose repairs may still arrive: node -> request id -> the read's seq and line. */
  readonly #reads = new Map<number, Map<number, { seq: number; line?: number }>>();

  constructor(cluster: ClusterHandle, onRecord: (record: RepairRecord) => void) {
    this.#cluster = cluster;
    this.#onRecord = onRecord;
  }

  /** Listens to the repairs a node's client reports (once per client). */
  hook(client: QuartetClient): void {
    if (this.#hooked.has(client)) return;
    this.#hooked.add(client);
    client.onRepair((event, requestId) => this.#onRepair(client.nodeId, requestId, event));
  }

  /** A read sent to `node` as request `requestId`: its repairs will name `seq` and `line`. */
  trackRead(node: number, requestId: number, seq: number, line: number): void {
    let reads = this.#reads.get(node);
    if (reads === undefined) {
      reads = new Map();
      this.#reads.set(node, reads);
    }
    reads.set(requestId, { seq, line });
  }

  /** Waits until no read repair is pending, or `maxMs` passed; true when none is pending. */
  async settle(maxMs: number): Promise<boolean> {
    // Cancel the timer once settled: a pending timer would keep the process alive for maxMs.
    const timer = new AbortController();
    const timeout = sleep(maxMs, false, { signal: timer.signal }).catch(() => false);
    try {
      return await Promise.race([this.waitForAll().then(() => true), timeout]);
    } finally {
      timer.abort();
    }
  }

  /** Repairs are done when no node still coordinates a read (late answers, repairs in flight). */
  async waitForAll(): Promise<void> {
    for (;;) {
      let active = 0;
      for (const id of this.#cluster.nodeIds) {
        if (this.#cluster.info(id).state !== 'up') continue;
        const client = await this.#cluster.client(id).catch(() => undefined);
        const stats = await client?.stats().catch(() => undefined);
        active += stats?.activeCoordinations ?? 0;
      }
      if (active === 0) return;
      await sleep(repairPollMs);
    }
  }

  #onRepair(node: number, requestId: number, event: RepairEvent): void {
    const read = this.#reads.get(node)?.get(requestId);
    const record: RepairRecord = {
      type: 'repair',
      seq: read?.seq ?? 0,
      node,
      key: event.key,
      replica: event.node,
      to: event.to,
      applied: event.applied,
    };
    if (read?.line !== undefined) record.line = read.line;
    if (event.from !== undefined) record.from = event.from;
    if (event.error !== undefined) record.error = event.error;
    this.#onRecord(record);
  }
}
