import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { TraceSink, traceRingEventsMax } from '../../src/launcher/trace-sink.js';
import { TraceEncoder } from '../../src/trace/trace-encoder.js';
import { createTraceMeta, type TraceEvent } from '../../src/trace/trace-format.js';
import { parseTrace } from '../../src/trace/trace-parse.js';

const meta = createTraceMeta({ source: 'cluster', nodes: [1, 2], replicationFactor: 2 });
const level = (t: number): TraceEvent => ({ type: 'level-met', t, op: t });

/** A node's batch of level-met events at the given times, encoded as a node sends it. */
function batch(times: readonly number[]) {
  const encoder = new TraceEncoder(1 << 24);
  for (const t of times) encoder.encode(level(t));
  return { count: encoder.count, bytes: encoder.take(), messages: 0 };
}

test('without a file or listener the ring keeps the latest batches undecoded; recent() orders them', (t) => {
  const sink = new TraceSink(undefined, meta);
  const odd = Array.from({ length: 40_000 }, (_, i) => 2 * i + 1);
  const even = Array.from({ length: 40_000 }, (_, i) => 2 * i + 2);
  for (let from = 0; from < 40_000; from += 10_000) {
    sink.addBatch(batch(odd.slice(from, from + 10_000)));
    sink.addBatch(batch(even.slice(from, from + 10_000)));
    if (from === 20_000) sink.fault({ fault: 'heal' });
  }
  t.true(sink.held.events < traceRingEventsMax + 10_000, `${sink.held.events} held`);
  t.true(sink.held.bytes > 0, 'held undecoded');
  const { events } = sink.recent();
  t.is(events.length, traceRingEventsMax);
  const times = events.map((event) => event.t);
  t.deepEqual(
    times.filter((time, i) => i > 0 && time < times[i - 1]!),
    [],
    'in time order',
  );
  t.is(events.filter((event) => event.type === 'level-met').at(-1)?.t, 80_000, 'the latest kept');
  t.true(events.some((event) => event.type === 'fault'));
  void sink.close();
});

test('a listener gets each batch as it arrives, decoded; the file gets them in time order', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-sink-'));
  const path = join(dir, 'run.trace');
  const sink = new TraceSink(path, meta);
  const heard: number[][] = [];
  const unlisten = sink.listen((events) => heard.push(events.map((event) => event.t)));
  const gone: TraceEvent[] = [];
  sink.listen((events) => gone.push(...events))();
  sink.addBatch(batch([5, 7, 9]));
  sink.addBatch(batch([4, 6, 8]));
  unlisten();
  sink.addBatch(batch([10]));
  await sink.close();
  t.deepEqual(heard, [
    [5, 7, 9],
    [4, 6, 8],
  ]);
  t.deepEqual(gone, []);
  const written = parseTrace(await readFile(path, 'utf8'), path);
  t.deepEqual(
    written.events.map((event) => event.t),
    [4, 5, 6, 7, 8, 9, 10],
  );
  t.deepEqual(sink.recent().events, written.events);
});

test('a listener without a file: batches are decoded for it and kept for trace', (t) => {
  const sink = new TraceSink(undefined, meta);
  const heard: TraceEvent[] = [];
  sink.listen((events) => heard.push(...events));
  sink.addBatch(batch([3, 1]));
  t.deepEqual(
    heard.map((event) => event.t),
    [3, 1],
  );
  t.deepEqual(
    sink.recent().events.map((event) => event.t),
    [1, 3],
  );
  t.is(sink.held.bytes, 0, 'kept decoded, not twice');
  void sink.close();
});

test('a batch no encoder made is counted as dropped, not a crash', (t) => {
  const sink = new TraceSink(undefined, meta);
  sink.addBatch({ count: 3, bytes: Uint8Array.of(9, 9, 9), messages: 0 });
  sink.addBatch({ count: 2, bytes: { 0: 1 } as unknown as Uint8Array, messages: 0 }); // a JSON channel's Buffer
  sink.addBatch(batch([7]));
  const events = sink.recent().events;
  t.deepEqual(
    events
      .filter((event) => event.type === 'events-dropped')
      .map((event) => event.type === 'events-dropped' && event.count)
      .sort(),
    [2, 3], // the JSON-channel one at once, the other when read
  );
  t.true(events.some((event) => event.type === 'level-met'));
  void sink.close();
});
