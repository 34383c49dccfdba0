import test from 'ava';
import { QuartetError } from '../../src/core/errors.js';
import {
  answersFor,
  isLevelName,
  levelNames,
  quorumsOverlap,
  requiredAnswers,
  type LevelName,
} from '../../src/core/levels.js';

const needs = test.macro({
  exec(t, level: LevelName, replicationFactor: number, expected: number) {
    t.is(requiredAnswers(level, replicationFactor), expected);
  },
  title: (_provided, level: LevelName, replicationFactor: number, expected: number) =>
    `level ${level} with RF ${replicationFactor} waits for ${expected} answer${expected === 1 ? '' : 's'}`,
});

const unavailable = test.macro({
  exec(t, level: LevelName, replicationFactor: number) {
    const error = t.throws(() => requiredAnswers(level, replicationFactor), {
      instanceOf: QuartetError,
    });
    t.is(error?.code, 'UNAVAILABLE');
    t.true(
      error?.message.includes(`\`${level}\``),
      `the message names ${level}: ${error?.message}`,
    );
    t.true(error?.message.includes(`replication factor is ${replicationFactor}`));
  },
  title: (_provided, level: LevelName, replicationFactor: number) =>
    `level ${level} with RF ${replicationFactor} is UNAVAILABLE and the error names the level`,
});

// [level, RF 1, RF 2, RF 3, RF 4, RF 5]; undefined: the level needs more replicas than RF.
const table: [LevelName, ...(number | undefined)[]][] = [
  ['one', 1, 1, 1, 1, 1],
  ['two', undefined, 2, 2, 2, 2],
  ['three', undefined, undefined, 3, 3, 3],
  ['quorum', 1, 2, 2, 3, 3],
  ['all', 1, 2, 3, 4, 5],
];

for (const [level, ...byReplicationFactor] of table) {
  byReplicationFactor.forEach((expected, index) => {
    const replicationFactor = index + 1;
    if (expected === undefined) test(unavailable, level, replicationFactor);
    else test(needs, level, replicationFactor, expected);
  });
}

test('the five level names are known and nothing else is', (t) => {
  t.deepEqual([...levelNames], ['one', 'two', 'three', 'quorum', 'all']);
  for (const level of levelNames) t.true(isLevelName(level));
  for (const other of ['ONE', 'any', 'local_quorum', '', 1, null, undefined, ['one']]) {
    t.false(isLevelName(other), `${String(other)} is not a level`);
  }
});

test('default write and read levels overlap exactly when W + R > RF', (t) => {
  t.true(quorumsOverlap('quorum', 'quorum', 3));
  t.true(quorumsOverlap('all', 'one', 3));
  t.false(quorumsOverlap('one', 'one', 3));
  t.false(quorumsOverlap('one', 'quorum', 3));
  t.true(quorumsOverlap('one', 'quorum', 2));
  t.is(answersFor('three', 2), 3, 'a level above RF needs more answers than there are replicas');
});
