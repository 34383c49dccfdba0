// The CPU cost of tracing one operation, without a cluster: a process emits the trace of an
// update at `one` (op-invoke, 3 writes and their replies passing at once, the answer) through
// the shipped code (LinkScheduler.traceAtOnce, TracedOperation, IpcTracer) to a forked sink
// (TraceSink's ring, as under `quartet bench --trace`), and reports CPU µs per operation of
// both processes, minus the same loop untraced.
//   node bench/trace-cost.mjs [dist dir, default ./dist] [operations, default 40000] [--split]
// `--split` runs the traced loop twice more: with batches dropped instead of sent (no channel),
// then with the encoder's methods doing nothing (no bytes written: what is left is the emit
// path's plumbing, clock reads and ids), and prints each producer cost beside the whole.
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { result, ts, value } from './update-fixture.mjs';

// The sink is this file forked with `DIST 0 sink`.
const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const dist = resolve(positional[0] ?? 'dist');
const load = (path) => import(pathToFileURL(`${dist}/src/${path}`).href);

if (positional[2] === 'sink') {
  const { TraceSink } = await load('launcher/trace-sink.js');
  const sink = new TraceSink(undefined, { type: 'meta' });
  let events = 0;
  let start;
  process.on('message', (message) => {
    if (message.type === 'start') {
      events = 0;
      return void (start = process.cpuUsage());
    }
    if (message.type === 'done') {
      const { user, system } = process.cpuUsage(start);
      process.send({ type: 'cpu', us: user + system, events });
      return;
    }
    events += message.count;
    sink.addBatch(message);
  });
} else {
  const operations = Number(positional[1] ?? 40_000);
  const split = process.argv.includes('--split');
  const { IpcTracer, hostClockUs } = await load('node/ipc-tracer.js');
  const { LinkScheduler } = await load('node/link-scheduler.js');
  const { TracedOperation } = await load('node/traced-operation.js');
  const { noTracer } = await load('node/tracer.js');
  const child = fork(process.argv[1], [dist, '0', 'sink'], { serialization: 'advanced' });
  const callbacks = { respond: () => {}, fail: () => {}, repair: () => {} };
  // In rounds of 50 operations every 5 ms (at most 10,000 ops/s: a busy node's rate, which the
  // channel carries; a tight loop would outrun it and measure drops).
  const run = async (tracer, count) => {
    const links = new LinkScheduler(1, undefined, undefined, true, undefined, undefined, tracer);
    const start = process.cpuUsage();
    for (let i = 0; i < count; i++) {
      if (i % 50 === 0) await new Promise((next) => setTimeout(next, 5));
      const op = 1e9 + i;
      if (tracer.enabled) {
        tracer.emit({
          type: 'op-invoke',
          t: tracer.nowUs(),
          op,
          client: 'client',
          node: 1,
          kind: 'update',
          key: 'user1234',
          level: 'one',
          value,
        });
      }
      for (const to of [2, 3, 4])
        links.traceAtOnce(to, { kind: 'write', op, key: 'user1234', ts }, true);
      for (const to of [2, 3, 4])
        links.traceAtOnce(to, { kind: 'write-reply', op, key: 'user1234' }, true);
      const done = tracer.enabled ? new TracedOperation(callbacks, tracer, op) : callbacks;
      done.respond(result);
    }
    const { user, system } = process.cpuUsage(start);
    return user + system;
  };
  let sent = 0;
  let bytes = 0;
  let batches = 0;
  let channel = true;
  const tracer = new IpcTracer(1, hostClockUs(), (batch, done) => {
    if (!channel) return void setImmediate(done);
    sent += batch.count;
    bytes += batch.bytes.byteLength;
    batches++;
    child.send({ type: 'trace', ...batch }, undefined, {}, done);
  });
  const allSent = () => new Promise((done) => tracer.whenSent(done));
  await run(noTracer, operations / 4); // warm-up
  const offUs = await run(noTracer, operations);
  // The traced path warmed up too, so that the split's later runs are not the only warm ones.
  await run(tracer, operations / 4);
  await allSent();
  sent = bytes = batches = 0;
  child.send({ type: 'start' }); // the sink counts its CPU and events from here
  const onUs = await run(tracer, operations);
  await allSent();
  const splits = [];
  if (split) {
    channel = false;
    splits.push(['without the channel', await run(tracer, operations)]);
    await allSent();
    const { TraceEncoder } = await load('trace/trace-encoder.js');
    for (const name of ['encode', 'encodeSend', 'encodeAnswer', 'encodeDeliver'])
      TraceEncoder.prototype[name] = () => true;
    splits.push(['without the encoder either', await run(tracer, operations)]);
  }
  child.send({ type: 'done' });
  child.once('message', ({ us, events }) => {
    const perOp = (us) => (us / operations).toFixed(2);
    console.log(
      `${dist}: tracing ${perOp(onUs - offUs)} µs/op in the producer, ${perOp(us)} in the sink; ` +
        `${(events / operations).toFixed(1)} events/op carried (${(sent / operations).toFixed(1)} sent), ` +
        `${(bytes / operations).toFixed(0)} bytes/op in ${batches} batches`,
    );
    for (const [name, cpuUs] of splits)
      console.log(`  ${name}: ${perOp(cpuUs - offUs)} µs/op in the producer`);
    child.kill();
  });
}
