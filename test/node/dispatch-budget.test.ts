import test from 'ava';
import { DispatchBudget } from '../../src/node/dispatch-budget.js';

const afterThisTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('the budget admits operations until the bytes they hold reach the bound, and again once one closes', (t) => {
  const budget = new DispatchBudget(100, 10);
  const first = budget.hold(60, false);
  t.true(budget.admits);
  const second = budget.hold(60, false);
  t.is(budget.usedBytes, 120);
  t.false(budget.admits, 'at or past the bound nothing more starts');
  second.close();
  second.close(); // closing twice gives back once
  t.is(budget.usedBytes, 60);
  t.true(budget.admits);
  first.close();
  t.is(budget.usedBytes, 0);
});

test('reads not answered yet are bounded by count, and count as big as the last read once sized', (t) => {
  const budget = new DispatchBudget(1_000_000, 2);
  const a = budget.hold(3, true);
  const b = budget.hold(3, true);
  t.is(budget.unsized, 2);
  t.false(budget.admits, 'two reads of unknown size are the most');
  a.resize(3 + 3 * 1000); // its first answer: 1000 bytes, three replicas asked
  t.is(budget.unsized, 1);
  t.true(budget.admits);
  t.is(budget.usedBytes, 3003 + 3);
  const c = budget.hold(3, true);
  t.is(budget.usedBytes, 3003 + 3 + 3003, 'a new read is expected to hold what the last one did');
  c.resize(3);
  a.resize(3 + 3 * 2000); // a later, bigger answer
  t.is(budget.unsized, 1, 'resizing a sized read does not count it again');
  for (const hold of [a, b, c]) hold.close();
  t.is(budget.usedBytes, 0);
  t.is(budget.unsized, 0);
});

test('waiters are woken after the turn that frees room, in the order they waited, while it admits', async (t) => {
  const budget = new DispatchBudget(100, 10);
  const big = budget.hold(100, false);
  const woken: string[] = [];
  let second: ReturnType<DispatchBudget['hold']> | undefined;
  budget.waitForRoom(() => {
    woken.push('first');
    second = budget.hold(100, false); // takes all the room again
  });
  budget.waitForRoom(() => woken.push('second'));
  await afterThisTurn();
  t.deepEqual(woken, [], 'no room, no wake');
  big.close();
  t.deepEqual(woken, [], 'not woken inside the close');
  await afterThisTurn();
  t.deepEqual(woken, ['first'], 'the second waits: the first took the room');
  second!.close();
  await afterThisTurn();
  t.deepEqual(woken, ['first', 'second']);
});

test('a cancelled waiter is not woken', async (t) => {
  const budget = new DispatchBudget(10, 10);
  const hold = budget.hold(10, false);
  let woken = false;
  const wake = () => (woken = true);
  budget.waitForRoom(wake);
  budget.cancelWait(wake);
  hold.close();
  await afterThisTurn();
  t.false(woken);
});

test('a waiter that waits again for a release is not woken again until one comes', async (t) => {
  const budget = new DispatchBudget(100, 10);
  const hold = budget.hold(10, false);
  let wakes = 0;
  const wake = () => {
    wakes++;
    budget.waitForRelease(wake);
  };
  budget.waitForRelease(wake);
  await afterThisTurn();
  t.is(wakes, 0, 'waiting for a release is not woken by room alone');
  hold.close();
  await afterThisTurn();
  t.is(wakes, 1);
  budget.hold(5, false).close();
  await afterThisTurn();
  t.is(wakes, 2);
});
