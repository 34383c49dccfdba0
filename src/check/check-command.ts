import { createStyle } from '../terminal/style.js';
import { resolveOutputWidth } from '../terminal/output-width.js';
import { checkHistory } from './checker.js';
import { readHistoryFile } from './parse-history.js';
import { formatReport } from './report-table.js';

export interface CheckOptions {
  json?: boolean;
  width?: number;
}

/** `quartet check HISTORY`: exit code 1 only when a promise of the levels is broken. */
export async function runCheckCommand(file: string, options: CheckOptions): Promise<number> {
  const width = resolveOutputWidth(process.stdout, options.width);
  const records = await readHistoryFile(file);
  const report = checkHistory(records);
  if (options.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${formatReport(report, createStyle(process.stdout), width)}\n`);
  return report.ok ? 0 : 1;
}
