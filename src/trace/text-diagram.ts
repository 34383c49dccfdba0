import { formatTimestamp } from '../core/clock.js';
import { accountQuorum, type ReplicaAnswer } from './quorum-accounting.js';
import type { Trace } from './trace-format.js';
import {
  buildTraceModel,
  findLastOperation,
  type MessageRecord,
  type OperationRecord,
} from './trace-model.js';

/** The width every line of the diagram fits. */
export const diagramColumns = 80;
const timeColumns = 9;
const laneSpacingMax = 12;
const noteColumnsMin = 30;

interface Row {
  t: number;
  order: number;
  draw: (cells: string[]) => string;
}

/** `trace` / `trace KEY` at the prompt: the last operation (on KEY) as a sequence diagram. */
export function renderTraceCommand(trace: Trace, key?: string): string[] {
  const model = buildTraceModel(trace);
  const op = findLastOperation(model, key);
  if (op === undefined)
    return [
      key === undefined
        ? 'No data operation in the trace yet; run a command first.'
        : `No operation on key ${key} in the trace; \`trace\` alone shows the last one.`,
    ];
  return renderOperationDiagram(op);
}

/** One operation as lanes (coordinator first), one row per message, level met and repairs. */
export function renderOperationDiagram(op: OperationRecord): string[] {
  const coordinator = op.invoke.node;
  const others = new Set<number>();
  for (const message of op.messages) others.add(message.from).add(message.to);
  for (const repair of op.repairs) others.add(repair.node);
  others.delete(coordinator);
  const lanes = [coordinator, ...[...others].sort((a, b) => a - b)];
  const spacing = Math.max(
    4,
    Math.min(
      laneSpacingMax,
      Math.floor(
        (diagramColumns - timeColumns - noteColumnsMin - 1) / Math.max(1, lanes.length - 1),
      ),
    ),
  );
  const laneWidth = (lanes.length - 1) * spacing + 1;
  const noteColumns = diagramColumns - timeColumns - laneWidth - 1;
  const x = (node: number): number => lanes.indexOf(node) * spacing;
  const startT = op.invoke.t;
  const accounting = accountQuorum(op);
  const statusOf = new Map<MessageRecord, string>();
  for (const answer of accounting.answers)
    if (answer.reply !== undefined) statusOf.set(answer.reply, describeAnswer(answer));

  const rows: Row[] = [];
  const line = (t: number, cells: string[], note: string): string =>
    `${formatMs(t - startT).padStart(timeColumns - 1)} ${cells.join('')} ${fit(note, noteColumns)}`.trimEnd();
  const add = (t: number, draw: (cells: string[]) => string): void => {
    rows.push({ t, order: rows.length, draw });
  };
  const { invoke, complete } = op;
  add(invoke.t, (cells) => {
    cells[x(coordinator)] = '●';
    const value = invoke.value === undefined ? '' : ` ${invoke.value ?? '(delete)'}`;
    return line(invoke.t, cells, `${invoke.kind} ${invoke.key}${value} ${invoke.level}`);
  });
  for (const message of op.messages)
    add(message.sentT, (cells) => {
      drawArrow(cells, x(message.from), x(message.to), message);
      return line(message.sentT, cells, describeMessage(message, statusOf.get(message)));
    });
  if (accounting.levelMetT !== undefined) {
    const metT = accounting.levelMetT;
    add(metT, (cells) => {
      for (let i = 0; i < cells.length; i++) cells[i] = i % 2 === 0 ? '┄' : ' ';
      cells[x(coordinator)] = '◆';
      return line(metT, cells, `${invoke.level} met (${accounting.required} needed)`);
    });
  }
  if (complete !== undefined)
    add(complete.t, (cells) => {
      cells[x(coordinator)] = '■';
      return line(complete.t, cells, describeCompletion(op));
    });
  for (const repair of op.repairs)
    add(repair.t, (cells) => {
      cells[x(repair.node)] = repair.applied ? '✓' : '·';
      const to = repair.to === undefined ? '' : ` ${formatTimestamp(repair.to)}`;
      return line(
        repair.t,
        cells,
        `repair ${repair.applied ? 'applied' : 'not applied'} n${repair.node}${to}`,
      );
    });

  rows.sort((a, b) => a.t - b.t || a.order - b.order);
  const header = `op ${invoke.op} ${invoke.kind} ${invoke.key} ${invoke.level} via n${coordinator} (${invoke.client})`;
  const laneHeader = Array.from({ length: laneWidth }, () => ' ');
  let heading = ' '.repeat(timeColumns - 3) + 'ms ';
  for (const node of lanes) {
    const label = node === coordinator ? `n${node}*` : `n${node}`;
    for (let i = 0; i < label.length && x(node) + i < laneWidth + noteColumns; i++)
      laneHeader[x(node) + i] = label[i] ?? ' ';
  }
  heading += laneHeader.join('');
  const output = [fit(header, diagramColumns), heading.trimEnd()];
  for (const row of rows) {
    const cells = Array.from({ length: laneWidth }, (_, i) =>
      lanes.some((n) => x(n) === i) ? '│' : ' ',
    );
    output.push(row.draw(cells));
  }
  output.push(fit(summarize(accounting.answers), diagramColumns));
  return output;
}

