import type { NodeStats } from '../../core/messages.js';
import type { ClusterHandle } from '../../launcher/cluster-handle.js';
import { withTimeout } from '../with-timeout.js';

const statsTimeoutMs = 1000;

interface Seen {
  pid: number;
  sent: number;
  dropped: number;
}

/**
 * Counts the messages nodes send each other, from the counters in their `stats` replies.
 * Sample before a node goes away (kill, restart, pause) so that little is lost; a node seen
 * with a new pid restarted and counts from zero again.
 */
export class MessageCounter {
  readonly #cluster: ClusterHandle;
  readonly #seen = new Map<number, Seen>();
  #sent = 0;
  #dropped = 0;

  constructor(cluster: ClusterHandle) {
    this.#cluster = cluster;
  }

  get totals(): { sent: number; dropped: number } {
    return { sent: this.#sent, dropped: this.#dropped };
  }

  /** Reads every running node's counters and adds what changed since the last sample. */
  async sample(): Promise<void> {
    await Promise.all(
      this.#cluster.nodeIds.map(async (id) => {
        if (this.#cluster.info(id).state !== 'up') return;
        const stats = await this.#stats(id);
        if (stats === undefined) return;
        const now: Seen = {
          pid: stats.pid,
          sent: stats.messagesSent,
          dropped: stats.messagesDropped,
        };
        const before = this.#seen.get(id);
        this.#seen.set(id, now);
        if (before === undefined) return;
        const restarted = before.pid !== now.pid || now.sent < before.sent;
        this.#sent += restarted ? now.sent : now.sent - before.sent;
        this.#dropped += restarted ? now.dropped : now.dropped - before.dropped;
      }),
    );
  }

  #stats(id: number): Promise<NodeStats | undefined> {
    const stats = this.#cluster
      .client(id)
      .then((client) => client.stats())
      .catch(() => undefined);
    return withTimeout(stats, statsTimeoutMs, undefined);
  }
}
