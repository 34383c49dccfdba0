#!/usr/bin/env node
// CPU time per operation of the messages of one operation, in one process, without sockets: the
// client's get and put (encode, MessagePack, decode and check), the results, the peer messages
// and the read and write coordinations. A figure that a loaded machine moves far less than a
// whole bench, to A/B a codec change: run it on two builds in turn.
// Usage: node bench/wire-cost.mjs [BUILD_DIR (default: this checkout)] [--runs 3]
import { cpuUsage } from 'node:process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt === -1 ? 3 : Number(process.argv[runsAt + 1]);
const positional = process.argv
  .slice(2)
  .filter((arg, i, all) => arg !== '--runs' && all[i - 1] !== '--runs');
const root = resolve(positional[0] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const load = (path) => import(pathToFileURL(join(root, 'dist', 'src', path)).href);

const { encodeBody, decodeBody } = await load('protocol/codec.js');
const { validateRequest } = await load('protocol/validate.js');
const results = await load('protocol/result-wire.js');
const peers = await load('protocol/peer-wire.js');
const { ReadCoordination, WriteCoordination } = await load('core/coordinator.js');
const { FrameWriter } = await load('protocol/frame-writer.js');
// A build before positional client requests has no request-wire.js: its client sent maps.
const requests = await load('protocol/request-wire.js').catch(() => undefined);

const operations = 200_000;
const limits = { keyBytesMax: 1024, valueBytesMax: 1024 * 1024 };
const value = 'v'.repeat(100);
const ts = { wallMs: 1_764_640_000_000, counter: 3, nodeId: 2 };
const version = { value, ts };
const sent = { op: 'get', key: 'user1', coordinator: 1 };
const params = (op) => ({
  op,
  key: 'user1',
  level: 'one',
  coordinator: 1,
  replicas: [3, 1, 2],
  required: 1,
  down: new Set(),
});
const readResult = {
  ...sent,
  level: 'one',
  required: 1,
  acks: 1,
  value,
  found: true,
  ts,
  replicas: [
    { node: 1, state: 'fresh', ts },
    { node: 2, state: 'pending' },
    { node: 3, state: 'pending' },
  ],
};
const writeResult = {
  ...readResult,
  op: 'update',
  value: null,
  replicas: [{ node: 1, state: 'fresh', ts, created: false }, ...readResult.replicas.slice(1)],
};
const through = (wire) => decodeBody(encodeBody(wire));
// A socket that takes every write: the frame writer's own cost, without the system call.
const sink = { destroyed: false, writable: true, writableLength: 0, write: () => true };
const writer = new FrameWriter(sink);

const cases = {
  'client get + put': (id) => {
    const get = { type: 'get', id, key: `user${id % 10_000}` };
    const put = { type: 'put', id, op: 'update', key: get.key, value };
    if (requests === undefined) {
      validateRequest(through(get), limits);
      validateRequest(through(put), limits);
    } else {
      requests.decodeDataRequest(through(requests.encodeDataRequest(get)), limits);
      requests.decodeDataRequest(through(requests.encodeDataRequest(put)), limits);
    }
  },
  'result of a get + a put': (id) => {
    results.decodeResult(through(results.encodeResult(id, readResult)), sent);
    results.decodeResult(through(results.encodeResult(id, writeResult)), sent);
  },
  'peer read + reply': (id) => {
    peers.decodePeerRequest(
      through(peers.encodePeerRequest({ type: 'read', key: 'user1' }, id)),
      limits,
    );
    peers.decodePeerReply(
      through(peers.encodePeerReply({ type: 'read-reply', id, version })),
      limits,
    );
  },
  'peer write + reply': (id) => {
    const write = { type: 'write', key: 'user1', version };
    peers.decodePeerRequest(through(peers.encodePeerRequest(write, id)), limits);
    const reply = { type: 'write-reply', id, created: false, applied: true };
    peers.decodePeerReply(through(peers.encodePeerReply(reply)), limits);
  },
  'frames written: 5 of an op': (id) => {
    const key = `user${id % 10_000}`;
    writer.write([12, id, key, value, null]);
    writer.write([2, id, key, value, ts.wallMs + id, ts.counter, ts.nodeId]);
    writer.write([5, id, value, ts.wallMs, ts.counter, ts.nodeId]);
    writer.write([6, id, false, true]);
    writer.write(results.encodeResult(id, readResult));
  },
  'read coordination, 3 answers': () => {
    const read = new ReadCoordination(params('get'), 'background');
    read.start();
    for (const node of [1, 2, 3]) read.onReadReply(node, version);
  },
  'write coordination, 3 acks': () => {
    const write = new WriteCoordination(params('update'), version);
    write.start();
    for (const node of [1, 2, 3]) write.onAck(node, false);
  },
};

console.log(`${root} (${requests === undefined ? 'map' : 'array'} client requests)`);
for (const [name, run] of Object.entries(cases)) {
  for (let i = 0; i < operations / 4; i++) run(i);
  const figures = [];
  for (let r = 0; r < runs; r++) {
    const before = cpuUsage();
    for (let i = 0; i < operations; i++) run(i);
    const { user, system } = cpuUsage(before);
    figures.push(((user + system) / operations).toFixed(3));
  }
  console.log(`${name.padEnd(30)} ${figures.join(' · ')} µs CPU per run`);
}
