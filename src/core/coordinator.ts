import type { Timestamp } from './clock.js';
import { QuartetError, type ErrorRecord } from './errors.js';
import type { LevelName } from './levels.js';
import type { DataOp, OpResult, RepairEvent, ReplicaReport } from './messages.js';
import { compareVersions, newestVersion, type Version } from './version.js';

export type ReadRepairMode = 'background' | 'blocking' | 'off';

/** What the coordinator asks its host (a real node or the simulator) to do. */
export type CoordinatorAction =
  | { type: 'read'; to: number }
  | { type: 'write'; to: number; version: Version }
  | { type: 'repair'; to: number; version: Version }
  | { type: 'respond'; result: OpResult }
  | { type: 'fail'; error: ErrorRecord }
  | { type: 'repair-event'; event: RepairEvent }
  /** Call onTimeout once more after another requestTimeoutMs (repairs sent at the deadline). */
  | { type: 'rearm' }
  | { type: 'done' };

export interface CoordinationParams {
  op: DataOp;
  key: string;
  level: LevelName;
  coordinator: number;
  replicas: readonly number[];
  required: number;
  /** Replicas the coordinator already knows it cannot reach. */
  down: ReadonlySet<number>;
}

type Answer =
  | { kind: 'pending' }
  | { kind: 'down' }
  | { kind: 'read'; version: Version | undefined }
  | { kind: 'ack'; created: boolean; ts: Timestamp };

/**
 * One request as a state machine. The host feeds it events (replies, failures, the deadline)
 * and carries out the actions it returns; it never touches a socket, a timer or a clock.
 */
export abstract class Coordination {
  readonly params: CoordinationParams;
  protected readonly answers = new Map<number, Answer>();
  protected responded = false;
  protected finished = false;
  /** Whether requests went out at all (not when refused up front as UNAVAILABLE). */
  protected sent = false;

  constructor(params: CoordinationParams) {
    this.params = params;
    // Replicas in node order, so every report lists them the same way.
    for (const node of [...params.replicas].sort((a, b) => a - b)) {
      this.answers.set(node, params.down.has(node) ? { kind: 'down' } : { kind: 'pending' });
    }
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Actions to begin with: fail fast when too few replicas are reachable. */
  start(): CoordinatorAction[] {
    const reachable = this.count((a) => a.kind !== 'down');
    if (reachable < this.params.required) {
      this.finished = true;
      const { level, required, replicas } = this.params;
      return [
        this.failure(
          'UNAVAILABLE',
          `Level \`${level}\` needs ${required} replicas but only ${reachable} of ${replicas.length} are reachable; use a lower level or bring nodes back.`,
        ),
        { type: 'done' },
      ];
    }
    this.sent = true;
    return this.sendAll();
  }

  /** A replica can no longer be reached (its connection broke). */
  onPeerDown(node: number): CoordinatorAction[] {
    if (this.finished || this.answers.get(node)?.kind !== 'pending') return [];
    this.answers.set(node, { kind: 'down' });
    const possible =
      this.count((a) => a.kind !== 'down' && a.kind !== 'pending') + this.pendingCount();
    if (!this.responded && possible < this.params.required) {
      this.responded = true;
      const answered = this.answeredCount();
      const actions: CoordinatorAction[] = [
        this.failure(
          'UNAVAILABLE',
          `Replica ${node} went down: only ${possible} of ${this.params.replicas.length} replicas can answer, level \`${this.params.level}\` needs ${this.params.required}${this.writeNote(answered)}.`,
        ),
      ];
      return actions.concat(this.afterAnswer());
    }
    return this.afterAnswer();
  }

  /** The deadline passed: answer TIMEOUT if not answered yet, and stop waiting. */
  onTimeout(): CoordinatorAction[] {
    if (this.finished) return [];
    const actions: CoordinatorAction[] = [];
    if (!this.responded) {
      this.responded = true;
      const answered = this.answeredCount();
      actions.push(
        this.failure(
          'TIMEOUT',
          `Timed out: ${answered} of ${this.params.replicas.length} replicas answered, level \`${this.params.level}\` needs ${this.params.required}${this.writeNote(answered)}${this.timeoutNote()}.`,
        ),
      );
    }
    const lingering = this.finishOnTimeout(actions);
    if (lingering) {
      actions.push({ type: 'rearm' });
    } else {
      this.finished = true;
      actions.push({ type: 'done' });
    }
    return actions;
  }

  protected abstract sendAll(): CoordinatorAction[];
  protected abstract afterAnswer(): CoordinatorAction[];
  /** Why the deadline passed when enough replicas did answer (a subclass may know). */
  protected timeoutNote(): string {
    return '';
  }

  /** Adds the deadline's actions; true when work remains that deserves one more deadline. */
  protected abstract finishOnTimeout(actions: CoordinatorAction[]): boolean;

  protected count(predicate: (answer: Answer) => boolean): number {
    let n = 0;
    for (const answer of this.answers.values()) if (predicate(answer)) n++;
    return n;
  }

  protected answeredCount(): number {
    return this.count((a) => a.kind === 'read' || a.kind === 'ack');
  }

  protected pendingCount(): number {
    return this.count((a) => a.kind === 'pending');
  }

  protected failure(code: 'UNAVAILABLE' | 'TIMEOUT', message: string): CoordinatorAction {
    return { type: 'fail', error: new QuartetError(code, message) };
  }

  private writeNote(answered: number): string {
    if (this.params.op === 'get') return '';
    // The write went out to every replica: a silent one may still have applied it.
    if (answered === 0)
      return '; the write may still have been applied on the replicas that did not answer';
    return `; the write was applied on ${answered} replica${answered === 1 ? '' : 's'} and may show up in later reads`;
  }
}

/** A write (insert, update or delete) stamped by the coordinator and sent to every replica. */
export class WriteCoordination extends Coordination {
  readonly version: Version;

