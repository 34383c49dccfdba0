import type { CheckReport, KeyRow, ReadRow, WriteRow } from '../check/report.js';

export interface FailedSeed {
  seed: number;
  replay: string;
  /** The first broken promise of the run. */
  finding: string;
}

/** Many runs' reports added up: the rows of `quartet check`, summed over seeds. */
export interface SimSummary {
  runs: number;
  operations: number;
  /** How many runs had each kind of fault. */
  faults: Record<string, number>;
  reads: ReadRow[];
  writes: WriteRow[];
  linearizability: KeyRow[];
  convergence: { keys: number; diverged: number; divergedPromised: number };
  /** Runs that broke a promise; the first ones are listed in `failed`. */
  failures: number;
  failed: FailedSeed[];
  elapsedMs: number;
}

export function createSummary(): SimSummary {
  return {
    runs: 0,
    operations: 0,
    faults: {},
    reads: [],
    writes: [],
    linearizability: [],
    convergence: { keys: 0, diverged: 0, divergedPromised: 0 },
    failures: 0,
    failed: [],
    elapsedMs: 0,
  };
}

export function addReport(
  summary: SimSummary,
  report: CheckReport,
  faultKinds: readonly string[],
): void {
  summary.runs++;
  summary.operations += report.operations;
  for (const kind of faultKinds) summary.faults[kind] = (summary.faults[kind] ?? 0) + 1;
  addRows(summary, report);
  summary.convergence.keys += report.convergence.keys;
  summary.convergence.diverged += report.convergence.diverged;
  if (report.convergence.promised)
    summary.convergence.divergedPromised += report.convergence.diverged;
}

/**
 * Adds the summary of later seeds (`part`) to `summary`, as if their reports had been added one
 * by one: merged in seed order, the sum is the same, field order and failed seeds included.
 */
export function mergeSummary(summary: SimSummary, part: SimSummary, failuresMax: number): void {
  summary.runs += part.runs;
  summary.operations += part.operations;
  for (const [kind, count] of Object.entries(part.faults))
    summary.faults[kind] = (summary.faults[kind] ?? 0) + count;
  addRows(summary, part);
  summary.convergence.keys += part.convergence.keys;
  summary.convergence.diverged += part.convergence.diverged;
  summary.convergence.divergedPromised += part.convergence.divergedPromised;
  summary.failures += part.failures;
  for (const failed of part.failed) {
    if (summary.failed.length < failuresMax) summary.failed.push(failed);
  }
}

// The rows of a report or of another summary, each added to its matching row.
function addRows(
  summary: SimSummary,
  from: Pick<SimSummary, 'reads' | 'writes' | 'linearizability'>,
): void {
  for (const row of from.reads) {
    addRow(
      summary.reads,
      row,
      (r) =>
        r.write === row.write &&
        r.read === row.read &&
        r.replicationFactor === row.replicationFactor,
    );
  }
  for (const row of from.writes) addRow(summary.writes, row, (r) => r.level === row.level);
  for (const row of from.linearizability) {
    const existing = summary.linearizability.find(
      (r) => r.levels === row.levels && r.replicationFactor === row.replicationFactor,
    );
    if (existing === undefined) {
      summary.linearizability.push({ ...row, causes: { ...row.causes } });
      continue;
    }
    existing.keys += row.keys;
    existing.promisedKeys += row.promisedKeys;
    existing.nonLinearizable += row.nonLinearizable;
    existing.nonLinearizablePromised += row.nonLinearizablePromised;
    existing.broken += row.broken;
    for (const [cause, count] of Object.entries(row.causes) as [keyof KeyRow['causes'], number][])
      existing.causes[cause] = (existing.causes[cause] ?? 0) + count;
  }
}

// Adds the counts of `row` to the matching row, or appends a copy.
function addRow<T extends object>(rows: T[], row: T, same: (r: T) => boolean): void {
  const existing = rows.find(same);
  if (existing === undefined) {
    rows.push({ ...row });
    return;
  }
  const target = existing as Record<string, unknown>;
  for (const [field, value] of Object.entries(row)) {
    if (typeof value === 'number' && field !== 'replicationFactor')
      target[field] = (target[field] as number) + value;
  }
}

export function sortSummary(summary: SimSummary): void {
  const byName =
    <T>(name: (row: T) => string) =>
    (a: T, b: T) =>
      name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0;
  summary.reads.sort(byName((row) => `${row.replicationFactor} ${row.write}/${row.read}`));
  summary.writes.sort(byName((row) => row.level));
  summary.linearizability.sort(byName((row) => `${row.replicationFactor} ${row.levels}`));
}
