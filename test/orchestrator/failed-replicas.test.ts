import test from 'ava';
import { execa } from 'execa';
import { loadConfig } from '../../src/config/load.js';
import { Ring } from '../../src/core/ring.js';
import { quartetBin } from '../../src/terminal/paths.js';
import type { OpRecord } from '../../src/orchestrator/records.js';
import { writeTestConfig } from '../helpers/cluster.js';
import { keyWhere, kv, writeFiles } from './batch/helpers.js';

// Node 3 is paused (silent: TIMEOUT), then killed (down: UNAVAILABLE); node 1 coordinates.
async function runFailures(t: Parameters<typeof writeTestConfig>[0], json: boolean) {
  const { dir, configPath } = await writeTestConfig(t, { requestTimeoutMs: 1000 });
  const config = await loadConfig(configPath);
  const ring = new Ring(
    config.servers.map((server) => server.id),
    config.replicationFactor,
    config.virtualNodes,
  );
  const key = keyWhere(ring, 'f', (replicas) => replicas.includes(3) && replicas.includes(1));
  const others = [...ring.replicasFor(key)].filter((node) => node !== 3);
  const [file] = await writeFiles(dir, {
    'failures.kv': kv`
      insert ${key} v all     => ok
      pause 3
      get ${key} all          => error TIMEOUT
      update ${key} w all     => error TIMEOUT
      resume 3
      kill 3
      get ${key} all          => error UNAVAILABLE
    `,
  });
  const result = await execa(
    quartetBin,
    ['run', file!, '--config', configPath, '--dir', dir, ...(json ? ['--json'] : [])],
    { reject: false, env: { NO_COLOR: '1' } },
  );
  t.is(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  return { stdout: result.stdout, others };
}

const statesOf = (record: OpRecord) => record.replicas.map((r) => `n${r.node} ${r.state}`);

test('TIMEOUT and UNAVAILABLE records in --json carry who answered, who was pending and who was down', async (t) => {
  const { stdout, others } = await runFailures(t, true);
  const ops = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as OpRecord & { line?: number })
    .filter((record) => record.type === 'op');
  const at = (line: number) => ops.find((record) => record.line === line)!;
  const [a, b] = others.sort((x, y) => x - y);
  for (const line of [3, 4]) {
    t.is(at(line).error?.code, 'TIMEOUT');
    t.deepEqual([at(line).acks, at(line).required], [2, 3], `line ${line}: 2 of 3 answered`);
    t.deepEqual(
      statesOf(at(line)).sort(),
      [`n${a} fresh`, `n${b} fresh`, 'n3 pending'],
      `line ${line}`,
    );
  }
  t.true(at(4).replicas.every((r) => r.state !== 'fresh' || r.created === false));
  const unavailable = at(7);
  t.is(unavailable.error?.code, 'UNAVAILABLE');
  t.is(unavailable.required, 3);
  t.true(statesOf(unavailable).includes('n3 down'), JSON.stringify(unavailable.replicas));
});

test('TIMEOUT and UNAVAILABLE rows show the answers and the replicas column', async (t) => {
  const { stdout } = await runFailures(t, false);
  const row = (line: number) => stdout.split('\n').find((text) => text.startsWith(` ${line} `))!;
  t.regex(row(3), /✘ TIMEOUT/);
  t.regex(row(3), /│ 2\/3 +│ .*n3 pending/);
  t.regex(row(4), /│ 2\/3 +│ .*n3 pending/);
  t.regex(row(7), /✘ UNAVAILABLE/);
  t.regex(row(7), /│ \d\/3 +│ .*n3 down/);
});
