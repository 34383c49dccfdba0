import test from 'ava';
import { execa } from 'execa';
import { chromium } from 'playwright-core';
import { quartetBin } from '../../src/terminal/paths.js';
import { startNodeProcesses } from '../helpers/node-processes.js';
import { chromiumPath, hasBrowser } from './open-report.js';
import { liveDelays } from './live-cluster.js';

// Names of the page's world: these functions run in chromium (page.evaluate), not in Node.
declare const document: any;
declare const window: any;
declare const MutationObserver: any;

const browserTest = hasBrowser() ? test : test.skip;

browserTest(
  '`up --attach --web` animates the messages of a write to nodes started elsewhere',
  async (t) => {
    const { configPath, secret } = await startNodeProcesses(t, { delays: liveDelays });
    const up = execa(quartetBin, ['up', '--attach', '--web', '--config', configPath], {
      env: { QUARTET_SECRET: secret, NO_COLOR: '1' },
      reject: false,
      stdin: 'pipe',
    });
    t.teardown(async () => {
      up.stdin?.end();
      await Promise.race([up, new Promise((done) => setTimeout(done, 10_000))]);
      up.kill('SIGKILL');
    });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      up.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /Live page: (http:\/\/\S+)/.exec(seen);
        if (match !== null) resolve(match[1]!);
      });
      void up.then((result) => reject(new Error(`up exited: ${result.stderr}`)));
    });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="1"]');
    // Every message the page draws, by its title: a circle lives only while its message travels.
    await page.evaluate(() => {
      window.drawn = [];
      new MutationObserver((records: any[]) => {
        for (const record of records)
          for (const node of record.addedNodes) {
            const title = node.querySelector?.('title')?.textContent;
            if (title) window.drawn.push(title);
          }
      }).observe(document.getElementById('messages'), { childList: true });
    });
    await page.fill('#cmd', 'insert 5 1 one');
    await page.press('#cmd', 'Enter');
    await page.locator('#rows [data-op="insert"]', { hasText: 'insert 5 1' }).waitFor();
    await page.waitForFunction(() =>
      window.drawn.some((title: string) => /^write n1→n\d key 5$/.test(title)),
    );
    await page.waitForFunction(() =>
      window.drawn.some((title: string) => /^write-reply n\d→n1 key 5$/.test(title)),
    );
    t.true(Number(await page.textContent('#msg-sent')) > 0, 'the messages are counted');
  },
);
