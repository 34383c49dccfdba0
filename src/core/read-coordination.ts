import type { Timestamp } from './clock.js';
import type { ErrorRecord } from './errors.js';
import {
  Coordination,
  type Answer,
  type CoordinationParams,
  type CoordinatorAction,
  type ReadRepairMode,
} from './coordination.js';
import type { OpResult, RepairEvent, ReplicaReport } from './messages.js';
import { compareVersions, mergeVersions, type Version } from './version.js';

interface InFlightRepair {
  from?: Timestamp;
  to: Version;
}

/** The repairs in flight of every read that sent none: never written to. */
const noRepairs = new Map<number, InFlightRepair>();

/**
 * A read: asks every replica, answers once `required` replied with the newest version, and
 * repairs the replicas whose answers were older or empty: in the background as answers arrive
 * after the reply, or before replying when the mode is blocking.
 */
export class ReadCoordination extends Coordination {
  readonly readRepair: ReadRepairMode;
  /**
   * Repairs sent and not yet confirmed, with the version each replica had: the shared empty
   * map until the first repair (most reads repair nothing), so a read allocates none.
   */
  #inFlight: Map<number, InFlightRepair> = noRepairs;
  /** The version each replica holds as far as this read knows: its answer, or the repair sent. */
  readonly #known = new Map<number, Version | undefined>();
  #timedOut = false;

  constructor(params: CoordinationParams, readRepair: ReadRepairMode) {
    super(params);
    this.readRepair = readRepair;
  }

  onReadReply(node: number, version: Version | undefined): CoordinatorAction[] {
    if (this.finished || !this.isPending(node)) return [];
    this.setAnswer(node, { kind: 'read', version });
    this.#known.set(node, version);
    return this.afterAnswer();
  }

  onRepairAck(node: number, applied: boolean, before?: Timestamp): CoordinatorAction[] {
    return this.settleRepair(node, applied, before);
  }

  onRepairFailed(node: number, error: ErrorRecord): CoordinatorAction[] {
    return this.settleRepair(node, false, undefined, error);
  }

  protected sendAll(): CoordinatorAction[] {
    const actions: CoordinatorAction[] = [];
    for (let i = 0; i < this.nodes.length; i++)
      if (this.answers[i]!.kind === 'pending') actions.push({ type: 'read', to: this.nodes[i]! });
    return actions;
  }

  protected afterAnswer(): CoordinatorAction[] {
    if (this.finished) return [];
    const actions: CoordinatorAction[] = [];
    const quorumMet = this.answeredCount() >= this.params.required;
    const allIn = this.pendingCount() === 0 || this.#timedOut;
    if (this.readRepair === 'blocking' && quorumMet && !this.responded) {
      this.repairBehind(actions);
      if (this.#inFlight.size === 0) actions.push(this.respond());
    } else if (quorumMet && !this.responded) {
      actions.push(this.respond());
    }
    // Background repair starts once the reply is out: each later answer repairs whoever it shows
    // to be behind, without waiting for the slowest replica.
    if (this.responded && this.readRepair !== 'off') this.repairBehind(actions);
    if (allIn && this.responded && this.#inFlight.size === 0) {
      this.finished = true;
      actions.push({ type: 'done' });
    }
    return actions;
  }

  protected finishOnTimeout(actions: CoordinatorAction[]): boolean {
    if (!this.#timedOut) {
      // First deadline: replicas still silent are given up on; the answered ones get repaired.
      this.#timedOut = true;
      if (this.readRepair !== 'off') this.repairBehind(actions);
      return this.#inFlight.size > 0;
    }
    for (const [node, repair] of this.#inFlight) {
      const event = this.repairEvent(node, repair, false);
      event.error = {
        code: 'TIMEOUT',
        message: `Replica ${node} did not confirm the repair in time.`,
      };
      actions.push({ type: 'repair-event', event });
    }
    this.#inFlight.clear();
    return false;
  }

  protected override timeoutNote(): string {
    if (this.readRepair !== 'blocking' || this.#inFlight.size === 0) return '';
    const nodes = [...this.#inFlight.keys()].map((node) => `node ${node}`).join(', ');
    return `; the blocking read repair of ${nodes} was not confirmed in time`;
  }

  private respond(): CoordinatorAction {
    this.responded = true;
    return { type: 'respond', result: this.result() };
  }

  /** Adds to `actions` a repair of every answered replica known to be behind the newest. */
  private repairBehind(actions: CoordinatorAction[]): void {
    const newest = this.newest();
    if (newest === undefined) return;
    for (const [node, known] of this.#known) {
      if (this.#inFlight.has(node)) continue;
      if (known !== undefined && compareVersions(known, newest) >= 0) continue;
      const repair: InFlightRepair = { to: newest };
      if (known !== undefined) repair.from = known.ts;
      if (this.#inFlight === noRepairs) this.#inFlight = new Map();
      this.#inFlight.set(node, repair);
      this.#known.set(node, newest);
      actions.push({ type: 'repair', to: node, version: newest });
    }
  }

  private settleRepair(
    node: number,
    applied: boolean,
    before?: Timestamp,
    error?: ErrorRecord,
  ): CoordinatorAction[] {
    const repair = this.#inFlight.get(node);
    if (repair === undefined) return [];
    this.#inFlight.delete(node);
    const event = this.repairEvent(node, repair, applied);
    if (before !== undefined) event.from = before;
    if (error !== undefined) event.error = error;
    const actions: CoordinatorAction[] = [{ type: 'repair-event', event }];
    return actions.concat(this.afterAnswer());
  }

  private repairEvent(node: number, repair: InFlightRepair, applied: boolean): RepairEvent {
    const event: RepairEvent = {
      key: this.params.key,
      node,
      coordinator: this.params.coordinator,
      to: repair.to.ts,
      applied,
    };
    if (repair.from !== undefined) event.from = repair.from;
    return event;
  }

  private newest(): Version | undefined {
    let newest: Version | undefined;
    for (const answer of this.answers)
      if (answer.kind === 'read') newest = mergeVersions(newest, answer.version);
    return newest;
  }

  protected result(): OpResult {
    const newest = this.newest();
    const replicas: ReplicaReport[] = [];
    for (let i = 0; i < this.nodes.length; i++)
      replicas.push(reportReplica(this.nodes[i]!, this.answers[i]!, newest));
    return this.resultOf(newest, replicas);
  }
}

function reportReplica(node: number, answer: Answer, newest: Version | undefined): ReplicaReport {
  if (answer.kind === 'pending' || answer.kind === 'down') return { node, state: answer.kind };
  if (answer.kind === 'ack') return { node, state: 'fresh', ts: answer.ts };
  const { version } = answer;
  if (version === undefined) return { node, state: newest === undefined ? 'fresh' : 'missing' };
  const state = newest !== undefined && compareVersions(version, newest) < 0 ? 'stale' : 'fresh';
  return { node, state, ts: version.ts };
}
