import type { DropReason } from './trace-format.js';
import type { MessageRecord, OperationRecord } from './trace-model.js';

export type AnswerStatus = 'counted' | 'late' | 'dropped' | 'no answer';

/** One replica's part in an operation: the request, its answer and whether it counted. */
export interface ReplicaAnswer {
  node: number;
  /** Absent for the coordinator's own replica, which answers without a message (`local`). */
  request?: MessageRecord;
  local?: true;
  reply?: MessageRecord;
  status: AnswerStatus;
  /** When the answer reached the coordinator. */
  answeredT?: number;
  why?: DropReason;
}

export interface QuorumAccounting {
  required: number;
  /** When the level was met: the level-met event, else the completion of a successful op. */
  levelMetT?: number;
  answers: ReplicaAnswer[];
  repairsSent: MessageRecord[];
}

const requestKinds = new Set(['read', 'write']);
const replyKinds = new Set(['read-reply', 'write-reply']);

/** Which answers counted toward the level, which came late, which were lost (pure). */
export function accountQuorum(op: OperationRecord): QuorumAccounting {
  const coordinator = op.invoke.node;
  const complete = op.complete;
  const levelMetT = op.levelMetT ?? (complete?.ok === true ? complete.t : undefined);
  const answers: ReplicaAnswer[] = [];
  // A coordinator that is a replica answers itself at once, without a message; its completion
  // says whether it did (not pending or down).
  const own = complete?.replicas.find((replica) => replica.node === coordinator);
  if (own !== undefined && own.state !== 'pending' && own.state !== 'down') {
    const counted = levelMetT !== undefined;
    answers.push({
      node: coordinator,
      local: true,
      status: counted ? 'counted' : 'late',
      answeredT: op.invoke.t,
    });
  }
  const repliesUsed = new Set<MessageRecord>();
  for (const request of op.messages) {
    if (request.from !== coordinator || !requestKinds.has(request.kind)) continue;
    const reply = op.messages.find(
      (candidate) =>
        !repliesUsed.has(candidate) &&
        replyKinds.has(candidate.kind) &&
        candidate.from === request.to &&
        candidate.to === coordinator &&
        candidate.sentT >= request.sentT,
    );
    if (reply !== undefined) repliesUsed.add(reply);
    answers.push(judgeAnswer(request, reply, levelMetT));
  }
  const repairsSent = op.messages.filter((message) => message.kind === 'repair');
  return {
    required: complete?.required ?? 0,
    ...(levelMetT === undefined ? {} : { levelMetT }),
    answers,
    repairsSent,
  };
}

function judgeAnswer(
  request: MessageRecord,
  reply: MessageRecord | undefined,
  levelMetT: number | undefined,
): ReplicaAnswer {
  const base = { node: request.to, request, ...(reply === undefined ? {} : { reply }) };
  const lost =
    request.outcome === 'dropped' ? request : reply?.outcome === 'dropped' ? reply : undefined;
  if (lost !== undefined)
    return { ...base, status: 'dropped', ...(lost.why === undefined ? {} : { why: lost.why }) };
  if (reply === undefined || reply.outcome !== 'delivered' || reply.endT === undefined)
    return { ...base, status: 'no answer' };
  const counted = levelMetT !== undefined && reply.endT <= levelMetT;
  return { ...base, status: counted ? 'counted' : 'late', answeredT: reply.endT };
}
