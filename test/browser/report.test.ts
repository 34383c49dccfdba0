import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { formatTrace } from '../../src/trace/trace-format.js';
import { formatHistory } from '../../src/check/history.js';
import { buildFixtureTrace } from '../trace/trace-builder.js';
import { historyOfTrace } from '../trace/history-of-trace.js';
import { buildLargeTrace } from './large-trace.js';
import { execa } from 'execa';
import { writeDefaultConfig } from '../helpers/cluster.js';
import type { MsgSendEvent } from '../../src/trace/trace-format.js';
import {
  collectDrawnArrows,
  countEndedMessages,
  hasBrowser,
  openReport,
  openReportPage,
  repoRoot,
  saveScreenshot,
  screenshotDir,
  type OpenedReport,
} from './open-report.js';

// Names of the page's world: these functions run in chromium (page.evaluate), not in Node.
declare const document: any;
declare const DOMParser: any;
type HTMLElement = any;

const browserTest = hasBrowser() ? test.serial : test.serial.skip;

async function writeTrace(name: string, text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'quartet-trace-')), name);
  await writeFile(path, text);
  return path;
}

async function withReport(
  t: ExecutionContext,
  tracePath: string,
  check: (report: OpenedReport) => Promise<void>,
  history?: string,
): Promise<void> {
  const report = await openReport(tracePath, history === undefined ? {} : { history });
  try {
    await check(report);
    t.deepEqual(report.errors, [], 'no console error');
  } finally {
    await report.close();
  }
}

/** What every report must do, whatever run it shows (the lead points QUARTET_REPORT_TRACE at a real one). */
async function checkReport(t: ExecutionContext, report: OpenedReport, shot: string): Promise<void> {
  const { page, trace } = report;
  const arrows = await collectDrawnArrows(page);
  t.is(arrows.size, countEndedMessages(trace), 'arrows drawn = messages delivered + dropped');

  const node = trace.meta.nodes.at(-1) ?? 1;
  await page.selectOption('#f-node', String(node));
  const filtered = await collectDrawnArrows(page);
  t.is(
    filtered.size,
    countEndedMessages(trace, (send) => send.from === node || send.to === node),
    `node filter n${node}`,
  );
  t.true(filtered.size < arrows.size, 'the filter changed what is drawn');
  await page.selectOption('#f-node', '');

  const firstOp = trace.events.find((event) => event.type === 'op-invoke');
  if (firstOp !== undefined && firstOp.type === 'op-invoke') {
    await page.click(`.op-row[data-op="${firstOp.op}"]`);
    await page.waitForSelector('#quorum table.quorum');
    t.regex(
      (await page.textContent('#quorum h3')) ?? '',
      new RegExp(`^op ${firstOp.op}: ${firstOp.kind} `),
    );
  }
  await saveScreenshot(page, shot);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const svgPath = await download.path();
  const svg = await readFile(svgPath, 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror') !== null,
      root: doc.documentElement.nodeName,
      arrows: doc.querySelectorAll('.arrow').length,
    };
  }, svg);
  t.deepEqual(
    parsed,
    { error: false, root: 'svg', arrows: arrows.size },
    'the SVG export parses and holds every arrow',
  );
}

browserTest(
  'the fixture report opens from file:// and draws, filters, accounts and exports',
  async (t) => {
    const trace = buildFixtureTrace();
    const tracePath = await writeTrace('fixture.trace', formatTrace(trace));
    const historyPath = await writeTrace('fixture.history', formatHistory(historyOfTrace(trace)));
    await withReport(
      t,
      tracePath,
      async (report) => {
        await checkReport(t, report, 'fixture.png');
        const { page } = report;
        await page.click('.op-row[data-op="2"]');
        const rows = await page.$$eval('#quorum table.quorum tr', (trs) =>
          trs.slice(1).map((tr) => {
            const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
            return `${cells[0]} ${cells[2]}`;
          }),
        );
        t.deepEqual(rows, ['n1 late', 'n2 counted', 'n3 late']);
        t.regex((await page.textContent('#quorum')) ?? '', /n2 applied/);
        t.regex((await page.textContent('#versions')) ?? '', /closed by read repair/);
        // The README's picture: docs/img/report.png is copied from it.
        await saveScreenshot(page, 'report.png');
        await page.check('#f-bg');
        t.is(
          (await collectDrawnArrows(page)).size,
          countEndedMessages(
            report.trace,
            (send) => !['ping', 'tree', 'tree-reply', 'range', 'range-reply'].includes(send.kind),
          ),
        );
        await page.uncheck('#f-bg');
        await page.fill('#f-from', '40');
        await page.fill('#f-to', '60');
        await page.dispatchEvent('#f-to', 'change');
        t.is(
          (await collectDrawnArrows(page)).size,
          countEndedMessages(report.trace, (send) => send.t >= 40_000 && send.t <= 60_000),
          'the time window 40-60 ms',
        );
        await page.fill('#f-from', '0');
        await page.fill('#f-to', '93.3');
        await page.dispatchEvent('#f-to', 'change');
        await page.click('#mode');
        t.is(
          (await collectDrawnArrows(page)).size,
          countEndedMessages(report.trace),
          'causal order draws every arrow too',
        );
        await saveScreenshot(page, 'fixture-causal.png');
      },
      historyPath,
    );
  },
);

