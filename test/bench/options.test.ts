import test from 'ava';
import { resolveBenchOptions } from '../../src/bench/options.js';
import { QuartetError } from '../../src/core/errors.js';

test('a comma list of levels gives one phase per level', (t) => {
  const options = resolveBenchOptions({ level: 'one,quorum,all' });
  t.deepEqual(options.phases, [
    { read: 'one', write: 'one' },
    { read: 'quorum', write: 'quorum' },
    { read: 'all', write: 'all' },
  ]);
});

test('read and write levels override the level, and the load uses the write level', (t) => {
  const options = resolveBenchOptions({ readLevel: 'one', writeLevel: 'all' });
  t.deepEqual(options.phases, [{ read: 'one', write: 'all' }]);
  t.is(options.loadLevel, 'all');
});

test('durations take units and bare numbers are seconds', (t) => {
  t.is(resolveBenchOptions({ duration: '500ms' }).durationMs, 500);
  t.is(resolveBenchOptions({ duration: '3' }).durationMs, 3000);
  t.is(resolveBenchOptions({ ops: 100 }).warmupMs, 0);
});

const usageCases: [string, Parameters<typeof resolveBenchOptions>[0]][] = [
  ['an unknown workload', { workload: 'Z' }],
  ['an unknown level', { level: 'most' }],
  ['zero requests in flight', { inflight: 0 }],
  ['more connections than requests in flight', { inflight: 2, clients: 3 }],
  ['both a config and a server count', { config: 'x.json', servers: 3 }],
  ['a malformed duration', { duration: 'soon' }],
];
for (const [what, cli] of usageCases) {
  test(`${what} is a USAGE error`, (t) => {
    const error = t.throws(() => resolveBenchOptions(cli), { instanceOf: QuartetError });
    t.is((error as QuartetError).code, 'USAGE');
  });
}
