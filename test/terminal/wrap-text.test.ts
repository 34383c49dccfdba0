import test from 'ava';
import { Chalk } from 'chalk';
import { measureDisplayWidth } from '../../src/terminal/display-width.js';
import { fitColumns } from '../../src/terminal/fit-columns.js';
import { wrapText, wrapWithIndent } from '../../src/terminal/wrap-text.js';

const red = new Chalk({ level: 1 }).red;

test('text wraps at spaces, and a word wider than the line is broken', (t) => {
  t.deepEqual(wrapText('only 1 of 3 answered', 10), ['only 1 of', '3 answered']);
  t.deepEqual(wrapText('127.0.0.1:10000', 6), ['127.0.', '0.1:10', '000']);
});

test('runs of spaces inside a line and indentation are kept', (t) => {
  t.deepEqual(wrapText('   n1 fresh  n2 stale', 40), ['   n1 fresh  n2 stale']);
});

test('a colour stays on across a break and is closed at the end of each line', (t) => {
  const lines = wrapText(red('TIMEOUT: only 1 of 3 answered'), 12);
  t.true(lines.length > 1);
  for (const line of lines) {
    t.true(line.startsWith('\u001b[31m'), line);
    t.true(measureDisplayWidth(line) <= 12);
  }
});

test('wide characters count two columns, ✔ ✘ ↳ and box lines one', (t) => {
  t.is(measureDisplayWidth('✔✘↳│─'), 5);
  t.is(measureDisplayWidth('中文✅'), 6);
  t.is(measureDisplayWidth(red('ok')), 2);
});

test('lines that fit are left alone; longer ones wrap with an indent', (t) => {
  t.is(wrapWithIndent('│ a  b │', 10, '  '), '│ a  b │');
  t.is(wrapWithIndent('one two three four', 9, '  '), 'one two\n  three\n  four');
  t.is(wrapWithIndent('one two three four', undefined, '  '), 'one two three four');
});

test('columns shrink from the widest, down to their longest word before breaking it', (t) => {
  const needs = [
    { natural: 6, body: 6, min: 6 },
    { natural: 40, body: 40, min: 10 },
    { natural: 30, body: 12, min: 12 },
  ];
  t.deepEqual(fitColumns(needs, 100), [6, 40, 30]);
  t.deepEqual(fitColumns(needs, 58), [6, 40, 12]);
  t.deepEqual(fitColumns(needs, 30), [6, 12, 12]);
  const tight = fitColumns(needs, 20);
  t.is(
    tight.reduce((a, b) => a + b, 0),
    20,
  );
});
