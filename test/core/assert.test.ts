import test from 'ava';
import { assert } from '../../src/core/assert.js';

test('assert passes a held invariant and throws a named error for a broken one', (t) => {
  t.notThrows(() => assert(1 + 1 === 2, 'arithmetic holds'));
  const error = t.throws(() => assert(false, 'a count stays positive'));
  t.is(error?.name, 'AssertionError');
  t.is(error?.message, 'invariant broken: a count stays positive');
});
