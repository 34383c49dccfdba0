import test from 'ava';
import { parseLine } from '../../src/orchestrator/grammar.js';
import type { OpRecord, OutputRecord } from '../../src/orchestrator/records.js';
import { Session } from '../../src/orchestrator/session.js';
import { startTestCluster } from '../helpers/cluster.js';

function line(source: string) {
  const result = parseLine(source, 1);
  if (!result.ok || result.parsed === null) throw new Error(`bad test line: ${source}`);
  return result.parsed;
}

async function startSession(t: import('ava').ExecutionContext) {
  const cluster = await startTestCluster(t, { requestTimeoutMs: 500 });
  const session = new Session({ cluster, emit: (_: OutputRecord) => {}, helpText: () => '' });
  const run = async (source: string) => (await session.execute(line(source))) as OpRecord;
  return { cluster, run };
}

test('a command sent to a node paused with `pause` fails at once, saying how to wake it', async (t) => {
  const { run } = await startSession(t);
  await run('pause 3');
  const record = await run('@3 get k one');
  t.is(record.error?.code, 'NODE_UNREACHABLE');
  t.regex(record.error?.message ?? '', /Node 3 is paused \(SIGSTOP\).*`resume 3`/);
  await run('resume 3');
  t.true((await run('@3 get k one')).ok, 'the node answers again once resumed');
});

test('a coordinator that stops answering gives TIMEOUT instead of hanging the prompt', async (t) => {
  const { cluster, run } = await startSession(t);
  t.true((await run('@3 get k one')).ok);
  // Stopped behind the orchestrator's back, as a hung process would be.
  const pid = cluster.info(3).pid!;
  process.kill(pid, 'SIGSTOP');
  t.teardown(() => process.kill(pid, 'SIGCONT'));
  const record = await run('@3 get k one');
  t.is(record.error?.code, 'TIMEOUT');
  t.regex(record.error?.message ?? '', /Node 3 did not answer within 2000 ms; it may be paused/);
});
