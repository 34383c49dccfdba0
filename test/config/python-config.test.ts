import test from 'ava';
import { loadConfig, parsePythonConfig } from '../../src/config/load.js';
import { assertBadConfig, configPath, withTempFile } from './helpers.js';

test('the original config.py loads with its bare delays read as seconds', async (t) => {
  const config = await loadConfig(configPath('config.py'));
  t.deepEqual(
    config.servers.map((server) => [
      server.id,
      `${server.host}:${server.port}`,
      server.delayMsMean,
    ]),
    [
      [1, '127.0.0.1:10000', 2000],
      [2, '127.0.0.1:10001', 20000],
      [3, '127.0.0.1:10002', 2000],
      [4, '127.0.0.1:10003', 2000],
    ],
  );
  t.is(config.replicationFactor, 3);
  t.is(config.defaultLevel, 'all');
});

test('the original config.py reads its bare delays as milliseconds with delayUnit ms', async (t) => {
  const config = await loadConfig(configPath('config.py'), { delayUnit: 'ms' });
  t.deepEqual(
    config.servers.map((server) => server.delayMsMean),
    [2, 20, 2, 2],
  );
});

test('a config.py with comments, single quotes, trailing commas and odd spacing loads', async (t) => {
  const text = [
    '# my cluster',
    "servers = [ ('127.0.0.1' , 10000),   # first",
    '  ("127.0.0.1",',
    '   10001,),',
    "  ('localhost', 10_002),",
    ']',
    '',
    'delays = {',
    "    ('127.0.0.1', 10000): 0.5,  # half a second",
    '    ("127.0.0.1", 10001) :',
    '        2,',
    "    3: '150ms',",
    '}',
    'replicationFactor = 2',
    "readRepair = 'blocking'; fifo = False",
  ].join('\n');
  const config = await withTempFile('config.py', text, (path) => loadConfig(path));
  t.deepEqual(
    config.servers.map((server) => [server.host, server.port, server.delayMsMean]),
    [
      ['127.0.0.1', 10000, 500],
      ['127.0.0.1', 10001, 2000],
      ['localhost', 10002, 150],
    ],
  );
  t.is(config.replicationFactor, 2);
  t.is(config.readRepair, 'blocking');
  t.false(config.fifo);
});

test('parsePythonConfig returns the raw shape the JSON path accepts', (t) => {
  const raw = parsePythonConfig(
    'servers = [("127.0.0.1", 10000)]\ndelays = {("127.0.0.1", 10000): 2}',
  );
  t.deepEqual(raw, { servers: [['127.0.0.1', 10000]], delays: { '127.0.0.1:10000': 2 } });
});

const rejectsFile = test.macro({
  async exec(t, text: string, pattern: RegExp) {
    await withTempFile('config.py', text, async (path) => {
      const error = await t.throwsAsync(loadConfig(path));
      assertBadConfig(t, error, pattern);
      t.true(error?.message.startsWith(`${path}: `), 'the message starts with the file path');
    });
  },
  title: (providedTitle = '') => `rejects a config.py with ${providedTitle}`,
});

test(
  'a Python list that is not closed',
  rejectsFile,
  'servers = [\n  ("127.0.0.1", 10000)\n',
  /line 3, column 1: Expected `,` or `]` after a list item, got the end of the file\./,
);
test(
  'a Python call',
  rejectsFile,
  'servers = [\n  make_server(1)\n]',
  /line 2, column 3: Expected a value.*got `make_server`/,
);
test(
  'a Python import',
  rejectsFile,
  'import os\n',
  /line 1, column 8: Expected `=` after `import`, got `os`/,
);
test(
  'a Python string that is not closed',
  rejectsFile,
  'servers = ["127.0.0.1:1]\n',
  /line 1, column 12: Expected the string that starts here to end with " on the same line/,
);
test(
  'a Python setting set twice',
  rejectsFile,
  'servers = []\nservers = []\n',
  /line 2, column 1: `servers` is set twice/,
);
test(
  'a Python dict key given twice',
  rejectsFile,
  'delays = {1: 2,\n 1: 3}\n',
  /line 2, column 2: The dict key "1" appears twice/,
);
test(
  'two Python settings on one line',
  rejectsFile,
  'servers = [] delays = {}\n',
  /line 1, column 14: Expected a new line after the value/,
);
test(
  'a Python tuple key that is not (host, port)',
  rejectsFile,
  'delays = {(1, 2): 3}\n',
  /tuple dict key to be \("host", port\)/,
);
test(
  'a validation error in a Python file',
  rejectsFile,
  'servers = [("127.0.0.1", 99999)]\n',
  /port of server 1/,
);

test('a backslash at the end of a line continues a config.py string, as in Python', (t) => {
  const config = parsePythonConfig('servers = [("127.0.\\\n0.1", 10000)]\n') as {
    servers: unknown;
  };
  t.deepEqual(config.servers, [['127.0.0.1', 10000]]);
});
