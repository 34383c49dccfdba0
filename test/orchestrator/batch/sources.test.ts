import { Readable } from 'node:stream';
import test from 'ava';
import { Ring } from '../../../src/core/ring.js';
import { parseSources, readSources } from '../../../src/orchestrator/batch/sources.js';

const topology = { nodeIds: [1, 2, 3, 4], ring: new Ring([1, 2, 3, 4], 3, 64) };
const outsider = [1, 2, 3, 4].find((id) => !topology.ring.replicasFor('5').includes(id))!;

test('every problem of every file is reported, in order, as file:line:col with a caret', (t) => {
  const { sources, problems } = parseSources(
    [
      { file: 'a.kv', text: `kill 9\n@7 get 5\nget 5 all => stale ${outsider}\nget 5 al\n` },
      { file: 'b.kv', text: 'partition 1,2 | 3,5\ndelay 1->6 5ms\nloss 8->1 5%\nuse 0\n' },
      { file: 'c.kv', text: 'get 5 all => 3, repaired 2\n' },
    ],
    topology,
  );
  t.is(sources.length, 3);
  t.deepEqual(
    problems.map((problem) => problem.split('\n')[0]),
    [
      'a.kv:1:6: There is no node 9; the nodes of this config are 1, 2, 3, 4.',
      'a.kv:2:2: There is no node 7; the nodes of this config are 1, 2, 3, 4.',
      `a.kv:3:20: Node ${outsider} is not a replica of key "5" (its replicas are ${topology.ring.replicasFor('5').join(', ')}), so \`stale ${outsider}\` can never hold.`,
      'a.kv:4:7: Unknown level `al`; use one of one, two, three, quorum, all.',
      'b.kv:1:19: There is no node 5; the nodes of this config are 1, 2, 3, 4.',
      'b.kv:2:10: There is no node 6; the nodes of this config are 1, 2, 3, 4.',
      'b.kv:3:6: There is no node 8; the nodes of this config are 1, 2, 3, 4.',
      problems[7]!.split('\n')[0]!,
    ],
  );
  t.regex(problems[7]!, /^b\.kv:4:5: /);
  t.is(
    problems[0],
    'a.kv:1:6: There is no node 9; the nodes of this config are 1, 2, 3, 4.\nkill 9\n     ^',
  );
});

test('readSources reads `-` from standard input once, and names a file it cannot read', async (t) => {
  const texts = await readSources(['-'], Readable.from(['get 5\n']));
  t.deepEqual(texts, [{ file: '-', text: 'get 5\n' }]);
  await t.throwsAsync(readSources(['-', '-'], Readable.from([])), { message: /only once/ });
  await t.throwsAsync(readSources(['/no/such.kv'], Readable.from([])), {
    message: /Cannot read the batch file \/no\/such\.kv/,
  });
  await t.throwsAsync(readSources([], Readable.from([])), { message: /at least one batch file/ });
});
