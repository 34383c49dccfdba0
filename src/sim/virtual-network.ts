import type { ClusterConfig } from '../config/types.js';
import { isDropped, sampleDelayMs } from '../core/delay.js';
import { LinkTable } from '../core/links.js';
import type { Random } from '../core/random.js';
import type { EventQueue } from './event-queue.js';

/**
 * The links between simulated nodes: the config's delay model (per-server mean, per-link
 * overrides, distribution), loss and partitions from the same LinkTable the real nodes use, and
 * FIFO order per link unless the config says `fifo: false` (then messages may overtake).
 */
export class VirtualNetwork {
  readonly links: LinkTable;
  readonly #config: ClusterConfig;
  readonly #queue: EventQueue;
  readonly #random: Random;
  readonly #lastAtUs = new Map<number, number>();
  #sent = 0;
  #dropped = 0;

  constructor(config: ClusterConfig, queue: EventQueue, random: Random) {
    this.links = new LinkTable(config);
    this.#config = config;
    this.#queue = queue;
    this.#random = random;
  }

  get counters(): { sent: number; dropped: number } {
    return { sent: this.#sent, dropped: this.#dropped };
  }

  /** Sends one message; `deliver` runs when it arrives. A node's messages to itself are not delayed. */
  send(from: number, to: number, deliver: () => void): void {
    if (from === to) {
      this.#queue.after(0, deliver);
      return;
    }
    const link = this.links.get(from, to);
    if (isDropped(link, this.#random)) {
      this.#dropped++;
      return;
    }
    this.#sent++;
    const delayMs = sampleDelayMs(this.#config.delayDistribution, link.delayMsMean, this.#random);
    let atUs = this.#queue.nowUs + Math.round(delayMs * 1000);
    if (this.#config.fifo) {
      const name = from * 65_536 + to;
      atUs = Math.max(atUs, this.#lastAtUs.get(name) ?? 0);
      this.#lastAtUs.set(name, atUs);
    }
    this.#queue.at(atUs, deliver);
  }

  /** Restores every link's loss rate to the config's. */
  clearLoss(): void {
    for (const from of this.#config.servers) {
      for (const to of this.#config.servers) {
        if (from.id === to.id) continue;
        const configured = this.#config.links.find((l) => l.from === from.id && l.to === to.id);
        this.links.setLinkLoss(from.id, to.id, configured?.lossRate ?? 0);
      }
    }
  }
}