function drawArrow(cells: string[], fromX: number, toX: number, message: MessageRecord): void {
  if (fromX === toX) {
    cells[fromX] = '↺';
    return;
  }
  const step = toX > fromX ? 1 : -1;
  for (let i = fromX + step; i !== toX; i += step) cells[i] = '─';
  cells[fromX] = step > 0 ? '├' : '┤';
  const head = step > 0 ? '▶' : '◀';
  if (message.outcome === 'dropped') cells[toX - step] = '✗';
  else if (message.outcome === 'in-flight') cells[toX - step] = '…';
  else cells[toX] = head;
  const label = message.kind;
  const room = Math.abs(toX - fromX) - 3;
  if (label.length <= room) {
    const start = Math.min(fromX, toX) + 2;
    for (let i = 0; i < label.length; i++) cells[start + i] = label[i] ?? '─';
  }
}

function describeMessage(message: MessageRecord, answer: string | undefined): string {
  const delay = `${message.delayMs.toFixed(1)}ms`;
  if (message.outcome === 'dropped')
    return `${message.kind} ${delay} ✗ ${message.why ?? 'dropped'}`;
  if (message.outcome === 'in-flight') return `${message.kind} ${delay} still on the wire`;
  return `${message.kind} ${delay}${answer === undefined ? '' : ` ${answer}`}`;
}

function describeAnswer(answer: ReplicaAnswer): string {
  return answer.status === 'counted' ? 'counted' : answer.status;
}

function describeCompletion(op: OperationRecord): string {
  const complete = op.complete;
  if (complete === undefined) return '';
  if (!complete.ok)
    return `failed ${complete.error?.code ?? ''} ${complete.acks}/${complete.required}`;
  const result =
    op.invoke.kind === 'get'
      ? complete.found === true
        ? `found ${complete.value ?? ''}`
        : 'not found'
      : 'ok';
  return `${result} (${complete.acks} of ${complete.required})`;
}

function summarize(answers: readonly ReplicaAnswer[]): string {
  const count = (status: ReplicaAnswer['status']): number =>
    answers.filter((answer) => answer.status === status).length;
  return `answers: ${count('counted')} counted, ${count('late')} late, ${count('dropped')} dropped, ${count('no answer')} silent`;
}

function formatMs(us: number): string {
  return (us / 1000).toFixed(3);
}

function fit(text: string, columns: number): string {
  const chars = [...text];
  return chars.length <= columns ? text : `${chars.slice(0, columns - 1).join('')}…`;
}
