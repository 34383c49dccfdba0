#!/usr/bin/env node
// The trace encoder alone, in a tight loop: CPU µs to encode the trace of one update at `one`
// (op-invoke with a 100-byte value, 3 writes and 3 replies passing at once, the answer) into a
// batch, and the batch's bytes per update. No channel, no clock reads: run it on two builds in
// turn to compare codecs (bench/README.md, "Session 6").
//   node bench/trace-encode.mjs [dist dir, default ./dist] [first op id, default 3e9]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { result, ts, value } from './update-fixture.mjs';

const dist = resolve(process.argv[2] ?? 'dist');
const load = (path) => import(pathToFileURL(`${dist}/src/${path}`).href);
const { TraceEncoder } = await load('trace/trace-encoder.js');
// Builds before traceNote (434524a) made notes as literals.
const traceNote =
  (await load('node/tracer.js')).traceNote ?? ((kind, op, key, ts) => ({ kind, op, key, ts }));

const encoder = new TraceEncoder(8 << 20);
const updates = 200_000;
// Op ids as a node's (node * 10^9 + n: above 2^31, so not small integers).
let op = Number(process.argv[3] ?? 3e9);
let t = 5_000_000;
let msg = 4 * 2 ** 32 + 1000;
let bytes = 0;
const round = () => {
  const start = process.cpuUsage();
  for (let i = 0; i < updates; i++) {
    op += 1;
    const key = 'user1234';
    encoder.encode({
      type: 'op-invoke',
      t: (t += 37),
      op,
      client: 'bench-1',
      node: 1,
      kind: 'update',
      key,
      level: 'one',
      value,
    });
    for (const to of [2, 3, 4])
      encoder.encodeSend((t += 11), (msg += 1), 1, to, traceNote('write', op, key, ts), 0, true);
    for (const to of [2, 3, 4])
      encoder.encodeSend((t += 50), (msg += 1), to, 1, traceNote('write-reply', op, key), 0, true);
    encoder.encodeAnswer((t += 5), op, result);
    if (encoder.count > 10_000) {
      const batch = encoder.take();
      bytes += batch.byteLength;
      encoder.recycle(batch);
    }
  }
  const { user, system } = process.cpuUsage(start);
  return (user + system) / updates;
};
const rounds = [];
for (let r = 0; r < 5; r++) rounds.push(round());
console.log(
  `${dist}: ${rounds.map((us) => us.toFixed(2)).join(' · ')} µs per update (5 rounds, the first warms up); ` +
    `${(bytes / (5 * updates)).toFixed(0)} bytes per update`,
);
