import type { ReportData } from './report-data.js';

/*
 * Which part of the Lamport diagram is where: the layout of time on the page (real time, or one
 * row per distinct event time) and the messages that cross a window of it. No imports, so the
 * report page inlines the compiled JS, as it does lamport-svg's.
 */

export interface DiagramFilter {
  key: number;
  node: number;
  op: number;
  level: number;
  hideBackground: boolean;
  fromT: number;
  toT: number;
}

export interface DiagramLayout {
  mode: 'real' | 'causal';
  width: number;
  height: number;
  top: number;
  yOf: (t: number) => number;
  tOf: (y: number) => number;
  laneX: (node: number) => number;
}

/** Numbers per message in `ReportData.m`: sentT, endT, from, to, kind, op, key, fate, delayUs. */
export const messageStride = 9;
export const diagramRowPx = 22;
export const diagramTopPx = 30;
/** Room on the left for the time axis. */
export const diagramLeftPx = 90;
/** Distance between two time labels on the axis. */
export const diagramTickPx = 100;
/** The default zoom: about two rows per message, and never taller than about 20 million px. */
export function choosePxPerMs(data: ReportData): number {
  const messages = Math.max(1, data.m.length / messageStride);
  const endMs = Math.max(1, data.endT / 1000);
  return Math.max(0.001, Math.min((2 * diagramRowPx * messages) / endMs, 2e7 / endMs, 400));
}

/** Where a time falls on the page: real time (pxPerMs), or one row per distinct event time. */
export function createLayout(
  data: ReportData,
  mode: 'real' | 'causal',
  pxPerMs: number,
  width: number,
  filter: DiagramFilter,
): DiagramLayout {
  const laneGap = Math.max(60, (width - diagramLeftPx - 40) / Math.max(1, data.nodes.length - 1));
  const laneX = (node: number): number => diagramLeftPx + data.nodes.indexOf(node) * laneGap;
  const top = diagramTopPx;
  if (mode === 'real') {
    const perUs = pxPerMs / 1000;
    const yOf = (t: number): number =>
      top + (Math.min(Math.max(t, filter.fromT), filter.toT) - filter.fromT) * perUs;
    const tOf = (y: number): number => filter.fromT + (y - top) / perUs;
    return { mode, width, height: yOf(filter.toT) + top, top, yOf, tOf, laneX };
  }
  const times = collectTimes(data, filter);
  const yOf = (t: number): number => top + lowerBound(times, t) * diagramRowPx;
  const tOf = (y: number): number => {
    const index = Math.floor((y - top) / diagramRowPx);
    if (index < 0) return filter.fromT;
    return index >= times.length ? filter.toT : (times[index] ?? filter.toT);
  };
  return { mode, width, height: top * 2 + times.length * diagramRowPx, top, yOf, tOf, laneX };
}

/** The indices of the messages that pass the filter and cross the window (in send order). */
export function selectMessages(
  data: ReportData,
  layout: DiagramLayout,
  filter: DiagramFilter,
  fromY: number,
  toY: number,
): number[] {
  const m = data.m;
  const stride = messageStride;
  const count = m.length / stride;
  const t0 = Math.max(filter.fromT, layout.tOf(fromY) - data.maxSpanT);
  const t1 = Math.min(filter.toT, layout.tOf(toY));
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((m[mid * stride] ?? 0) < t0) lo = mid + 1;
    else hi = mid;
  }
  const opLevel = new Map<number, number>();
  if (filter.level >= 0) for (const op of data.ops) opLevel.set(op[0], op[5]);
  const background = new Set(data.background);
  const picked: number[] = [];
  for (let i = lo; i < count; i++) {
    const base = i * stride;
    const sentT = m[base] ?? 0;
    if (sentT > t1) break;
    const endT = m[base + 1] ?? -1;
    const lastT = endT < 0 ? data.endT : endT;
    if (layout.yOf(lastT) < fromY || sentT < filter.fromT) continue;
    if (filter.hideBackground && background.has(m[base + 4] ?? 0)) continue;
    if (filter.key >= 0 && m[base + 6] !== filter.key) continue;
    if (filter.node >= 0 && m[base + 2] !== filter.node && m[base + 3] !== filter.node) continue;
    if (filter.op >= 0 && m[base + 5] !== filter.op) continue;
    if (filter.level >= 0 && opLevel.get(m[base + 5] ?? -1) !== filter.level) continue;
    picked.push(i);
  }
  return picked;
}

function collectTimes(data: ReportData, filter: DiagramFilter): number[] {
  const seen: number[] = [];
  const add = (t: number): void => {
    if (t >= filter.fromT && t <= filter.toT) seen.push(t);
  };
  for (let i = 0; i < data.m.length; i += messageStride) {
    add(data.m[i] ?? 0);
    add(data.m[i + 1] ?? -1);
  }
  for (const op of data.ops) {
    add(op[6]);
    add(op[7]);
    add(op[8]);
  }
  for (const mark of data.marks) add(mark[0]);
  for (const band of data.bands) {
    add(band[2]);
    add(band[3]);
  }
  seen.sort((a, b) => a - b);
  const times: number[] = [];
  for (const t of seen) if (times.length === 0 || times[times.length - 1] !== t) times.push(t);
  return times;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
