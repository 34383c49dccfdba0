import test from 'ava';
import { execa } from 'execa';
import { QuartetClient } from '../../src/client/client.js';
import {
  authenticateOperator,
  flushTrace,
  startTrace,
  stopTrace,
} from '../../src/client/operator.js';
import { loadConfig } from '../../src/config/load.js';
import { hostClockUs } from '../../src/node/ipc-tracer.js';
import { quartetBin } from '../../src/terminal/paths.js';
import { decodeTraceBatch } from '../../src/trace/trace-decoder.js';
import type { TraceEvent } from '../../src/trace/trace-format.js';
import { startNodeProcesses } from '../helpers/node-processes.js';
import { pollUntil } from '../helpers/processes.js';

// Nodes started with `quartet node` have no orchestrator's IPC: they trace on an operator
// connection when one asks (src/node/operator-trace.ts).

test('`up --attach` draws the messages of `insert 5 1 one` with `trace`', async (t) => {
  const { configPath, secret } = await startNodeProcesses(t);
  const result = await execa(quartetBin, ['up', '--attach', '--config', configPath], {
    input: 'insert 5 1 one\ntrace 5\n',
    env: { QUARTET_SECRET: secret, NO_COLOR: '1' },
    reject: false,
    timeout: 60_000,
  });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stdout, /op \d+ insert 5 one via n1/);
  // n1 coordinates: it sends the write to the key's other replicas, who answer.
  t.regex(result.stdout, /├─write─+▶/);
  t.regex(result.stdout, /◀─write-reply─+┤/);
  t.regex(result.stdout, /answers: 1 counted/);
});

test('a node traces only while an operator asks, and refuses a second one', async (t) => {
  const { configPath, secret } = await startNodeProcesses(t);
  const config = await loadConfig(configPath);
  const { host, port } = config.servers[0]!;
  const connect = async () => {
    const client = await QuartetClient.connect({ host, port });
    t.teardown(() => client.close());
    return client;
  };
  const operator = await connect();
  await authenticateOperator(operator, secret);
  const events: TraceEvent[] = [];
  operator.onTrace((batch) => events.push(...decodeTraceBatch(batch.bytes)));

  const stranger = await connect();
  const refused = await t.throwsAsync(startTrace(stranger, hostClockUs()));
  t.is((refused as { code?: string }).code, 'UNAUTHORIZED');

  await operator.insert('untraced', 'v', 'all');
  await flushTrace(operator);
  t.is(events.length, 0, 'nothing is sent before trace-start');

  await startTrace(operator, hostClockUs());
  const second = await connect();
  await authenticateOperator(second, secret);
  const busy = await t.throwsAsync(startTrace(second, hostClockUs()));
  t.is((busy as { code?: string }).code, 'OVERLOADED');

  await operator.insert('traced', 'v', 'all');
  await flushTrace(operator);
  const sends = events.filter((e) => e.type === 'msg-send' && e.kind === 'write');
  t.true(sends.length >= 2, `writes to the other replicas: ${JSON.stringify(events.slice(0, 5))}`);
  t.true(sends.every((e) => e.type === 'msg-send' && e.key === 'traced'));

  await stopTrace(operator);
  const before = events.length;
  await operator.insert('after', 'v', 'all');
  await flushTrace(operator);
  t.is(events.length, before, 'nothing is sent after trace-stop');

  // The first operator traces again and leaves without a word: its trace ends with the connection.
  await startTrace(operator, hostClockUs());
  operator.close();
  await pollUntil(() =>
    startTrace(second, hostClockUs()).then(
      () => true,
      () => false,
    ),
  );
  await stopTrace(second);
});
