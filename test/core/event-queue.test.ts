import test from 'ava';
import { EventQueue } from '../../src/core/event-queue.js';

test('events run in time order, ties in the order they were scheduled', (t) => {
  const queue = new EventQueue();
  const ran: string[] = [];
  queue.at(30, () => ran.push('c'));
  queue.at(10, () => ran.push('a1'));
  queue.at(10, () => ran.push('a2'));
  queue.at(20, () => {
    ran.push('b');
    queue.after(0, () => ran.push('b-now'));
    queue.after(5, () => ran.push('b+5'));
  });
  queue.drain();
  t.deepEqual(ran, ['a1', 'a2', 'b', 'b-now', 'b+5', 'c']);
  t.is(queue.nowUs, 30);
  t.is(queue.eventsRun, 6);
});

test('an event scheduled in the past runs now, never moving the clock back', (t) => {
  const queue = new EventQueue();
  const times: number[] = [];
  queue.at(100, () => queue.at(50, () => times.push(queue.nowUs)));
  queue.drain();
  t.deepEqual(times, [100]);
});

test('drain stops a run that never settles', (t) => {
  const queue = new EventQueue();
  const again = (): void => queue.after(1, again);
  again();
  t.throws(() => queue.drain(1000), { message: /did not settle within 1000 events/ });
});

test('drain ends when only background work is left, and what background work schedules is background', (t) => {
  const queue = new EventQueue();
  const ran: string[] = [];
  // A periodic timer, forever: it must not keep drain going.
  const tick = (): void => {
    ran.push(`tick@${queue.nowUs}`);
    queue.after(60, () => ran.push(`caused@${queue.nowUs}`)); // inherits background
    queue.after(100, tick, true);
  };
  queue.after(100, tick, true);
  queue.after(150, () => ran.push('work@150'));
  queue.drain(10_000);
  t.deepEqual(ran, ['tick@100', 'work@150']);
  t.is(queue.foreground, 0);
  t.true(queue.size > 0, 'the timer is still scheduled');
  queue.foregroundNow();
  queue.after(1, () => ran.push('after'));
  t.is(queue.foreground, 1);
});