  constructor(params: CoordinationParams, version: Version) {
    super(params);
    this.version = version;
  }

  /** Replicas that have not acknowledged the write (down, silent or failed): hints go to them. */
  unacknowledged(): number[] {
    if (!this.sent) return [];
    const nodes: number[] = [];
    for (const [node, answer] of this.answers) if (answer.kind !== 'ack') nodes.push(node);
    return nodes;
  }

  onAck(node: number, created: boolean): CoordinatorAction[] {
    if (this.finished || this.answers.get(node)?.kind !== 'pending') return [];
    this.answers.set(node, { kind: 'ack', created, ts: this.version.ts });
    return this.afterAnswer();
  }

  protected sendAll(): CoordinatorAction[] {
    const actions: CoordinatorAction[] = [];
    for (const [node, answer] of this.answers) {
      if (answer.kind === 'pending')
        actions.push({ type: 'write', to: node, version: this.version });
    }
    return actions;
  }

  protected afterAnswer(): CoordinatorAction[] {
    const actions: CoordinatorAction[] = [];
    if (!this.responded && this.answeredCount() >= this.params.required) {
      this.responded = true;
      actions.push({ type: 'respond', result: this.result() });
    }
    if (this.pendingCount() === 0 && !this.finished) {
      this.finished = true;
      actions.push({ type: 'done' });
    }
    return actions;
  }

  protected finishOnTimeout(): boolean {
    return false;
  }

  private result(): OpResult {
    const { op, key, level, coordinator, required } = this.params;
    const replicas: ReplicaReport[] = [];
    for (const [node, answer] of this.answers) {
      if (answer.kind === 'ack') {
        replicas.push({ node, state: 'fresh', ts: answer.ts, created: answer.created });
      } else {
        replicas.push({ node, state: answer.kind === 'down' ? 'down' : 'pending' });
      }
    }
    const value = this.version.value;
    return {
      op,
      key,
      level,
      coordinator,
      required,
      acks: this.answeredCount(),
      value,
      found: value !== null,
      ts: this.version.ts,
      replicas,
    };
  }
}

/**
 * A read: asks every replica, answers once `required` replied with the newest version, and
 * repairs the replicas whose answers were older or empty: in the background as answers arrive
 * after the reply, or before replying when the mode is blocking.
 */
export class ReadCoordination extends Coordination {
  readonly readRepair: ReadRepairMode;
  /** Repairs sent and not yet confirmed, with the version each replica had. */
  readonly #inFlight = new Map<number, { from?: Timestamp; to: Version }>();
  /** The version each replica holds as far as this read knows: its answer, or the repair sent. */
  readonly #known = new Map<number, Version | undefined>();
  #timedOut = false;

  constructor(params: CoordinationParams, readRepair: ReadRepairMode) {
    super(params);
    this.readRepair = readRepair;
  }

  onReadReply(node: number, version: Version | undefined): CoordinatorAction[] {
    if (this.finished || this.answers.get(node)?.kind !== 'pending') return [];
    this.answers.set(node, { kind: 'read', version });
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
    for (const [node, answer] of this.answers) {
      if (answer.kind === 'pending') actions.push({ type: 'read', to: node });
    }
    return actions;
  }

  protected afterAnswer(): CoordinatorAction[] {
    if (this.finished) return [];
    const actions: CoordinatorAction[] = [];
    const quorumMet = this.answeredCount() >= this.params.required;
    const allIn = this.pendingCount() === 0 || this.#timedOut;
    if (this.readRepair === 'blocking' && quorumMet && !this.responded) {
      actions.push(...this.repairBehind());
      if (this.#inFlight.size === 0) actions.push(this.respond());
    } else if (quorumMet && !this.responded) {
      actions.push(this.respond());
    }
    // Background repair starts once the reply is out: each later answer repairs whoever it shows
    // to be behind, without waiting for the slowest replica.
    if (this.responded && this.readRepair !== 'off') actions.push(...this.repairBehind());
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
      if (this.readRepair !== 'off') actions.push(...this.repairBehind());
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

  /** Sends the newest version to every answered replica known to be behind it. */
  private repairBehind(): CoordinatorAction[] {
    const newest = this.newest();
    if (newest === undefined) return [];
    const actions: CoordinatorAction[] = [];
    for (const [node, known] of this.#known) {
      if (this.#inFlight.has(node)) continue;
      if (known !== undefined && compareVersions(known, newest) >= 0) continue;
      const repair: { from?: Timestamp; to: Version } = { to: newest };
      if (known !== undefined) repair.from = known.ts;
      this.#inFlight.set(node, repair);
      this.#known.set(node, newest);
      actions.push({ type: 'repair', to: node, version: newest });
    }
    return actions;
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

  private repairEvent(
    node: number,
    repair: { from?: Timestamp; to: Version },
    applied: boolean,
  ): RepairEvent {
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
    const versions: (Version | undefined)[] = [];
    for (const answer of this.answers.values())
      if (answer.kind === 'read') versions.push(answer.version);
    return newestVersion(versions);
  }

  private result(): OpResult {
    const { op, key, level, coordinator, required } = this.params;
    const newest = this.newest();
    const replicas: ReplicaReport[] = [];
    for (const [node, answer] of this.answers) {
      replicas.push(reportReplica(node, answer, newest));
    }
    const found = newest !== undefined && newest.value !== null;
    const result: OpResult = {
      op,
      key,
      level,
      coordinator,
      required,
      acks: this.answeredCount(),
      value: found ? newest.value : null,
      found,
      replicas,
    };
    if (newest !== undefined) result.ts = newest.ts;
    return result;
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
