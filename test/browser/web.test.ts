import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:net';
import test from 'ava';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webClientBufferedBytesMax, webValueCharsMax } from '../../src/web/web-bounds.js';
import { chromiumPath, hasBrowser, saveScreenshot } from './open-report.js';
import { execa } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { liveDelays, sendRequest, startLiveCluster, type LiveCluster } from './live-cluster.js';

// Names of the page's world: these functions run in chromium (page.evaluate), not in Node.
declare const document: any;

interface StreamStats {
  id: number;
  bufferedBytes: number;
  droppedMessages: number;
  droppedEvents: number;
}

const browserTest = hasBrowser() ? test.serial : test.serial.skip;

// One `quartet up --web` and one page for the file: the steps build on each other, as a user's do.
let live: LiveCluster;
let browser: Browser | undefined;
let page: Page;
const errors: string[] = [];
// Hooks have no t.teardown: what the hook starts is stopped by after.always, on every path.
const cleanups: (() => Promise<unknown> | unknown)[] = [];
const hookContext = { teardown: (cleanup: () => unknown) => void cleanups.unshift(cleanup) };

test.after.always(async () => {
  for (const cleanup of cleanups) await cleanup();
});

test.before(async () => {
  if (!hasBrowser()) return;
  live = await startLiveCluster(hookContext);
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  cleanups.unshift(() => browser?.close());
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(live.url.href);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector('#nodes td.st-up');
});

async function typeLine(line: string): Promise<void> {
  await page.fill('#cmd', line);
  await page.press('#cmd', 'Enter');
}

/** The text of the last result row of `op` that mentions `text`, once it shows. */
async function waitForRow(op: string, text: string | RegExp): Promise<string> {
  const row = page.locator(`#rows [data-op="${op}"]`, { hasText: text }).last();
  await row.waitFor();
  return (await row.textContent()) ?? '';
}

browserTest(
  'a line typed in the command box shows its row on the page and at the terminal',
  async (t) => {
    await typeLine('insert 5 1 one');
    const row = await waitForRow('insert', 'insert 5 1');
    t.regex(row, /n1 .*insert 5 1 .*ok/);
    await live.waitForStdout(/insert 5 1 .*ok/);
    t.pass('the terminal printed the same row');
  },
);

browserTest(
  'a partition chosen with the controls drops messages, and a read across it is stale',
  async (t) => {
    for (const [node, group] of [
      [1, 'A'],
      [2, 'A'],
      [3, 'B'],
      [4, 'B'],
    ] as const)
      await page.selectOption(`#p-group-${node}`, group);
    await page.click('#c-partition');
    await waitForRow('partition', 'partition');
    await page.waitForSelector('#links td.cut[data-link="1-3"]');
    t.is(
      await page.locator('#links td.cut').count(),
      8,
      'every link between {1,2} and {3,4} is cut',
    );

    await typeLine('insert 5 2 one');
    await waitForRow('insert', 'insert 5 2');
    const drop = page.locator('#drops li', { hasText: 'write n1→n3 key 5: dropped (partition)' });
    await drop.first().waitFor();
    await saveScreenshot(page, 'web-partition.png');
    t.true(Number(await page.textContent('#msg-dropped')) > 0, 'dropped messages are counted');

    await typeLine('@3 get 5 one');
    const read = await waitForRow('get', 'get 5');
    t.regex(read, /n3 +│ get 5 +│ one +│ 1 +│/, 'node 3, cut off, still answers the old value 1');

    await page.click('#c-heal');
    await waitForRow('heal', 'heal');
    await page.waitForFunction(() => document.querySelectorAll('#links td.cut').length === 0);
    await typeLine('get 5 all');
    t.regex(
      await waitForRow('get', /n1 +│ get 5 +│ all/),
      /stale/,
      'after the heal, a read at all finds node 3 stale',
    );
  },
);

browserTest(
  'a node killed from the page shows as killed, and the page keeps working',
  async (t) => {
    await page.selectOption('#c-node', '4');
    await page.click('#c-kill');
    await page.waitForSelector('#nodes tr[data-node="4"] td.st-killed');
    t.is(await page.getAttribute('#dot-4', 'class'), 'node-dot killed');
    await typeLine('insert 6 six one');
    t.regex(await waitForRow('insert', 'insert 6'), /ok/);
    await page.fill('#k-key', '6');
    await page.click('#k-form button');
    await page.waitForSelector('#k-versions');
    t.regex((await page.textContent('#k-view')) ?? '', /replicas n\d, n\d, n\d/);
    await saveScreenshot(page, 'web-killed.png');
    t.deepEqual(errors, [], 'no console error');
  },
);

