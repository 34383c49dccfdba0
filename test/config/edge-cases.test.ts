import test from 'ava';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configBounds } from '../../src/config/config-defaults.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { assertBadConfig, withTempFile } from './helpers.js';

const rejects = test.macro({
  exec(t, raw: unknown, pattern: RegExp) {
    const error = t.throws(() => parseConfig(raw, { source: 'x.json' }));
    assertBadConfig(t, error, pattern);
  },
  title: (providedTitle = '') => `rejects ${providedTitle}`,
});

const nestedArray = (depth: number): unknown => {
  let value: unknown = [];
  for (let level = 1; level < depth; level += 1) value = [value];
  return value;
};

test(
  'a config nested 100,000 lists deep, without exhausting the stack',
  rejects,
  nestedArray(100_000),
  /Expected lists and objects to nest at most 32 deep, got deeper at `\[0\]\[0\]/,
);
test(
  'a server nested past the bound, naming where',
  rejects,
  { servers: nestedArray(configBounds.nestingDepthMax) },
  /nest at most 32 deep, got deeper at `servers\[0\]\[0\]/,
);
test('accepts nesting up to the bound', (t) => {
  const error = t.throws(() => parseConfig({ servers: [nestedArray(30)] }));
  t.regex(error?.message ?? '', /server 1 \(`servers\[0\]`\) to be/, 'the shape check, not depth');
});
test(
  'localhost beside 127.0.0.1 on one port',
  rejects,
  { servers: ['127.0.0.1:10000', 'localhost:10000'] },
  /Server 2 \(`servers\[1\]`\) duplicates localhost:10000, the same address as 127\.0\.0\.1:10000, of server 1/,
);
test(
  'LOCALHOST. beside ::1 on one port',
  rejects,
  { servers: ['[::1]:10000', { host: 'LOCALHOST.', port: 10000 }] },
  /Server 2 .*same address as \[::1\]:10000/,
);
test(
  'two spellings of one IPv6 address',
  rejects,
  { servers: ['[::1]:5', '[0:0:0:0:0:0:0:1]:5'] },
  /Server 2 .*duplicates \[0:0:0:0:0:0:0:1\]:5, the same address as \[::1\]:5/,
);
test(
  'a wildcard beside a specific address on one port',
  rejects,
  { servers: ['127.0.0.2:5', '0.0.0.0:5'] },
  /Server 2 .*0\.0\.0\.0:5, the same address as 127\.0\.0\.2:5/,
);
test('accepts localhost and 127.0.0.1 on different ports, and 127.0.0.1 beside 127.0.0.2', (t) => {
  const config = parseConfig({
    servers: ['127.0.0.1:5', 'localhost:6', '127.0.0.2:5', '[::1]:7'],
  });
  t.is(config.servers.length, 4);
});
test(
  '127.000.000.001, saying how the system reads it',
  rejects,
  { servers: ['127.0.0.1:1', '127.000.000.001:1'] },
  /host of server 2 \(`servers\[1\]`\) to be an IPv4 address: four numbers 0-255 without leading zeros \(the system would read this one as 127\.0\.0\.1; write that\), got "127\.000\.000\.001"/,
);
test(
  'an octal-looking address',
  rejects,
  { servers: ['010.0.0.1:1'] },
  /read this one as 8\.0\.0\.1/,
);
test('an IPv4 address past 255', rejects, { servers: ['256.0.0.1:1'] }, /to be an IPv4 address/);
test('an IPv4 address of five parts', rejects, { servers: ['1.2.3.4.5:1'] }, /IPv4 address/);
test(
  'a 10,000-character host name',
  rejects,
  { servers: [`${'a'.repeat(10_000)}:1`] },
  /host of server 1 \(`servers\[0\]`\) to be a hostname of at most 253 characters, got one of 10000\./,
);
test(
  'a host label over 63 characters',
  rejects,
  { servers: [`${'a'.repeat(64)}.example:1`] },
  /a part between dots is 64 characters, over 63/,
);
test('an underscore in a host', rejects, { servers: ['my_host:1'] }, /"_" is not allowed/);
test('an empty label in a host', rejects, { servers: ['a..b:1'] }, /an empty part between dots/);
test('a label ending in -', rejects, { servers: ['a-.b:1'] }, /starts or ends with -/);
test('an empty host', rejects, { servers: [':1'] }, /`servers\[0\]`\) to be "host:port"/);
test('a bad IPv6 address', rejects, { servers: ['[:::]:1'] }, /an IPv6 address such as "::1"/);
test('accepts a DNS name, an IPv6 address and a name ending in a dot', (t) => {
  const config = parseConfig({ servers: ['node-1.example.com:1', '[fe80::1]:2', 'db.:3'] });
  t.deepEqual(
    config.servers.map((server) => server.host),
    ['node-1.example.com', 'fe80::1', 'db.'],
  );
});
test(
  'a delay keyed __proto__',
  rejects,
  JSON.parse('{"servers": ["127.0.0.1:1"], "delays": {"__proto__": "5ms"}}'),
  /each key of `delays` to be the address or id \(1-1\) of a server in `servers`, got "__proto__"/,
);
test(
  'a delays that is not an object',
  rejects,
  { servers: ['127.0.0.1:1'], delays: [1] },
  /`delays` to be an object/,
);
test(
  'a delay key naming no server',
  rejects,
  { servers: ['127.0.0.1:1'], delays: { 'node-9': 1 } },
  /got "node-9"/,
);
test('accepts a delay keyed by another spelling of the server host', (t) => {
  const config = parseConfig({ servers: ['[::1]:1'], delays: { '[0:0::1]:1': '5ms' } });
  t.is(config.servers[0]?.delayMsMean, 5);
});
test(
  'a port given as a string',
  rejects,
  { servers: [{ host: '127.0.0.1', port: '10000' }] },
  /port of server 1 \(`servers\[0\]`\) to be a whole number from 1 to 65535, got "10000" \(a string: write the number without quotes\)/,
);
test(
  'a port given as a string in a [host, port] pair',
  rejects,
  { servers: [['127.0.0.1', '10000']] },
  /got "10000" \(a string/,
);
test('a port of 0', rejects, { servers: ['127.0.0.1:0'] }, /1 to 65535, got "0"/);
test('a port of 65536', rejects, { servers: [{ host: 'a', port: 65_536 }] }, /got 65536/);
test('a fractional port', rejects, { servers: [['a', 10_000.5]] }, /got 10000\.5/);
test('a negative port', rejects, { servers: ['a:-1'] }, /got "-1"/);
test(
  'more servers than the bound',
  rejects,
  { servers: Array.from({ length: 65 }, (_, index) => `127.0.0.1:${1000 + index}`) },
  /`servers` to list at most 64 servers/,
);
test(
  'several unknown top-level keys, naming them and the nearest known one',
  rejects,
  { servers: ['a:1'], replicationFactr: 1, colour: 1, size: 2, speed: 3, mood: 4 },
  /Unknown key `replicationFactr` \(and `colour`, `size`, `speed`, 1 more\) in the config; did you mean `replicationFactor`\?$/,
);

const rejectsFile = test.macro({
  async exec(t, name: string, content: string | Buffer, pattern: RegExp) {
    await withTempFile(name, content, async (path) => {
      const error = await t.throwsAsync(loadConfig(path));
      assertBadConfig(t, error, pattern);
      t.true(error?.message.startsWith(`${path}: `));
    });
  },
  title: (providedTitle = '') => `rejects a file ${providedTitle}`,
});

test(
  'over the size bound, without reading it all',
  rejectsFile,
  'x.json',
  ' '.repeat(configBounds.fileBytesMax + 1),
  /Expected the config file to be at most 1048576 bytes, got more/,
);
test(
  'of binary data',
  rejectsFile,
  'x.json',
  Buffer.from([0x7b, 0x0a, 0x00, 0xff]),
  /Expected a text file \(JSON or config\.py\), got binary data \(a NUL byte at line 2, byte 1 of the line\)/,
);
test(
  'in Latin-1, naming the byte',
  rejectsFile,
  'x.py',
  Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nservers = []\n')]),
  /Expected the file to be UTF-8 text, got the byte 0xe9 at line 1, byte 6 of the line; save it as UTF-8\./,
);
test(
  'whose JSON error would quote control characters',
  rejectsFile,
  'x.json',
  '{"servers": [\u001b[31m]}',
  /Invalid JSON.*\\u001b\[31m/,
);
test(
  'of config.py nested too deep',
  rejectsFile,
  'x.py',
  `servers = ${'('.repeat(100_000)}`,
  /line 1, column 42: Expected lists, tuples and dicts to nest at most 32 deep\./,
);
test(
  'of config.py setting __proto__',
  rejectsFile,
  'x.py',
  'servers = [("127.0.0.1", 1)]\n__proto__ = {"replicationFactor": 1}\n',
  /Unknown key `__proto__` in the config/,
);
test(
  'of config.py keying a delay __proto__',
  rejectsFile,
  'x.py',
  'servers = [("127.0.0.1", 1)]\ndelays = {"__proto__": 2}\n',
  /got "__proto__"/,
);
test(
  'of config.py with an operator',
  rejectsFile,
  'x.py',
  'servers = [("127.0.0.1", 10000 + 1)]\n',
  /line 1, column 32: Expected a name, a number, a string or one of .*, got "\+"/,
);

test('accepts a UTF-8 file with a BOM, a U+FFFD and non-ASCII text', async (t) => {
  const text = '\uFEFF{"description": "café \uFFFD", "servers": ["127.0.0.1:1"]}';
  await withTempFile('x.json', text, async (path) => {
    t.is((await loadConfig(path)).servers.length, 1);
  });
});

test('rejects a directory named like a config', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'quartet-config-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const named = join(directory, 'd.json');
  await mkdir(named);
  const dirError = await t.throwsAsync(loadConfig(named));
  assertBadConfig(
    t,
    dirError,
    /d\.json: This is a directory; give the path of a \.json or \.py file\./,
  );
});
