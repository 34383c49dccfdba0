import { formatTimestamp } from '../core/clock.js';
import { levelNames } from '../core/levels.js';
import type { Finding } from '../check/report.js';
import { trackKeyVersions, type VersionSource } from './key-versions.js';
import { accountQuorum, type AnswerStatus } from './quorum-accounting.js';
import { backgroundKinds, dropReasons, messageKinds } from './trace-format.js';
import type { TraceModel } from './trace-model.js';

export const answerStatuses: readonly AnswerStatus[] = ['counted', 'late', 'dropped', 'no answer'];
export const versionSources: readonly VersionSource[] = [
  'write',
  'read repair',
  'hint',
  'anti-entropy',
];
export const bandKinds = ['down', 'paused', 'partitioned'] as const;

/** [id, client, node, kind, key, level, invokeT, completeT, levelMetT, ok, acks, required, value, error, answers, repairs] */
export type OpRow = [
  number,
  string,
  number,
  string,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  string | null,
  string | null,
  /** [node, status, answeredT or -1, request delayUs or -1 (the coordinator's own replica), why or ''] */
  [number, number, number, number, string][],
  /** [t, node, applied 1/0, to-version label] */
  [number, number, number, string][],
];

/**
 * What the report page embeds: compact arrays, so a message costs a few dozen bytes. Times are µs.
 * Message fates: 0 delivered, -1 in flight, n > 0 dropped for `whys[n - 1]`.
 */
export interface ReportData {
  version: 1;
  source: 'cluster' | 'sim';
  nodes: number[];
  replicationFactor: number;
  seed: number | null;
  endT: number;
  /** The longest a message took from send to delivery or drop: bounds a window's search. */
  maxSpanT: number;
  eventsDropped: number;
  kinds: string[];
  background: number[];
  whys: string[];
  levels: string[];
  answerStatuses: string[];
  versionSources: string[];
  bandKinds: string[];
  keys: string[];
  m: number[];
  ops: OpRow[];
  /** [node, kind, fromT, toT or -1, label] */
  bands: [number, number, number, number, string][];
  /** Lane markers: [t, node, label] for hints, repairs, anti-entropy, detector changes, faults. */
  marks: [number, number, string][];
  /** [key, replicas, changes [node, t, version, source], windows [fromT, toT or -1, closedBy or -1]] */
  versions: [number, number[], [number, number, string, number][], [number, number, number][]][];
  /** [kind, key, operation ids, message, broken 1/0] */
  findings: [string, string, number[], string, number][];
}

