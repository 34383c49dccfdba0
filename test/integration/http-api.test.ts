import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { Ring } from '../../src/core/ring.js';
import { Cluster } from '../../src/launcher/cluster.js';
import { findFreePorts } from '../../src/launcher/free-ports.js';
import { startCluster } from '../../src/launcher/startup.js';

const run = promisify(execFile);

interface HttpCluster {
  cluster: Cluster;
  httpPorts: number[];
}

// Four real nodes, each serving HTTP on a port of its own taken from the config.
async function startHttpCluster(
  t: ExecutionContext,
  fields: Record<string, unknown> = {},
): Promise<HttpCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-http-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ports = await findFreePorts(8);
  const httpPorts = ports.slice(4);
  const config = {
    servers: ports
      .slice(0, 4)
      .map((port, index) => ({ host: '127.0.0.1', port, httpPort: httpPorts[index] })),
    delayDistribution: 'fixed',
    requestTimeoutMs: 3000,
    ...fields,
  };
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config));
  const cluster = new Cluster({
    config: await loadConfig(configPath),
    configPath,
    dir,
    inMemory: true,
  });
  t.teardown(() => cluster.stop());
  await startCluster(cluster, { quiet: true });
  return { cluster, httpPorts };
}

interface CurlAnswer {
  status: number;
  body: Record<string, unknown>;
}

// curl, a client that is not JavaScript, as any application would use the API.
async function curl(
  port: number,
  method: string,
  path: string,
  body?: string,
): Promise<CurlAnswer> {
  const args = ['-s', '--max-time', '20', '-X', method, '-w', '\n%{http_code}'];
  if (body !== undefined) args.push('--data-binary', '@-', '-H', 'content-type: text/plain');
  args.push(`http://127.0.0.1:${port}${path}`);
  // No body: curl reads no stdin, and may exit before a write to it lands (EPIPE). A body
  // curl stops reading once the node answers early (413) may meet EPIPE too: curl's exit code
  // and answer are what is checked, so that write's error is not the test's.
  const child = spawn('curl', args, {
    stdio: [body === undefined ? 'ignore' : 'pipe', 'pipe', 'inherit'],
  });
  if (body !== undefined) {
    child.stdin!.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    child.stdin!.end(body);
  }
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`curl ${args.join(' ')} exited ${code}`);
  const newline = stdout.lastIndexOf('\n');
  return {
    status: Number(stdout.slice(newline + 1)),
    body: JSON.parse(stdout.slice(0, newline)) as Record<string, unknown>,
  };
}

type Replica = { node: number; state: string; ts?: unknown };

test('curl writes, reads and deletes through a node, with the level, acks and replica states', async (t) => {
  const { httpPorts } = await startHttpCluster(t);
  const put = await curl(httpPorts[0]!, 'PUT', '/kv/city?level=all', 'Zürich');
  t.is(put.status, 200);
  t.like(put.body, { ok: true, op: 'update', key: 'city', level: 'all', acks: 3, required: 3 });
  t.is((put.body.replicas as Replica[]).filter((r) => r.state === 'fresh').length, 3);

  const get = await curl(httpPorts[2]!, 'GET', '/kv/city?level=quorum');
  t.is(get.status, 200);
  t.like(get.body, { ok: true, op: 'get', value: 'Zürich', found: true, level: 'quorum', node: 3 });
  t.deepEqual(Object.keys(get.body.ts as object).sort(), ['counter', 'nodeId', 'wallMs']);

  const removed = await curl(httpPorts[1]!, 'DELETE', '/kv/city?level=all');
  t.like(removed.body, { ok: true, op: 'delete', acks: 3 });
  const gone = await curl(httpPorts[3]!, 'GET', '/kv/city?level=all');
  t.is(gone.status, 404);
  t.like(gone.body, { ok: true, found: false, value: null });
});

test('a stale read at one is visible in the replica states over HTTP', async (t) => {
  // Without read repair, node 2 stays behind until something else repairs it.
  const { cluster, httpPorts } = await startHttpCluster(t, { readRepair: 'off' });
  const ring = new Ring([1, 2, 3, 4], 3, cluster.config.virtualNodes);
  const key = [...Array(200).keys()]
    .map((i) => `k${i}`)
    .find((k) => ring.replicasFor(k).includes(1) && ring.replicasFor(k).includes(2))!;
  // Node 1's messages to node 2 are lost: node 2 never gets the write.
  await cluster.broadcast({ type: 'link-loss', from: 1, to: 2, lossRate: 1 });
  await curl(httpPorts[0]!, 'PUT', `/kv/${key}?level=one`, 'v1');
  const stale = await curl(httpPorts[1]!, 'GET', `/kv/${key}?level=one`);
  t.is(stale.status, 404, 'node 2 answered first, from its own copy, which never got the write');
  t.like(stale.body, { found: false, acks: 1, required: 1 });
  const states = await curl(httpPorts[2]!, 'GET', `/kv/${key}/replicas`);
  const held = states.body.replicas as Replica[];
  t.is(held.find((r) => r.node === 2)?.state, 'missing');
  t.is(held.find((r) => r.node === 1)?.state, 'holds');
  await cluster.broadcast({ type: 'link-loss', from: 1, to: 2, lossRate: 0 });
  const all = await curl(httpPorts[1]!, 'GET', `/kv/${key}?level=all`);
  t.like(all.body, { found: true, value: 'v1' });
  t.is((all.body.replicas as Replica[]).find((r) => r.node === 2)?.state, 'missing');
});

