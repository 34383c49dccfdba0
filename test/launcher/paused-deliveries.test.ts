import test from 'ava';
import { PausedDeliveries } from '../../src/launcher/paused-deliveries.js';
import type { TraceEvent } from '../../src/trace/trace-format.js';

const send = (t: number, msg: number, to: number): TraceEvent => ({
  type: 'msg-send',
  t,
  msg,
  kind: 'write',
  from: 1,
  to,
  op: 1,
  delayMs: 0,
});
const deliver = (t: number, msg: number): TraceEvent => ({ type: 'msg-deliver', t, msg });
const show = (events: readonly TraceEvent[]) =>
  events.map(
    (e) => `${e.type} ${'msg' in e ? e.msg : ''} ${e.t}${e.type === 'msg-drop' ? ` ${e.why}` : ''}`,
  );

test('with no node paused, batches pass as they are', (t) => {
  const held = new PausedDeliveries();
  const batch = [send(1, 1, 2), deliver(2, 1)];
  t.is(held.admit(batch), batch);
});

test('a delivery to a paused node waits for its resume and is stamped then', (t) => {
  const held = new PausedDeliveries();
  held.pause(2, 100);
  const admitted = held.admit([send(110, 1, 2), deliver(111, 1), send(112, 2, 3), deliver(113, 2)]);
  t.deepEqual(show(admitted), ['msg-send 1 110', 'msg-send 2 112', 'msg-deliver 2 113']);
  t.deepEqual(show(held.resume(2, 500)), ['msg-deliver 1 500']);
  // A sender's batch that comes after the resume, written during the pause, moves to it too.
  const late = held.admit([send(400, 3, 2), deliver(401, 3), send(600, 4, 2), deliver(601, 4)]);
  t.deepEqual(show(late), [
    'msg-send 3 400',
    'msg-deliver 3 500',
    'msg-send 4 600',
    'msg-deliver 4 601',
  ]);
});

test('what waited for a paused node that is killed is dropped as pause', (t) => {
  const held = new PausedDeliveries();
  held.pause(2, 100);
  held.admit([send(110, 1, 2), deliver(111, 1)]);
  t.deepEqual(show(held.kill(2, 300)), ['msg-drop 1 300 pause']);
  t.deepEqual(held.resume(2, 400), []);
});
