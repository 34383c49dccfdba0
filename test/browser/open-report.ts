import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseTrace } from '../../src/trace/trace-parse.js';
import type { Trace } from '../../src/trace/trace-format.js';

// Names of the page's world: these functions run in chromium (page.evaluate), not in Node.
declare const document: any;
declare const requestAnimationFrame: (callback: (time: number) => void) => number;
type HTMLElement = any;

/** Debian's chromium; `.ci/checks/browser.sh` installs it when missing. */
export const chromiumPath = process.env['QUARTET_CHROMIUM'] ?? '/usr/bin/chromium';
export const repoRoot = resolve(new URL('../../..', import.meta.url).pathname);
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const quartet = join(repoRoot, 'bin', 'quartet');

/** Browser tests run where chromium is; browser.sh sets QUARTET_REQUIRE_BROWSER=1 to insist. */
export function hasBrowser(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env['QUARTET_REQUIRE_BROWSER'] === '1')
    throw new Error(
      `No chromium at ${chromiumPath}: apt-get install chromium, or set QUARTET_CHROMIUM.`,
    );
  return false;
}

export interface OpenedReport {
  page: Page;
  trace: Trace;
  htmlPath: string;
  bytes: number;
  openMs: number;
  /** Console errors and uncaught page errors, as they came. */
  errors: string[];
  close: () => Promise<void>;
}

/** Makes the report of a trace with the real CLI and opens it from file:// in headless chromium. */
export async function openReport(
  tracePath: string,
  options: { history?: string } = {},
): Promise<OpenedReport> {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-report-'));
  const htmlPath = join(dir, 'report.html');
  const history = options.history === undefined ? [] : ['--history', options.history];
  await execa('node', [quartet, 'report', tracePath, '-o', htmlPath, ...history]);
  return openReportPage(htmlPath, tracePath);
}

/** Opens a report already written (`quartet run --report`) from file://; `tracePath`: its run's trace. */
export async function openReportPage(htmlPath: string, tracePath: string): Promise<OpenedReport> {
  const trace = parseTrace(await readFile(tracePath, 'utf8'), tracePath);
  const bytes = (await readFile(htmlPath)).length;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('requestfailed', (request) => errors.push(`request ${request.url()} failed`));
    const started = performance.now();
    await page.goto(`file://${htmlPath}`);
    await page.waitForSelector('body[data-ready="1"]');
    const openMs = performance.now() - started;
    const opened = browser;
    return { page, trace, htmlPath, bytes, openMs, errors, close: () => opened.close() };
  } catch (error) {
    await browser?.close();
    throw error;
  }
}

/** Scrolls the diagram top to bottom and gathers every arrow drawn on the way (virtualized). */
export async function collectDrawnArrows(page: Page): Promise<Set<number>> {
  const indices = await page.evaluate(async () => {
    const scroller = document.getElementById('scroller') as HTMLElement;
    const seen = new Set<string>();
    const frame = () =>
      new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    for (let top = 0; ; top += Math.max(100, scroller.clientHeight)) {
      scroller.scrollTop = top;
      await frame();
      for (const arrow of document.querySelectorAll('#diagram .arrow'))
        seen.add(arrow.getAttribute('data-m') ?? '');
      if (top >= scroller.scrollHeight - scroller.clientHeight) break;
    }
    scroller.scrollTop = 0;
    await frame();
    return [...seen];
  });
  return new Set(indices.map(Number));
}

/** Messages that ended delivered or dropped, counted straight from the trace's lines. */
export function countEndedMessages(
  trace: Trace,
  keep: (send: { t: number; from: number; to: number; kind: string }) => boolean = () => true,
): number {
  const sends = new Map<number, { t: number; from: number; to: number; kind: string }>();
  let count = 0;
  for (const event of trace.events) {
    if (event.type === 'msg-send') sends.set(event.msg, event);
    else if (event.type === 'msg-deliver' || event.type === 'msg-drop') {
      const send = sends.get(event.msg);
      if (send !== undefined && keep(send)) count++;
    }
  }
  return count;
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