browserTest(
  '`save` typed in the page writes the session as a batch file that `quartet run` replays',
  async (t) => {
    const file = join(live.dir, 'page-session.kv');
    await typeLine(`save ${file}`);
    t.regex(await waitForRow('save', 'save'), /saved \d+ lines/);
    const saved = await readFile(file, 'utf8');
    t.regex(saved, /^insert 5 1 one +=> ok/m, 'the first line typed, with its result');
    t.regex(saved, /^partition 1,2 \| 3,4/m, 'the partition set with the controls');
    t.regex(saved, /^@3 get 5 one +=> 1\b/m, 'the stale read, with the value it returned');
    t.regex(saved, /^kill 4/m, 'the kill from the controls');
    // Replayed on a cluster of its own (the page's still holds its ports).
    const { dir, configPath } = await writeTestConfig(t, { delays: liveDelays });
    const replay = await execa(
      quartetBin,
      ['run', file, '--config', configPath, '--in-memory', '--dir', join(dir, 'work')],
      { reject: false, env: { NO_COLOR: '1' }, timeout: 90_000 },
    );
    t.is(replay.exitCode, 0, `${replay.stdout}\n${replay.stderr}`);
    t.notRegex(replay.stdout, /\b[1-9]\d* failed/, 'every assertion of the saved file holds');
  },
);

browserTest('a request without the session token is refused with 401', async (t) => {
  const host = live.url.host;
  for (const path of ['/', '/events', '/api/stats', '/page.js']) {
    const answer = await sendRequest(live.url, { path, headers: { host } });
    t.is(answer.status, 401, path);
    t.is(JSON.parse(answer.body).error.code, 'WEB_UNAUTHORIZED');
  }
  const wrong = await sendRequest(live.url, { path: '/api/stats?token=not-it', headers: { host } });
  t.is(wrong.status, 401);
  const posted = await sendRequest(live.url, {
    path: '/api/command',
    method: 'POST',
    headers: { host, 'content-type': 'application/json' },
    body: JSON.stringify({ line: 'kill 1' }),
  });
  t.is(posted.status, 401);
});

browserTest('a foreign Host or Origin is refused with 403, even with the token', async (t) => {
  const path = `/api/stats?token=${live.token}`;
  const rebound = await sendRequest(live.url, {
    path,
    headers: { host: `evil.example:${live.url.port}` },
  });
  t.is(rebound.status, 403);
  t.is(JSON.parse(rebound.body).error.code, 'WEB_FORBIDDEN');
  const crossSite = await sendRequest(live.url, {
    path: `/api/command?token=${live.token}`,
    method: 'POST',
    headers: {
      host: live.url.host,
      origin: 'http://evil.example',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ line: 'kill 1' }),
  });
  t.is(crossSite.status, 403);
  const own = await sendRequest(live.url, { path, headers: { host: live.url.host } });
  t.is(own.status, 200);
});

browserTest(
  'a stream that is not read holds at most its bound; later events are dropped and counted',
  async (t) => {
    const socket = connect(Number(live.url.port), live.url.hostname);
    t.teardown(() => socket.destroy());
    await new Promise<void>((done) => socket.once('connect', () => done()));
    // Never read: no 'data' listener, so the socket stays paused and the server's writes back up.
    socket.write(`GET /events?token=${live.token} HTTP/1.1\r\nHost: ${live.url.host}\r\n\r\n`);
    const stats = async () => {
      const answer = await sendRequest(live.url, {
        path: `/api/stats?token=${live.token}`,
        headers: { host: live.url.host },
      });
      return JSON.parse(answer.body).streams as StreamStats[];
    };
    // The server registers the stream when it has read the GET: ask until it is there (the
    // page's own stream is the other one).
    let opened: StreamStats[] = [];
    for (let asked = 0; asked < 1000 && opened.length < 2; asked++) opened = await stats();
    const stalledId = Math.max(...opened.map((stream) => stream.id));
    t.is(opened.length, 2, "the stalled stream is open beside the page's");
    let stalled: StreamStats | undefined;
    const writeRound = async (round: number) => {
      const lines = Array.from(
        { length: 200 },
        (_, i) => `insert slow-${round}-${i} ${value} one &`,
      );
      for (const line of lines) {
        await sendRequest(live.url, {
          path: `/api/command?token=${live.token}`,
          method: 'POST',
          headers: { host: live.url.host, 'content-type': 'application/json' },
          body: JSON.stringify({ line }),
        });
      }
      stalled = (await stats()).find((stream) => stream.id === stalledId);
      t.truthy(stalled, 'the stalled stream is still open');
      t.true(
        stalled!.bufferedBytes <= webClientBufferedBytesMax,
        `round ${round}: ${stalled!.bufferedBytes} bytes buffered`,
      );
    };
    // Values of the most the page shows make each write's events big, so the kernel's socket
    // buffers (several MiB on loopback) fill in a few rounds; then the stream's own bound.
    const value = 'v'.repeat(webValueCharsMax);
    let round = 0;
    for (; round < 60 && (stalled?.droppedMessages ?? 0) === 0; round++) await writeRound(round);
    t.log(`the first message dropped after ${round} rounds of 200 writes`, stalled);
    // Full, and never read: the trace batches that follow are dropped too, their events counted.
    await writeRound(round);
    t.true(stalled!.droppedEvents > 0, 'events for the stalled stream were dropped and counted');
    t.is((await stats()).length, 2, "the page's own stream is still open beside the stalled one");
  },
);