browserTest(
  'the findings of quartet check are pinned to their operations and click through',
  async (t) => {
    const trace = buildFixtureTrace();
    const tracePath = await writeTrace('fixture.trace', formatTrace(trace));
    const historyPath = await writeTrace('fixture.history', formatHistory(historyOfTrace(trace)));
    await withReport(
      t,
      tracePath,
      async ({ page }) => {
        const finding = page.locator('.finding', { hasText: 'stale-read' });
        t.is(await finding.count(), 1);
        await finding.locator('a[data-op="2"]').click();
        t.is(await page.inputValue('#f-op'), '2');
        t.regex((await page.textContent('#quorum h3')) ?? '', /^op 2: get k1/);
        const opMessages = trace.events.filter(
          (event) => event.type === 'msg-send' && event.op === 2,
        );
        t.is((await collectDrawnArrows(page)).size, opMessages.length, 'only op 2\u2019s messages');
        await saveScreenshot(page, 'fixture-finding.png');
      },
      historyPath,
    );
  },
);

browserTest(
  'quartet run examples/stale-read.kv --report: the stale read, message by message, from file://',
  async (t) => {
    const { dir, configPath } = await writeDefaultConfig(t);
    const htmlPath = join(dir, 'stale-read.html');
    const tracePath = join(dir, 'stale-read.trace');
    const example = join(repoRoot, 'examples', 'stale-read.kv');
    const args = ['run', example, '--config', configPath, '--dir', dir];
    const run = await execa(
      'node',
      [join(repoRoot, 'bin', 'quartet'), ...args, '--report', htmlPath, '--trace', tracePath],
      {
        reject: false,
        env: { NO_COLOR: '1' },
      },
    );
    t.is(run.exitCode, 0, run.stdout + run.stderr);
    const report = await openReportPage(htmlPath, tracePath);
    try {
      const { page, trace } = report;
      // The stale read: `@2 get 5 one => old`, coordinated by n2, which held the old version.
      const read = trace.events.find(
        (e) => e.type === 'op-invoke' && e.kind === 'get' && e.level === 'one' && e.node === 2,
      );
      const op = read?.type === 'op-invoke' ? read.op : -1;
      await page.click(`.op-row[data-op="${op}"]`);
      await page.waitForSelector('#quorum table.quorum');
      t.regex((await page.textContent('#quorum h3')) ?? '', new RegExp(`^op ${op}: get 5 at one`));
      const statuses = await page.$$eval('#quorum table.quorum tr', (trs) =>
        trs.slice(1).map((tr) => {
          const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
          return `${cells[0]} ${cells[2]}`;
        }),
      );
      t.true(statuses.includes('n2 counted'), statuses.join(', '));
      t.regex((await page.textContent('#quorum')) ?? '', /n2 applied/, 'the read repair of n2');
      // The checker's finding names this read, and clicks through to its messages.
      const finding = page.locator('.finding', { hasText: 'stale-read' });
      t.is(await finding.count(), 1);
      await finding.locator(`a[data-op="${op}"]`).click();
      t.is(await page.inputValue('#f-op'), String(op));
      const ofRead = (send: unknown) => (send as MsgSendEvent).op === op;
      const drawn = await collectDrawnArrows(page);
      t.true(drawn.size > 0);
      t.is(drawn.size, countEndedMessages(trace, ofRead), 'only the stale read\u2019s messages');
      await saveScreenshot(page, 'stale-read-finding.png');
      await page.fill('#f-op', '');
      await page.dispatchEvent('#f-op', 'change');
      await page.check('#f-bg');
      await page.click(`.op-row[data-op="${op}"]`);
      // The README's picture: docs/img/stale-read-report.png is copied from it.
      await saveScreenshot(page, 'stale-read-report.png');
      await page.uncheck('#f-bg');
      // Every arrow, the node filter, an operation's accounting and the SVG export.
      await checkReport(t, report, 'stale-read.png');
      t.deepEqual(report.errors, [], 'no console error');
    } finally {
      await report.close();
    }
  },
);

const realTrace = process.env['QUARTET_REPORT_TRACE'];
(realTrace === undefined ? test.serial.skip : browserTest)(
  'the report of a real run passes the same checks',
  async (t) => {
    await withReport(t, realTrace ?? '', (report) => checkReport(t, report, 'real-run.png'));
  },
);

browserTest(
  'a report of 100,000 messages opens, draws only what is in view, and reaches the end',
  async (t) => {
    const tracePath = await writeTrace('large.trace', formatTrace(buildLargeTrace(100_000)));
    await withReport(t, tracePath, async (report) => {
      const { page, trace } = report;
      const total = countEndedMessages(trace);
      const drawn = Number(await page.getAttribute('#diagram', 'data-drawn'));
      t.true(drawn > 0 && drawn < total / 10, `${drawn} drawn of ${total}`);
      await page.evaluate(() => {
        const scroller = document.getElementById('scroller') as HTMLElement;
        scroller.scrollTop = scroller.scrollHeight;
      });
      await page.waitForFunction(
        (last) => document.querySelector(`#diagram .arrow[data-m="${last}"]`) !== null,
        total - 1,
      );
      t.log(
        `100,000 messages: ${report.bytes} bytes (${Math.round(report.bytes / total)} bytes per message), opened in ${Math.round(report.openMs)} ms`,
      );
      t.log(`screenshots in ${screenshotDir}`);
      await saveScreenshot(page, 'large.png');
    });
  },
);
