import test from 'ava';
import { LinkTable } from '../../src/core/links.js';

const servers = [
  { id: 1, delayMsMean: 150 },
  { id: 2, delayMsMean: 1_500 },
  { id: 3, delayMsMean: 150 },
  { id: 4, delayMsMean: 20 },
];

const table = (links: ConstructorParameters<typeof LinkTable>[0]['links'] = []) =>
  new LinkTable({ servers, links });

test('a message to a server takes that server’s delay, whoever sends it', (t) => {
  const links = table();
  t.deepEqual(links.get(1, 2), { delayMsMean: 1_500, lossRate: 0, blocked: false });
  t.is(links.get(3, 2).delayMsMean, 1_500);
  t.is(links.get(2, 1).delayMsMean, 150, 'the way back uses the other server’s delay');
  t.is(links.get(2, 4).delayMsMean, 20);
});

test('a link to an unknown server has no delay', (t) => {
  t.is(table().get(1, 9).delayMsMean, 0);
});

test('a per-link override from the config applies to that one direction only', (t) => {
  const links = table([{ from: 1, to: 3, delayMsMean: 400, lossRate: 0.1 }]);
  t.deepEqual(links.get(1, 3), { delayMsMean: 400, lossRate: 0.1, blocked: false });
  t.deepEqual(links.get(3, 1), { delayMsMean: 150, lossRate: 0, blocked: false });
  t.is(links.get(2, 3).delayMsMean, 150);
});

test('a per-link override of loss only keeps the server delay', (t) => {
  const links = table([{ from: 1, to: 2, lossRate: 0.5 }]);
  t.deepEqual(links.get(1, 2), { delayMsMean: 1_500, lossRate: 0.5, blocked: false });
});

test('setting a link delay and loss at run time changes only that link', (t) => {
  const links = table();
  links.setLinkDelay(4, 1, 75);
  links.setLinkLoss(4, 1, 0.25);
  t.deepEqual(links.get(4, 1), { delayMsMean: 75, lossRate: 0.25, blocked: false });
  t.deepEqual(links.get(2, 1), { delayMsMean: 150, lossRate: 0, blocked: false });
  t.deepEqual(links.get(1, 4), { delayMsMean: 20, lossRate: 0, blocked: false });
});

test('setting a server delay replaces the link delay overrides towards it but keeps their loss', (t) => {
  const links = table([{ from: 1, to: 2, delayMsMean: 900, lossRate: 0.2 }]);
  links.setLinkDelay(3, 2, 700);
  links.setLinkDelay(2, 3, 600);
  links.setServerDelay(2, 50);
  t.deepEqual(links.get(1, 2), { delayMsMean: 50, lossRate: 0.2, blocked: false });
  t.is(links.get(3, 2).delayMsMean, 50);
  t.is(links.get(4, 2).delayMsMean, 50);
  t.is(links.get(2, 3).delayMsMean, 600, 'an override away from the server stays');
});

test('setting the delay of server 1 leaves overrides towards server 11 alone', (t) => {
  const links = new LinkTable({
    servers: [
      { id: 1, delayMsMean: 10 },
      { id: 11, delayMsMean: 10 },
      { id: 21, delayMsMean: 10 },
    ],
    links: [
      { from: 21, to: 11, delayMsMean: 300 },
      { from: 11, to: 1, delayMsMean: 400 },
    ],
  });
  links.setServerDelay(1, 99);
  t.is(links.get(21, 11).delayMsMean, 300);
  t.is(links.get(11, 1).delayMsMean, 99);
});

test('a partition blocks both directions between groups and none within a group', (t) => {
  const links = table();
  links.partition([
    [1, 2],
    [3, 4],
  ]);
  for (const [from, to] of [
    [1, 3],
    [3, 1],
    [2, 4],
    [4, 2],
  ] as const) {
    t.true(links.get(from, to).blocked, `${from}->${to} is cut`);
    t.true(links.isPartitioned(from, to));
  }
  t.false(links.get(1, 2).blocked);
  t.false(links.get(4, 3).blocked);
});

test('a node left out of every partition group still reaches everyone', (t) => {
  const links = table();
  links.partition([[1], [2]]);
  t.true(links.isPartitioned(1, 2));
  for (const other of [1, 2, 4]) {
    t.false(links.isPartitioned(3, other));
    t.false(links.isPartitioned(other, 3));
  }
});

test('heal removes the partition and a new partition replaces the old one', (t) => {
  const links = table();
  links.partition([[1], [2, 3, 4]]);
  links.partition([[1, 2], [3]]);
  t.false(links.isPartitioned(1, 4), 'the first partition no longer applies');
  t.true(links.isPartitioned(2, 3));
  links.heal();
  t.false(links.get(2, 3).blocked);
  t.false(links.isPartitioned(3, 2));
});

test('changing the groups passed to partition afterwards does not change the partition', (t) => {
  const links = table();
  const groups = [[1], [2]];
  links.partition(groups);
  groups[0]!.push(2);
  t.true(links.isPartitioned(1, 2));
});

test('a partition keeps delay and loss settings and heal restores the link as it was', (t) => {
  const links = table([{ from: 1, to: 2, delayMsMean: 5, lossRate: 0.5 }]);
  links.partition([[1], [2]]);
  t.deepEqual(links.get(1, 2), { delayMsMean: 5, lossRate: 0.5, blocked: true });
  links.heal();
  t.deepEqual(links.get(1, 2), { delayMsMean: 5, lossRate: 0.5, blocked: false });
});
