import { readFileSync, writeFileSync } from 'node:fs';
import test from 'ava';
import {
  diagramColumns,
  renderOperationDiagram,
  renderTraceCommand,
} from '../../src/trace/text-diagram.js';
import { buildTraceModel } from '../../src/trace/trace-model.js';
import { buildFixtureTrace } from './trace-builder.js';

const goldenUrl = new URL('../../../test/trace/golden/fixture-ops.txt', import.meta.url);

function renderAll(): string {
  const model = buildTraceModel(buildFixtureTrace());
  return (
    [...model.operations.values()].map((op) => renderOperationDiagram(op).join('\n')).join('\n\n') +
    '\n'
  );
}

test('every operation of the fixture draws as its golden diagram', (t) => {
  const text = renderAll();
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(goldenUrl, text);
  t.is(text, readFileSync(goldenUrl, 'utf8'));
});

test('the diagram is the same on every run and fits 80 columns', (t) => {
  const text = renderAll();
  t.is(renderAll(), text);
  for (const line of text.split('\n')) t.true([...line].length <= diagramColumns, line);
});

test('trace shows the last operation and trace KEY the last on that key', (t) => {
  const trace = buildFixtureTrace();
  t.regex(renderTraceCommand(trace)[0] ?? '', /^op 3 update k1/);
  t.regex(renderTraceCommand(trace, 'k1')[0] ?? '', /^op 3 /);
  t.regex(renderTraceCommand(trace, 'nope')[0] ?? '', /No operation on key nope/);
});

test('the read at one counts its first answer and marks the later ones late, then the repair', (t) => {
  const model = buildTraceModel(buildFixtureTrace());
  const op = model.operations.get(2);
  t.truthy(op);
  const lines = op === undefined ? [] : renderOperationDiagram(op);
  const notes = lines.map((line) => line.slice(line.lastIndexOf('│') + 1).trim());
  t.is(lines.filter((line) => line.endsWith('counted')).length, 1);
  t.is(lines.filter((line) => line.endsWith('late')).length, 2);
  t.true(lines.some((line) => line.includes('one met')));
  t.true(notes.some((note) => note.startsWith('repair applied n2')));
  t.is(lines.at(-1), 'answers: 1 counted, 2 late, 0 dropped, 0 silent');
});

test('dropped writes are drawn as ✗ with the reason', (t) => {
  const op = buildTraceModel(buildFixtureTrace()).operations.get(3);
  const lines = op === undefined ? [] : renderOperationDiagram(op);
  const drops = lines.filter((line) => line.includes('✗ '));
  t.is(drops.length, 2);
  t.true(drops[0]?.includes('✗ crash'));
  t.true(drops.every((line) => line.includes('─✗')));
});