test('HTTP errors carry registry codes and fitting statuses', async (t) => {
  const { cluster, httpPorts } = await startHttpCluster(t);
  const port = httpPorts[0]!;
  const badLevel = await curl(port, 'GET', '/kv/a?level=most');
  t.is(badLevel.status, 400);
  t.is((badLevel.body.error as { code: string }).code, 'BAD_REQUEST');
  const big = await curl(port, 'PUT', '/kv/a', 'x'.repeat(cluster.config.valueBytesMax + 1));
  t.is(big.status, 413);
  t.is((big.body.error as { code: string }).code, 'TOO_LARGE');
  const route = await curl(port, 'GET', '/nothing');
  t.is(route.status, 404);
  t.regex((route.body.error as { message: string }).message, /GET, PUT and DELETE \/kv/);
  const method = await curl(port, 'POST', '/kv/a');
  t.is(method.status, 405);
  await cluster.kill(2);
  await cluster.kill(3);
  const unavailable = await curl(port, 'GET', '/kv/a?level=all');
  t.is(unavailable.status, 503);
  t.is((unavailable.body.error as { code: string }).code, 'UNAVAILABLE');
});

test('a read at all whose replica is paused gives 504 TIMEOUT', async (t) => {
  const { cluster, httpPorts } = await startHttpCluster(t, { requestTimeoutMs: 500 });
  cluster.pause(2);
  t.teardown(() => cluster.resume(2));
  const ring = new Ring([1, 2, 3, 4], 3, cluster.config.virtualNodes);
  const key = [...Array(200).keys()]
    .map((i) => `k${i}`)
    .find((k) => ring.replicasFor(k).includes(2))!;
  const answer = await curl(httpPorts[0]!, 'GET', `/kv/${key}?level=all`);
  t.is(answer.status, 504);
  t.is((answer.body.error as { code: string }).code, 'TIMEOUT');
  t.like(answer.body, { ok: false, acks: 2, required: 3, level: 'all' });
  t.is((answer.body.replicas as Replica[]).find((r) => r.node === 2)?.state, 'pending');
});

test('GET /status gives the node\u2019s view of its peers; keep-alive serves many requests on one socket', async (t) => {
  const { httpPorts } = await startHttpCluster(t);
  const status = await curl(httpPorts[3]!, 'GET', '/status');
  t.is(status.status, 200);
  t.like(status.body, { ok: true, node: 4, nodeId: 4 });
  t.is((status.body.peers as unknown[]).length, 3);
  // Two requests, one connection: the second reuses the socket of the first.
  const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const sockets = new Set<unknown>();
  for (const path of ['/kv/x', '/kv/y']) {
    await new Promise<void>((resolve, reject) => {
      const req = request({ port: httpPorts[0], path, agent }, (response) => {
        sockets.add(req.socket);
        response.resume();
        response.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  }
  t.is(sockets.size, 1);
});

test('headers over the limit get 431 and a URL over the limit 413; the node keeps serving', async (t) => {
  const { httpPorts } = await startHttpCluster(t);
  const port = httpPorts[0]!;
  const { stdout } = await run('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-H',
    `x-big: ${'a'.repeat(20_000)}`,
    `http://127.0.0.1:${port}/kv/a`,
  ]);
  t.is(stdout, '431');
  const long = await curl(port, 'GET', `/kv/${'k'.repeat(5000)}`);
  t.is(long.status, 413);
  t.is((await curl(port, 'GET', '/kv/a')).status, 404);
});

// Skipped (and so reported) where no python3 is installed.
const hasPython = spawnSync('python3', ['--version']).status === 0;

(hasPython ? test : test.skip)(
  'the Python example drives a real cluster with the standard library alone',
  async (t) => {
    const { httpPorts } = await startHttpCluster(t);
    const script = new URL('../../../examples/http/client.py', import.meta.url).pathname;
    const { stdout } = await run('python3', [script, `http://127.0.0.1:${httpPorts[0]}`]);
    const lines = stdout.trim().split('\n');
    t.is(lines.length, 4);
    t.regex(lines[0]!, /^200 update greeting all: grüezi {2}\[n\d fresh n\d fresh n\d fresh\]$/);
    t.regex(lines[1]!, /^200 get greeting one: grüezi/);
    t.regex(lines[2]!, /^200 delete greeting quorum/);
    t.regex(lines[3]!, /^404 get greeting all: None/);
  },
);