export function encodeReportData(model: TraceModel, findings: readonly Finding[] = []): ReportData {
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const keyOf = (key: string | undefined): number => {
    if (key === undefined) return -1;
    let index = keyIndex.get(key);
    if (index === undefined) keyIndex.set(key, (index = keys.push(key) - 1));
    return index;
  };
  const kindIndex = new Map<string, number>(messageKinds.map((kind, i) => [kind, i]));
  const m: number[] = [];
  let maxSpanT = 0;
  for (const message of model.messages) {
    const endT = message.endT ?? -1;
    if (endT >= 0) maxSpanT = Math.max(maxSpanT, endT - message.sentT);
    const fate =
      message.outcome === 'delivered'
        ? 0
        : message.outcome === 'in-flight'
          ? -1
          : dropReasons.indexOf(message.why ?? 'loss') + 1;
    const key =
      message.key ??
      (message.op === null ? undefined : model.operations.get(message.op)?.invoke.key);
    m.push(
      message.sentT,
      endT,
      message.from,
      message.to,
      kindIndex.get(message.kind) ?? 0,
      message.op ?? -1,
      keyOf(key),
      fate,
      Math.round(message.delayMs * 1000),
    );
  }
  const ops: OpRow[] = [];
  for (const op of model.operations.values()) {
    const { invoke, complete } = op;
    const accounting = accountQuorum(op);
    ops.push([
      invoke.op,
      invoke.client,
      invoke.node,
      invoke.kind,
      keyOf(invoke.key),
      levelNames.indexOf(invoke.level),
      invoke.t,
      complete?.t ?? -1,
      accounting.levelMetT ?? -1,
      complete === undefined ? -1 : complete.ok ? 1 : 0,
      complete?.acks ?? 0,
      complete?.required ?? 0,
      complete?.value ?? invoke.value ?? null,
      complete?.error === undefined ? null : `${complete.error.code}: ${complete.error.message}`,
      accounting.answers.map((answer) => [
        answer.node,
        answerStatuses.indexOf(answer.status),
        answer.answeredT ?? -1,
        answer.request === undefined ? -1 : Math.round(answer.request.delayMs * 1000),
        answer.why ?? '',
      ]),
      op.repairs.map((repair) => [
        repair.t,
        repair.node,
        repair.applied ? 1 : 0,
        repair.to === undefined ? '' : formatTimestamp(repair.to),
      ]),
    ]);
  }
  return {
    version: 1,
    source: model.meta.source,
    nodes: model.meta.nodes,
    replicationFactor: model.meta.replicationFactor,
    seed: model.meta.seed ?? null,
    endT: model.endT,
    maxSpanT,
    eventsDropped: model.eventsDropped,
    kinds: [...messageKinds],
    background: backgroundKinds.map((kind) => messageKinds.indexOf(kind)),
    whys: [...dropReasons],
    levels: [...levelNames],
    answerStatuses: [...answerStatuses],
    versionSources: [...versionSources],
    bandKinds: [...bandKinds],
    keys,
    m,
    ops,
    bands: model.bands.map((band) => [
      band.node,
      bandKinds.indexOf(band.kind),
      band.fromT,
      band.toT ?? -1,
      band.label,
    ]),
    marks: collectMarks(model),
    versions: trackKeyVersions(model).map((entry) => [
      keyOf(entry.key),
      entry.replicas,
      entry.changes.map((change) => [
        change.node,
        change.t,
        formatTimestamp(change.ts),
        versionSources.indexOf(change.via),
      ]),
      entry.windows.map((window) => [
        window.fromT,
        window.toT ?? -1,
        window.closedBy === undefined ? -1 : versionSources.indexOf(window.closedBy),
      ]),
    ]),
    findings: findings.map((finding) => [
      finding.kind,
      finding.key,
      finding.operations,
      finding.message,
      finding.broken ? 1 : 0,
    ]),
  };
}

function collectMarks(model: TraceModel): [number, number, string][] {
  const marks: [number, number, string][] = [];
  for (const event of model.events) {
    if (event.type === 'hint')
      marks.push([event.t, event.node, `hint ${event.action} for n${event.target}: ${event.key}`]);
    else if (event.type === 'repair')
      marks.push([
        event.t,
        event.node,
        `read repair ${event.applied ? 'applied' : 'not applied'}: ${event.key}`,
      ]);
    else if (event.type === 'detector')
      marks.push([event.t, event.node, `n${event.peer} is ${event.state}`]);
    else if (event.type === 'anti-entropy')
      marks.push([
        event.t,
        event.node,
        event.phase === 'start'
          ? `anti-entropy with n${event.peer} starts`
          : `anti-entropy with n${event.peer}: ${event.rangesDiffering}/${event.rangesCompared} ranges differ, ${event.keysSent} keys sent, ${event.keysReceived} received`,
      ]);
    else if (event.type === 'fault') {
      const detail =
        event.groups === undefined
          ? ''
          : ` ${event.groups.map((group) => group.join(',')).join(' | ')}`;
      for (const node of event.node === undefined ? model.meta.nodes : [event.node])
        marks.push([event.t, node, `${event.fault}${detail}`]);
    } else if (event.type === 'events-dropped')
      for (const node of model.meta.nodes)
        marks.push([event.t, node, `${event.count} trace events dropped here`]);
  }
  return marks;
}
