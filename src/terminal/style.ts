import { Chalk, type ChalkInstance } from 'chalk';
import type { Timestamp } from '../core/clock.js';
import type { ReplicaState } from '../core/messages.js';

/** Colours on a terminal; none when NO_COLOR is set or output is not a terminal. */
export function createStyle(stream: NodeJS.WriteStream | { isTTY?: boolean }): ChalkInstance {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  if (noColor) return new Chalk({ level: 0 });
  if (forced) return new Chalk();
  return new Chalk({ level: stream.isTTY === true ? 1 : 0 });
}

/** A replica state in its colour; `label` (a symbol, say) is shown in place of the name. */
export function paintReplicaState(
  style: ChalkInstance,
  state: ReplicaState | string,
  label: string = state,
): string {
  switch (state) {
    case 'fresh':
      return style.green(label);
    case 'stale':
      return style.yellow.bold(label);
    case 'missing':
      return style.magenta(label);
    case 'pending':
      return style.gray(label);
    case 'down':
      return style.red(label);
    default:
      return label;
  }
}

/** A timestamp as people read it: wall-clock time of day, the counter when not 0, and the node. */
export function formatTs(ts: Timestamp | undefined): string {
  if (ts === undefined) return '-';
  const time = new Date(ts.wallMs).toISOString().slice(11, 23);
  return `${time}${ts.counter > 0 ? `+${ts.counter}` : ''}@n${ts.nodeId}`;
}

export function formatLatency(latencyMs: number): string {
  if (latencyMs < 10) return `${latencyMs.toFixed(2)} ms`;
  if (latencyMs < 1000) return `${latencyMs.toFixed(1)} ms`;
  return `${(latencyMs / 1000).toFixed(2)} s`;
}

/** A value shown in a table cell: quoted when it has spaces, cut when long. */
export function formatValue(value: string | null, maxChars = 40): string {
  if (value === null) return '(deleted)';
  const shown = value.length > maxChars ? `${value.slice(0, maxChars - 1)}…` : value;
  return /[\s"]/.test(shown) || shown === '' ? JSON.stringify(shown) : shown;
}
