import test from 'ava';
import { execa } from 'execa';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// From dist/test/deploy: the checkout.
const root = new URL('../../../', import.meta.url).pathname;

// The Dockerfile's build stage, replayed without Docker (no daemon, no image pulls in CI): its
// COPY and RUN steps in order, in an empty directory, on this machine's Node 20 and npm.
function buildStage(dockerfile: string): { kind: 'COPY' | 'RUN'; args: string }[] {
  const stages = dockerfile.split(/^FROM .*$/m);
  const lines = (stages[1] ?? '').replace(/\\\n/g, ' ').split('\n');
  return lines
    .map((line) => line.match(/^(COPY|RUN) (.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ kind: match[1] as 'COPY' | 'RUN', args: match[2]! }));
}

test('the Dockerfile\u2019s build stage builds the bundles and keeps only production packages', async (t) => {
  const app = await mkdtemp(join(tmpdir(), 'quartet-docker-build-'));
  t.teardown(() => rm(app, { recursive: true, force: true }));
  const steps = buildStage(await readFile(join(root, 'Dockerfile'), 'utf8'));
  t.true(steps.some((step) => step.kind === 'RUN'));
  for (const step of steps) {
    if (step.kind === 'COPY') {
      const parts = step.args.split(/\s+/);
      const target = parts.pop()!;
      for (const source of parts)
        await cp(join(root, source), join(app, target === './' ? source : target), {
          recursive: true,
        });
      continue;
    }
    const run = await execa('sh', ['-c', step.args], { cwd: app, reject: false, all: true });
    t.is(run.exitCode, 0, `RUN ${step.args}\n${run.all}`);
    if (run.exitCode !== 0) return;
  }
  t.truthy(await stat(join(app, 'dist/bundle/node/node-entry.js')));
  const version = await execa(process.execPath, [join(app, 'bin/quartet'), '--version']);
  t.regex(version.stdout, /^\d+\.\d+\.\d+$/);
  // Pruned: the compiler and the bundler are not shipped.
  await t.throwsAsync(stat(join(app, 'node_modules/typescript')));
  await t.throwsAsync(stat(join(app, 'node_modules/esbuild')));
});
