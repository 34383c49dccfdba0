import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { execa, type ResultPromise } from 'execa';
import { quartetBin } from '../../src/terminal/paths.js';
import { writeTestConfig, type TestConfigInput } from './cluster.js';
import { findProcessesMentioning, killAll, waitForExit } from './processes.js';

/** Four `quartet node` processes a user started by hand, sharing a secret, for `--attach`. */
export interface NodeProcesses {
  configPath: string;
  dir: string;
  secret: string;
  nodes: ResultPromise[];
}

/**
 * Starts one `quartet node --in-memory` per server of a test config on free ports and resolves
 * once each is connected to all its peers (it logs each one). `t.teardown` stops them all.
 */
export async function startNodeProcesses(
  t: Pick<ExecutionContext, 'teardown'>,
  input: TestConfigInput = {},
): Promise<NodeProcesses> {
  const { dir, configPath, ports } = await writeTestConfig(t as ExecutionContext, input);
  const secret = randomBytes(16).toString('hex');
  const nodes = ports.map((_, i) =>
    execa(quartetBin, ['node', '--config', configPath, '--id', String(i + 1), '--in-memory'], {
      cwd: dir,
      env: { QUARTET_SECRET: secret, NO_COLOR: '1' },
      reject: false,
      stdin: 'ignore',
    }),
  );
  t.teardown(async () => {
    const pids = findProcessesMentioning(configPath);
    for (const node of nodes) node.kill('SIGTERM');
    await Promise.race([Promise.all(nodes), waitForExit(pids).catch(() => undefined)]);
    killAll(findProcessesMentioning(configPath));
  });
  await Promise.all(nodes.map((node) => waitForPeers(node, ports.length - 1)));
  return { configPath, dir, secret, nodes };
}

function waitForPeers(node: ResultPromise, peers: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = 0;
    let buffered = '';
    node.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      seen += lines.filter((line) => /peer \d+ connected/.test(line)).length;
      if (seen >= peers) resolve();
    });
    void node.then((result) => reject(new Error(`a node exited: ${result.stderr}`)));
  });
}
