import type { Timestamp } from './clock.js';
import type { ErrorCode, ErrorRecord } from './errors.js';
import type { LevelName } from './levels.js';
import type { DataOp, OpResult, RepairEvent, ReplicaReport } from './messages.js';
import type { Version } from './version.js';

export type ReadRepairMode = 'background' | 'blocking' | 'off';

/** What the coordinator asks its host (a real node or the simulator) to do. */
export type CoordinatorAction =
  | { type: 'read'; to: number }
  | { type: 'write'; to: number; version: Version }
  | { type: 'repair'; to: number; version: Version }
  | { type: 'respond'; result: OpResult }
  /** `result` is what the replicas had answered when it failed: acks so far, who was pending or down. */
  | { type: 'fail'; error: ErrorRecord; result: OpResult }
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
  /** The client's operation id, for the trace. */
  opId?: number;
}

export type Answer =
  | { kind: 'pending' }
  | { kind: 'down' }
  | { kind: 'read'; version: Version | undefined }
  | { kind: 'ack'; created: boolean; ts: Timestamp };

/** The replicas in node order: an insertion sort of a handful, without sort()'s scratch arrays. */
function sortedNodes(replicas: readonly number[]): number[] {
  const nodes = replicas.slice();
  for (let i = 1; i < nodes.length; i++) {
    const node = nodes[i]!;
    let j = i - 1;
    for (; j >= 0 && nodes[j]! > node; j--) nodes[j + 1] = nodes[j]!;
    nodes[j + 1] = node;
  }
  return nodes;
}

// Answers without data are shared: every coordination starts with one per replica.
const pendingAnswer: Answer = Object.freeze({ kind: 'pending' });
const downAnswer: Answer = Object.freeze({ kind: 'down' });

/**
 * One request as a state machine. The host feeds it events (replies, failures, the deadline)
 * and carries out the actions it returns; it never touches a socket, a timer or a clock.
 */
export abstract class Coordination {
  readonly params: CoordinationParams;
  /** The replicas in node order, so every report lists them the same way. */
  protected readonly nodes: readonly number[];
  /** `answers[i]` is what `nodes[i]` answered so far. */
  protected readonly answers: Answer[];
  protected responded = false;
  protected finished = false;
  /** Whether requests went out at all (not when refused up front as UNAVAILABLE). */
  protected sent = false;

  constructor(params: CoordinationParams) {
    this.params = params;
    this.nodes = sortedNodes(params.replicas);
    // Mapped, not pushed to from empty (which allocates room for 17 and copies).
    this.answers = this.nodes.map((node) => (params.down.has(node) ? downAnswer : pendingAnswer));
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Actions to begin with: fail fast when too few replicas are reachable. */
  start(): CoordinatorAction[] {
    const reachable = this.answers.length - this.countOf('down');
    if (reachable < this.params.required) {
      this.finished = true;
      const { level, required, replicas } = this.params;
      return [
        this.failure(
          'UNAVAILABLE',
          `Level \`${level}\` needs ${required} replicas but only ${reachable} of ${replicas.length} are reachable (${this.downNodes()} down); use a lower level or bring nodes back.`,
        ),
        { type: 'done' },
      ];
    }
    this.sent = true;
    return this.sendAll();
  }

  /**
   * A replica can no longer be reached (its connection broke), or it refused the request
   * (`refusal`, e.g. CLOCK_SKEW): a failure caused by a refusal carries its code and message.
   */
  onPeerDown(node: number, refusal?: ErrorRecord): CoordinatorAction[] {
    if (this.finished || !this.isPending(node)) return [];
    this.setAnswer(node, downAnswer);
    const possible = this.answeredCount() + this.pendingCount();
    if (!this.responded && possible < this.params.required) {
      this.responded = true;
      const answered = this.answeredCount();
      const { replicas, level, required } = this.params;
      const shortfall = `only ${possible} of ${replicas.length} replicas can answer, level \`${level}\` needs ${required}${this.writeNote(answered)}`;
      const actions: CoordinatorAction[] = [
        refusal === undefined
          ? this.failure('UNAVAILABLE', `Replica ${node} went down: ${shortfall}.`)
          : this.failure(refusal.code, `Replica ${node} refused it: ${refusal.message}`),
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
  /** The result as it stands: every replica's answer so far (built only to reply or to fail). */
  protected abstract result(): OpResult;
  /** Why the deadline passed when enough replicas did answer (a subclass may know). */
  protected timeoutNote(): string {
    return '';
  }

  /** Adds the deadline's actions; true when work remains that deserves one more deadline. */
  protected abstract finishOnTimeout(actions: CoordinatorAction[]): boolean;

  /** How many answers are of `kind` (or of `other`). */
  protected countOf(kind: Answer['kind'], other?: Answer['kind']): number {
    let n = 0;
    for (const answer of this.answers) if (answer.kind === kind || answer.kind === other) n++;
    return n;
  }

  /** The answer to the client: `version` is the newest read, or the write (a tombstone: not found). */
  protected resultOf(version: Version | undefined, replicas: ReplicaReport[]): OpResult {
    const { op, key, level, coordinator, required } = this.params;
    const result: OpResult = {
      op,
      key,
      level,
      coordinator,
      required,
      acks: this.answeredCount(),
      value: version?.value ?? null,
      found: version !== undefined && version.value !== null,
      replicas,
    };
    if (version !== undefined) result.ts = version.ts;
    return result;
  }

  /** Whether `node` is a replica of this request that has not answered yet. */
  protected isPending(node: number): boolean {
    return this.answers[this.nodes.indexOf(node)]?.kind === 'pending';
  }

  protected setAnswer(node: number, answer: Answer): void {
    this.answers[this.nodes.indexOf(node)] = answer;
  }

  protected answeredCount(): number {
    return this.countOf('read', 'ack');
  }

  protected pendingCount(): number {
    return this.countOf('pending');
  }

  // A failure carries the replicas' states as they stand, so the user sees who answered.
  protected failure(code: ErrorCode, message: string): CoordinatorAction {
    // A record, not a QuartetError: the host only passes it on, and an Error's stack costs.
    return { type: 'fail', error: { code, message }, result: this.result() };
  }

  /** The replicas known down, as `n2, n4`. */
  private downNodes(): string {
    const down: string[] = [];
    for (let i = 0; i < this.nodes.length; i++)
      if (this.answers[i]!.kind === 'down') down.push(`n${this.nodes[i]!}`);
    return down.join(', ');
  }

  private writeNote(answered: number): string {
    if (this.params.op === 'get') return '';
    // The write went out to every replica: a silent one may still have applied it.
    if (answered === 0)
      return '; the write may still have been applied on the replicas that did not answer';
    return `; the write was applied on ${answered} replica${answered === 1 ? '' : 's'} and may show up in later reads`;
  }
}
