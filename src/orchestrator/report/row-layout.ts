// How the columns of a result row share the terminal's width: which labels and columns a width
// has room for, and how wide each column is. Rows print one by one, so the layout is fixed
// once per width, not per row.

export type RowColumnKey =
  'line' | 'node' | 'command' | 'level' | 'result' | 'latency' | 'answers' | 'replicas' | 'check';

export interface RowLayout {
  columns: RowColumnKey[];
  heads: string[];
  widths: number[];
  /** The terminal columns rows must fit in; undefined: piped, every row one line at full width. */
  width: number | undefined;
  /** Replica states as symbols (`n1 ✔+`), explained by a legend printed once. */
  compactReplicas: boolean;
  /** The level is written after the command (`get 5 one`) instead of in its own column. */
  levelInCommand: boolean;
  /** The `check` column is printed as a line under the row. */
  checkBelow: boolean;
}

export interface RowLayoutOptions {
  width: number | undefined;
  replicationFactor: number;
  /** `quartet run` rows: a line number first and the assertions' verdict last. */
  batch: boolean;
}

// Widths include one column of padding on each side. Preferred widths are those of piped output.
const preferred: Record<RowColumnKey, number> = {
  line: 6,
  node: 6,
  command: 22,
  level: 8,
  result: 24,
  latency: 10,
  answers: 9,
  replicas: 40,
  check: 22,
};
// `quartet run` rows give the command and result a little less room, for the `check` column.
const preferredInBatch: Partial<Record<RowColumnKey, number>> = { command: 18, result: 22 };
const minimum: Record<RowColumnKey, number> = {
  line: 6,
  node: 6,
  command: 14,
  level: 8,
  result: 15,
  latency: 10,
  answers: 6,
  replicas: 0,
  check: 16,
};
// Where spare columns go first when the width has more than the minimum.
const growOrder: readonly RowColumnKey[] = ['answers', 'command', 'result', 'latency'];
const heads: Record<RowColumnKey, string> = {
  line: 'line',
  node: 'node',
  command: 'command',
  level: 'level',
  result: 'result',
  latency: 'latency',
  answers: 'answers',
  replicas: 'replicas',
  check: 'check',
};
const levelNameMax = 'quorum'.length;

/** The widest replicas cell for RF replicas, full (`n1 fresh+new`) or compact (`n1 ✔+`). */
export function measureReplicasWidth(replicationFactor: number, compact: boolean): number {
  const one = compact ? 'n1 ✔+'.length : 'n1 fresh+new'.length;
  const gap = compact ? 1 : 2;
  return replicationFactor * one + (replicationFactor - 1) * gap + 2;
}

export function layoutRow(options: RowLayoutOptions): RowLayout {
  const base: RowColumnKey[] = ['node', 'command', 'level', 'result', 'latency', 'answers'];
  const leading: RowColumnKey[] = options.batch ? ['line', ...base] : base;
  const rf = options.replicationFactor;
  const { width } = options;
  if (width === undefined) {
    const columns: RowColumnKey[] = [
      ...leading,
      'replicas',
      ...(options.batch ? ['check' as const] : []),
    ];
    const widthOf = (key: RowColumnKey) =>
      (options.batch ? preferredInBatch[key] : undefined) ?? preferred[key];
    return finish(columns, columns.map(widthOf), width, false, false, false);
  }
  // From the most to the least spread out: the first the width has room for.
  const candidates = options.batch
    ? [
        { compact: false, levelInCommand: false, checkBelow: false },
        { compact: false, levelInCommand: false, checkBelow: true },
        { compact: true, levelInCommand: false, checkBelow: true },
        { compact: true, levelInCommand: true, checkBelow: true },
      ]
    : [
        { compact: false, levelInCommand: false, checkBelow: false },
        { compact: true, levelInCommand: false, checkBelow: false },
        { compact: true, levelInCommand: true, checkBelow: false },
      ];
  for (const [index, candidate] of candidates.entries()) {
    const columns = leading.filter((key) => key !== 'level' || !candidate.levelInCommand);
    columns.push('replicas');
    if (options.batch && !candidate.checkBelow) columns.push('check');
    const mins = columns.map((key) => minimumOf(key, rf, candidate));
    const budget = width - (columns.length - 1);
    const fits = mins.reduce((a, b) => a + b, 0) <= budget;
    if (!fits && index < candidates.length - 1) continue;
    const widths = spread(columns, mins, budget, rf, candidate.compact);
    return finish(
      columns,
      widths,
      width,
      candidate.compact,
      candidate.levelInCommand,
      candidate.checkBelow,
    );
  }
  throw new Error('unreachable: the last candidate is always taken');
}

function minimumOf(
  key: RowColumnKey,
  rf: number,
  candidate: { compact: boolean; levelInCommand: boolean },
): number {
  if (key === 'replicas') return measureReplicasWidth(rf, candidate.compact);
  if (key === 'command' && candidate.levelInCommand) return minimum.command + levelNameMax - 4;
  return minimum[key];
}

// Spare columns go to the growing columns up to their preferred widths, the rest to the last.
function spread(
  columns: RowColumnKey[],
  mins: number[],
  budget: number,
  rf: number,
  compact: boolean,
): number[] {
  const widths = [...mins];
  let spare = budget - widths.reduce((a, b) => a + b, 0);
  for (const key of growOrder) {
    const i = columns.indexOf(key);
    if (i < 0 || spare <= 0) continue;
    const grow = Math.min(spare, Math.max(0, preferred[key] - widths[i]!));
    widths[i]! += grow;
    spare -= grow;
  }
  const last = widths.length - 1;
  if (columns[last] === 'check') {
    const replicas = columns.indexOf('replicas');
    const grow = Math.min(
      spare,
      Math.max(0, measureReplicasWidth(rf, compact) - widths[replicas]!),
    );
    widths[replicas]! += grow;
    spare -= grow;
  }
  widths[last] = Math.max(3, widths[last]! + spare);
  return widths;
}

function finish(
  columns: RowColumnKey[],
  widths: number[],
  width: number | undefined,
  compactReplicas: boolean,
  levelInCommand: boolean,
  checkBelow: boolean,
): RowLayout {
  const shown = columns.map((key, i) =>
    key === 'answers' && widths[i]! < heads.answers.length + 2 ? 'acks' : heads[key],
  );
  return { columns, heads: shown, widths, width, compactReplicas, levelInCommand, checkBelow };
}
