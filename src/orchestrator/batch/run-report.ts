import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadReportData, writeRunReport } from '../../trace/report-command.js';
import { resolveWorkDir, type ClusterCliOptions } from '../cluster-options.js';

export interface RunReport {
  /** Where the run writes its trace and history: the user's `--trace`/`--history`, or scratch files. */
  paths: { trace: string; history: string };
  /** After the cluster stopped (the trace is complete): writes the report, returns the line to print. */
  write: () => Promise<string>;
  /** Removes the scratch files, however the run ended. */
  remove: () => Promise<void>;
}

/**
 * `quartet run FILE --report r.html`: the run's trace and history (those the user asked for, or
 * scratch files in the work dir, removed after), turned into the report once the run is over,
 * so the check findings are pinned to the trace's operations.
 */
export async function prepareRunReport(
  options: ClusterCliOptions & { history?: string },
  out: string,
): Promise<RunReport> {
  const workDir = resolveWorkDir(options);
  let scratch: string | undefined;
  if (options.trace === undefined || options.history === undefined) {
    await mkdir(workDir, { recursive: true });
    scratch = await mkdtemp(join(workDir, 'report-'));
  }
  const paths = {
    trace: resolve(options.trace ?? join(scratch!, 'run.trace')),
    history: resolve(options.history ?? join(scratch!, 'run.history')),
  };
  return {
    paths,
    write: async () => writeRunReport(await loadReportData(paths.trace, paths.history), out),
    remove: async () => {
      if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    },
  };
}
