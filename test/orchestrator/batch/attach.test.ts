import { randomBytes } from 'node:crypto';
import test from 'ava';
import { execa, type ResultPromise } from 'execa';
import { loadConfig } from '../../../src/config/load.js';
import { AttachedCluster } from '../../../src/orchestrator/attached-cluster.js';
import { quartetBin } from '../../../src/terminal/paths.js';
import { writeBatchConfig } from './helpers.js';
import { kv, runText } from './helpers.js';

// Four `quartet node` processes started here, as a user would, shared by the tests.
let nodes: ResultPromise[] = [];
let configPath = '';
let removeConfig: () => Promise<void> = async () => {};

test.before(async () => {
  const written = await writeBatchConfig();
  configPath = written.configPath;
  removeConfig = written.remove;
  const secret = randomBytes(16).toString('hex');
  nodes = [1, 2, 3, 4].map((id) =>
    execa(quartetBin, ['node', '--config', configPath, '--id', String(id)], {
      env: { QUARTET_SECRET: secret, NO_COLOR: '1' },
      reject: false,
      stdin: 'ignore',
    }),
  );
  // Ready when every node has connected to its three peers (it logs each one).
  await Promise.all(
    nodes.map(
      (node) =>
        new Promise<void>((resolve, reject) => {
          let peers = 0;
          let buffered = '';
          node.stderr!.on('data', (chunk: Buffer) => {
            buffered += chunk.toString();
            const lines = buffered.split('\n');
            buffered = lines.pop()!;
            peers += lines.filter((line) => /peer \d+ connected/.test(line)).length;
            if (peers >= 3) resolve();
          });
          void node.then((result) => reject(new Error(`a node exited: ${result.stderr}`)));
        }),
    ),
  );
});

test.after.always(async () => {
  for (const node of nodes) node.kill('SIGTERM');
  await Promise.all(nodes);
  await removeConfig();
});

test.serial(
  '--attach runs data commands, status and use against nodes started elsewhere',
  async (t) => {
    const cluster = new AttachedCluster(await loadConfig(configPath));
    t.teardown(() => cluster.close());
    const { result, reporter } = await runText(
      cluster,
      kv`
      insert here v1 all      => ok
      @2 get here all         => v1
      use 3
      get here quorum         => v1
      status                  => ok
      sleep 10ms
      wait
    `,
    );
    t.true(result.summary.ok, JSON.stringify(reporter.lines.flatMap((line) => line.assertions)));
    t.is(reporter.at(4).record.node, 3);
    const status = reporter.at(5).record;
    t.deepEqual(
      status.type === 'command'
        ? status.status?.map((node) => [
            node.state,
            node.peers?.filter((peer) => peer.connected).length,
          ])
        : [],
      [
        ['up', 3],
        ['up', 3],
        ['up', 3],
        ['up', 3],
      ],
    );
    t.true(result.summary.messagesSent > 0, 'the counters of nodes it did not start are read too');
  },
);

test.serial('--attach fails every fault directive with a message that says why', async (t) => {
  const cluster = new AttachedCluster(await loadConfig(configPath));
  t.teardown(() => cluster.close());
  const { reporter } = await runText(
    cluster,
    kv`
      kill 2
      restart 2
      pause 2
      resume 2
      partition 1,2 | 3,4
      heal
      delay 2 10ms
      delay 1->2 10ms
      loss 1->2 10%
    `,
  );
  t.is(reporter.lines.length, 9);
  for (const [index, outcome] of reporter.lines.entries()) {
    t.is(outcome.unexpectedError?.code, 'BAD_COMMAND', outcome.parsed.source);
    t.regex(
      outcome.unexpectedError!.message,
      index < 4
        ? /needs the node processes that `quartet run` starts itself.*without --attach/
        : /goes over an operator connection, which needs the cluster secret/,
    );
  }
  const names = reporter.lines.map(
    (outcome) => /^`(\w+)`/.exec(outcome.unexpectedError!.message)?.[1],
  );
  t.deepEqual(names, [
    'kill',
    'restart',
    'pause',
    'resume',
    'partition',
    'heal',
    'delay',
    'delay',
    'loss',
  ]);
});

test.serial(
  'quartet run --attach exits 0 when faults are asserted to fail, and keeps the nodes running',
  async (t) => {
    const input = kv`
    get here all            => v1
    kill 2                  => error BAD_COMMAND
    @2 get here one         => v1
  `;
    const result = await execa(quartetBin, ['run', '-', '--attach', '--config', configPath], {
      input,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    t.is(result.exitCode, 0, result.stdout + result.stderr);
    t.regex(result.stdout, /✔ PASS -/);
    const again = await execa(quartetBin, ['run', '-', '--attach', '--config', configPath], {
      input: 'pause 1\n',
      reject: false,
    });
    t.is(again.exitCode, 1, 'a fault directive without `=> error` fails the run');
    t.true(
      nodes.every((node) => node.exitCode === null),
      'no node was stopped',
    );
  },
);
