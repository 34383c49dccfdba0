import type { LinkSettings } from './delay.js';

export interface LinkTableInput {
  servers: readonly { id: number; delayMsMean: number }[];
  links: readonly { from: number; to: number; delayMsMean?: number; lossRate?: number }[];
}

/**
 * Every one-way link's settings: the per-server delay of the target, per-link overrides on top,
 * and partitions. The orchestrator changes it at run time (delay, loss, partition, heal).
 */
export class LinkTable {
  readonly #serverDelayMs = new Map<number, number>();
  readonly #overrides = new Map<string, { delayMsMean?: number; lossRate?: number }>();
  #groups: number[][] | undefined;
  /** Settings per link as last computed; cleared by every change. */
  readonly #resolved = new Map<number, Readonly<LinkSettings>>();

  constructor(input: LinkTableInput) {
    for (const server of input.servers) this.#serverDelayMs.set(server.id, server.delayMsMean);
    for (const link of input.links) this.#overrides.set(linkName(link.from, link.to), { ...link });
  }

  /** The settings of one link, computed once per change (every message asks). */
  get(from: number, to: number): LinkSettings {
    const slot = from * 0x10000 + to;
    let settings = this.#resolved.get(slot);
    if (settings === undefined) {
      const override = this.#overrides.get(linkName(from, to));
      settings = {
        delayMsMean: override?.delayMsMean ?? this.#serverDelayMs.get(to) ?? 0,
        lossRate: override?.lossRate ?? 0,
        blocked: this.isPartitioned(from, to),
      };
      this.#resolved.set(slot, settings);
    }
    return settings;
  }

  /** `delay N 50ms`: the mean delay of messages to node N from any other node. */
  setServerDelay(to: number, delayMsMean: number): void {
    this.#resolved.clear();
    this.#serverDelayMs.set(to, delayMsMean);
    for (const [name, override] of this.#overrides) {
      if (name.endsWith(`->${to}`)) delete override.delayMsMean;
    }
  }

  setLinkDelay(from: number, to: number, delayMsMean: number): void {
    this.#resolved.clear();
    this.#override(from, to).delayMsMean = delayMsMean;
  }

  setLinkLoss(from: number, to: number, lossRate: number): void {
    this.#resolved.clear();
    this.#override(from, to).lossRate = lossRate;
  }

  /** Nodes in different groups cannot reach each other; nodes in no group reach everyone. */
  partition(groups: number[][]): void {
    this.#resolved.clear();
    this.#groups = groups.map((group) => [...group]);
  }

  heal(): void {
    this.#resolved.clear();
    this.#groups = undefined;
  }

  isPartitioned(from: number, to: number): boolean {
    if (this.#groups === undefined) return false;
    const fromGroup = this.#groups.findIndex((group) => group.includes(from));
    const toGroup = this.#groups.findIndex((group) => group.includes(to));
    return fromGroup !== -1 && toGroup !== -1 && fromGroup !== toGroup;
  }

  #override(from: number, to: number): { delayMsMean?: number; lossRate?: number } {
    const name = linkName(from, to);
    let override = this.#overrides.get(name);
    if (override === undefined) {
      override = {};
      this.#overrides.set(name, override);
    }
    return override;
  }
}

function linkName(from: number, to: number): string {
  return `${from}->${to}`;
}
