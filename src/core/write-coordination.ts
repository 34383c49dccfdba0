import type { CoordinationParams, CoordinatorAction } from './coordination.js';
import { Coordination } from './coordination.js';
import type { OpResult, ReplicaReport } from './messages.js';
import type { Version } from './version.js';

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
    for (let i = 0; i < this.nodes.length; i++)
      if (this.answers[i]!.kind !== 'ack') nodes.push(this.nodes[i]!);
    return nodes;
  }

  onAck(node: number, created: boolean): CoordinatorAction[] {
    if (this.finished || !this.isPending(node)) return [];
    this.setAnswer(node, { kind: 'ack', created, ts: this.version.ts });
    return this.afterAnswer();
  }

  protected sendAll(): CoordinatorAction[] {
    const actions: CoordinatorAction[] = [];
    for (let i = 0; i < this.nodes.length; i++) {
      if (this.answers[i]!.kind === 'pending')
        actions.push({ type: 'write', to: this.nodes[i]!, version: this.version });
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

  protected result(): OpResult {
    const replicas: ReplicaReport[] = [];
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      const answer = this.answers[i]!;
      if (answer.kind === 'ack') {
        replicas.push({ node, state: 'fresh', ts: answer.ts, created: answer.created });
      } else {
        replicas.push({ node, state: answer.kind === 'down' ? 'down' : 'pending' });
      }
    }
    return this.resultOf(this.version, replicas);
  }
}
