import type { ChalkInstance } from 'chalk';
import { answersFor } from '../../core/levels.js';
import type { ExplainedLevel, ExplainedReplica, Explanation } from '../explain.js';
import { formatLatency, formatValue } from '../../terminal/style.js';

// `explain KEY [LEVEL]` as a few lines of text that fit 80 columns.

export function describeExplanation(explanation: Explanation, style: ChalkInstance): string {
  const { key, range, coordinator, replicationFactor: rf } = explanation;
  const wraps = range.wraps ? ' (wraps past 0)' : '';
  const replicas = explanation.replicas.map((r, i) => `n${r.node}${i === 0 ? ' (primary)' : ''}`);
  const lines = [
    `key ${formatValue(key, 10)}: hash ${hex(range.hash)}, token range (${hex(range.startExclusive)}, ${hex(range.end)}]${wraps}`,
    `replicas in ring order: ${replicas.join(', ')}; RF ${rf}`,
    '',
    `replica  process      seen by n${coordinator}   round trip from n${coordinator}`,
    ...explanation.replicas.map((replica) => describeReplica(replica, style)),
    '',
    `level    needs  can be met from n${coordinator}         expected latency`,
    ...explanation.levels.map((level) => describeLevel(level, explanation, style)),
    '',
    ...describePromise(explanation),
  ];
  if (!explanation.coordinatorUp) {
    lines.push(style.red(`n${coordinator} did not answer: it cannot coordinate now (\`use N\`).`));
  }
  return lines.join('\n');
}

function describeReplica(replica: ExplainedReplica, style: ChalkInstance): string {
  const process = replica.process === 'up' ? style.green('up') : style.red(replica.process);
  const seen = replica.reachable ? style.green(replica.seen) : style.red(replica.seen);
  const roundTrip = replica.seen === 'self' ? '0 (local)' : formatLatency(replica.roundTripMs);
  return `n${String(replica.node).padEnd(7)} ${pad(process, replica.process, 12)} ${pad(seen, replica.seen, 12)} ${roundTrip}`;
}

function describeLevel(level: ExplainedLevel, explanation: Explanation, style: ChalkInstance) {
  const { coordinator, replicationFactor: rf } = explanation;
  const reachable = explanation.replicas.filter((r) => r.reachable).length;
  let verdict: string;
  if (level.met) verdict = 'yes';
  else if (level.required > rf) verdict = `no: needs ${level.required} > RF ${rf}`;
  else if (!explanation.coordinatorUp) verdict = `no: n${coordinator} does not answer`;
  else verdict = `no: ${reachable} of ${rf} replicas up`;
  const painted = level.met ? style.green(verdict) : style.red(verdict);
  const expected = level.expectedMs === null ? '-' : formatLatency(level.expectedMs);
  return `${level.level.padEnd(8)} ${String(level.required).padEnd(6)} ${pad(painted, verdict, 26)} ${expected}`;
}

// W + R > RF with the default level for both, and what a read promises because of it.
function describePromise(explanation: Explanation): string[] {
  const { defaultLevel, replicationFactor: rf } = explanation;
  const needs = answersFor(defaultLevel, rf);
  const head = `default level ${defaultLevel} for writes and reads: W + R = ${needs} + ${needs}`;
  if (explanation.overlap) {
    return [
      `${head} > RF ${rf}: they overlap,`,
      'so a read sees the latest write that completed before it (or a newer one).',
    ];
  }
  return [
    `${head} <= RF ${rf}: they need not overlap,`,
    'so a read may miss a completed write until read repair or anti-entropy spreads it.',
  ];
}

/** Pads a painted cell by its plain text's width, so colours do not break the columns. */
function pad(painted: string, plain: string, width: number): string {
  return painted + ' '.repeat(Math.max(0, width - plain.length));
}

function hex(position: number): string {
  return `0x${position.toString(16).padStart(8, '0')}`;
}
