// Which `stale N` / `repaired N` facts of a saved session a replay can be expected to
// reproduce: those where replica N missed the key's last write because a fault dropped it.
import { LinkTable, type LinkTableInput } from '../core/links.js';
import type { Command } from './commands.js';
import type { LoggedOutcome, LoggedRepair } from './session-log.js';

export interface ReadFacts {
  /** Facts to assert, in order: `stale N`, then `repaired N` where it was applied. */
  kept: string[];
  /** Facts seen but left out: timing, not a fault, decided them. */
  leftOut: string[];
}

/**
 * Follows a session line by line. A replica that did not acknowledge a write, while the
 * partition or a 100% loss on the link from the coordinator dropped the write to it, missed
 * that write whatever the timing; a later read that sees it stale sees it stale on replay too.
 * Anything that may bring it up to date meanwhile (restart or resume with hinted handoff,
 * anti-entropy, a read repair, a failed write of the key) ends that certainty; so does a wait
 * once the link is open again, since the coordinator's hint may be replayed in it.
 */
export class StaleFacts {
  readonly #links: LinkTable;
  /** key -> replicas that missed its last acknowledged write to a dropping link. */
  readonly #missed = new Map<string, Set<number>>();
  /** key -> replica -> the coordinator of the write it missed (who holds the hint). */
  readonly #hintHolders = new Map<string, Map<number, number>>();

  constructor(config: LinkTableInput) {
    this.#links = new LinkTable(config);
  }

  /** A fault or flow line that ran (successfully). */
  applyCommand(command: Command): void {
    switch (command.kind) {
      case 'partition':
        return this.#links.partition(command.groups);
      case 'heal':
        return this.#links.heal();
      case 'loss':
        return this.#links.setLinkLoss(command.from, command.to, command.lossRate);
      case 'restart':
      case 'resume':
        for (const nodes of this.#missed.values()) nodes.delete(command.node);
        return;
      case 'repair':
        return this.#missed.clear();
      case 'wait':
      case 'sleep':
        return this.#forgetHinted();
      default:
        return;
    }
  }

  /**
   * A wait (typed, or put in for a pause at the prompt): a replica whose link from the write's
   * coordinator is open again may be sent that coordinator's hint meanwhile.
   */
  applyWait(): void {
    this.#forgetHinted();
  }

  #forgetHinted(): void {
    for (const [key, nodes] of this.#missed) {
      const holders = this.#hintHolders.get(key);
      for (const node of nodes) {
        const holder = holders?.get(node);
        if (holder === undefined || !this.#isDropping(holder, node)) nodes.delete(node);
      }
    }
  }

  /** A write (insert, update, delete) of `key` and what it returned. */
  applyWrite(key: string, outcome: LoggedOutcome): void {
    if (!outcome.ok) {
      // It may have reached some replicas: which ones is timing.
      this.#missed.delete(key);
      return;
    }
    const coordinator = outcome.node;
    const missed = (outcome.replicas ?? [])
      .filter((r) => r.node !== coordinator && r.state !== 'fresh')
      .filter((r) => this.#isDropping(coordinator, r.node))
      .map((r) => r.node);
    this.#missed.set(key, new Set(missed));
    this.#hintHolders.set(key, new Map(missed.map((node) => [node, coordinator])));
  }

  /** A read of `key`: which of the stale replicas it saw a replay will see stale too. */
  applyRead(key: string, outcome: LoggedOutcome, repairs: readonly LoggedRepair[]): ReadFacts {
    const facts: ReadFacts = { kept: [], leftOut: [] };
    if (!outcome.ok) return facts;
    const missed = this.#missed.get(key);
    for (const node of staleReplicas(outcome, repairs)) {
      const repaired = repairs.some((r) => r.replica === node && r.applied);
      if (missed?.has(node) !== true) {
        facts.leftOut.push(
          ...(repaired ? [`stale ${node}`, `repaired ${node}`] : [`stale ${node}`]),
        );
        continue;
      }
      facts.kept.push(`stale ${node}`);
      if (!repaired) continue;
      // The write's coordinator holds a hint for the replica: once their link is open again it
      // replays it, and whether the hint or this read's repair lands first is timing (a repair
      // that comes second is "not needed").
      const holder = this.#hintHolders.get(key)?.get(node);
      const hintRaces = holder !== undefined && !this.#isDropping(holder, node);
      (hintRaces ? facts.leftOut : facts.kept).push(`repaired ${node}`);
    }
    // The read repaired whom it could; who is still cut off stays behind.
    for (const repair of repairs) missed?.delete(repair.replica);
    return facts;
  }

  #isDropping(from: number, to: number): boolean {
    const link = this.#links.get(from, to);
    return link.blocked || link.lossRate >= 1;
  }
}

// Stale in a read: it answered stale or missing, or answered late and was sent a repair.
function staleReplicas(outcome: LoggedOutcome, repairs: readonly LoggedRepair[]): number[] {
  const nodes = new Set<number>();
  for (const replica of outcome.replicas ?? []) {
    if (replica.state === 'stale' || replica.state === 'missing') nodes.add(replica.node);
  }
  for (const repair of repairs) nodes.add(repair.replica);
  return [...nodes].sort((a, b) => a - b);
}
