import { writeFile } from 'node:fs/promises';
import { checkHistory } from '../check/checker.js';
import type { HistoryRecord } from '../check/history.js';
import { readHistoryFile } from '../check/parse-history.js';
import type { Finding } from '../check/report.js';
import { QuartetError } from '../core/errors.js';
import {
  choosePxPerMs,
  createLayout,
  messageStride,
  type DiagramFilter,
} from './diagram-window.js';
import { diagramCss, renderLamportSvg } from './lamport-svg.js';
import { encodeReportData, type ReportData } from './report-data.js';
import { renderReportPage } from './report-page.js';
import { buildTraceModel } from './trace-model.js';
import type { Trace } from './trace-format.js';
import { readTraceFile } from './trace-parse.js';

export interface ReportOptions {
  out?: string;
  svg?: string;
  history?: string;
  causal?: boolean;
}

const svgWidthPx = 900;

/** `quartet report TRACE [-o report.html] [--svg diagram.svg] [--history FILE]`. */
export async function runReportCommand(tracePath: string, options: ReportOptions): Promise<number> {
  const data = await loadReportData(tracePath, options.history);
  const messages = data.m.length / messageStride;
  if (options.svg !== undefined) {
    const svg = renderDiagramSvg(data, options.causal === true ? 'causal' : 'real');
    await writeOutput(options.svg, svg);
    process.stdout.write(`wrote ${options.svg}: ${messages} messages, ${svg.length} bytes\n`);
  }
  if (options.out !== undefined || options.svg === undefined) {
    const out = options.out ?? tracePath.replace(/(\.[^./]*)?$/, '.html');
    const bytes = await writeReport(data, out);
    const perMessage = messages === 0 ? 0 : Math.round(bytes / messages);
    process.stdout.write(
      `wrote ${out}: ${messages} messages, ${bytes} bytes (${perMessage} bytes per message)\n`,
    );
  }
  return 0;
}

/** Reads a trace (and the history of the same run, for the checker's findings) into page data. */
export async function loadReportData(tracePath: string, historyPath?: string): Promise<ReportData> {
  const trace = await readTraceFile(tracePath);
  const history = historyPath === undefined ? undefined : await readHistoryFile(historyPath);
  return toReportData(trace, history);
}

/** A trace (and the history of the same run) already in memory, as page data (`sim --report`). */
export function toReportData(trace: Trace, history?: readonly HistoryRecord[]): ReportData {
  const findings: Finding[] = history === undefined ? [] : checkHistory(history).findings;
  return encodeReportData(buildTraceModel(trace), findings);
}

/** `--report FILE` of `quartet run` and `quartet sim`: writes the page, returns the line to print. */
export async function writeRunReport(data: ReportData, out: string): Promise<string> {
  const bytes = await writeReport(data, out);
  const messages = data.m.length / messageStride;
  return `report: ${out} (${messages} messages, ${data.findings.length} findings, ${bytes} bytes)`;
}

/** Writes the self-contained HTML report; returns its size in bytes (`--report FILE` uses it). */
export async function writeReport(data: ReportData, out: string): Promise<number> {
  const html = renderReportPage(data, diagramCss);
  await writeOutput(out, html);
  return Buffer.byteLength(html);
}

/** The whole Lamport diagram as one SVG file: the page's drawing code, run in Node. */
export function renderDiagramSvg(data: ReportData, mode: 'real' | 'causal'): string {
  const filter: DiagramFilter = {
    key: -1,
    node: -1,
    op: -1,
    level: -1,
    hideBackground: false,
    fromT: 0,
    toT: data.endT,
  };
  const layout = createLayout(data, mode, choosePxPerMs(data), svgWidthPx, filter);
  return renderLamportSvg(data, layout, filter, {
    fromY: 0,
    toY: layout.height,
    selectedOp: -1,
    standalone: true,
  });
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new QuartetError(
      'BAD_REQUEST',
      `Cannot write ${path}: ${(error as Error).message}; choose a writable path.`,
      { cause: error },
    );
  }
}
