// The config loaders, at the text level: JSON (parseJsonText + parseConfig) and config.py.
import fc from 'fast-check';
import { parseJsonText } from '../../../src/config/config-text.js';
import { parseConfig } from '../../../src/config/load.js';
import { parsePythonConfig } from '../../../src/config/python-config.js';
import type { ClusterConfig } from '../../../src/config/types.js';
import { mutatedTextArbitrary } from '../mutate.js';
import { acceptOrReject, check } from '../oracle.js';
import { exampleJsonConfigs, examplePythonConfigs } from '../samples.js';
import { defineTarget } from '../target.js';

// Configs are JSON: any JSON value where a field's value goes.
const anythingArbitrary = fc.jsonValue({ maxDepth: 3 });

/** Deepest nesting generated: deep enough to reach any recursion in the loaders. */
const nestingDepthMax = 20_000;

const hostArbitrary = fc.oneof(
  fc.constantFrom(
    '127.0.0.1',
    'localhost',
    '::1',
    '[::1]',
    '0.0.0.0',
    '',
    ' ',
    'LOCALHOST',
    '127.1',
  ),
  fc.domain(),
  fc.string({ maxLength: 300 }),
);
const portArbitrary = fc.oneof(
  fc.integer({ min: 1, max: 65_535 }),
  fc.constantFrom(0, -1, 65_536, 1.5, '10000', ' 10000', '0x10', 1e21),
);
const serverArbitrary = fc.oneof(
  fc.tuple(hostArbitrary, portArbitrary).map(([host, port]) => `${host}:${String(port)}`),
  fc.record({ host: hostArbitrary, port: portArbitrary }, { requiredKeys: [] }),
  fc.tuple(hostArbitrary, portArbitrary),
  anythingArbitrary,
);
const durationArbitrary = fc.oneof(
  fc.nat(10_000),
  fc.constantFrom('2ms', '1.5s', '3h', '1m', '0', '-5ms', 'fast', '1e400ms', '9999999999s', ''),
  fc.double(),
  anythingArbitrary,
);
const configKeys = [
  'delayDistribution',
  'fifo',
  'replicationFactor',
  'defaultLevel',
  'readRepair',
  'requestTimeoutMs',
  'requestTimeout',
  'tombstoneGraceMs',
  'virtualNodes',
  'keyBytesMax',
  'valueBytesMax',
  'durability',
  'maxHintWindowMs',
  'heartbeatIntervalMs',
  'suspectAfterMs',
  'downAfterMs',
  'antiEntropyIntervalMs',
  'description',
  'links',
  '__proto__',
  'constructor',
  'toString',
  'severs',
];

const nearConfigArbitrary = fc
  .tuple(
    fc.array(serverArbitrary, { minLength: 0, maxLength: 6 }),
    fc.dictionary(
      fc.oneof(hostArbitrary, fc.constantFrom('1', '2', '5', '127.0.0.1:10000')),
      durationArbitrary,
      { maxKeys: 5 },
    ),
    fc.dictionary(
      fc.constantFrom(...configKeys),
      fc.oneof(durationArbitrary, fc.constantFrom('all', 'one', 'none', 'sync', true)),
      { maxKeys: 5 },
    ),
  )
  .map(([servers, delays, rest]) => ({ servers, delays, ...rest }));

function deepNesting(depth: number, open: string, close: string, inner: string): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

const jsonTextArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nearConfigArbitrary.map((raw) => JSON.stringify(raw) ?? '') },
  { weight: 3, arbitrary: mutatedTextArbitrary(exampleJsonConfigs) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: nestingDepthMax }),
        fc.constantFrom('servers', 'delays', 'links', 'x'),
      )
      .map(([depth, key]) => `{"${key}": ${deepNesting(depth, '[', ']', '1')}}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 40 })
      .map(
        (key) =>
          `{"servers":["127.0.0.1:1","127.0.0.1:2"],${JSON.stringify(key)}:1,"__proto__":{"fifo":1}}`,
      ),
  },
);

function checkAccepted(config: ClusterConfig): void {
  check(config.servers.length >= 1, 'accepted a config without servers');
  config.servers.forEach((server, index) => {
    check(server.id === index + 1, 'server ids are not 1..N in order');
    check(
      Number.isInteger(server.port) && server.port >= 1 && server.port <= 65_535,
      `accepted port ${server.port}`,
    );
    check(
      Number.isFinite(server.delayMsMean) && server.delayMsMean >= 0,
      'accepted a delay that is not a duration',
    );
  });
  check(
    config.replicationFactor >= 1 && config.replicationFactor <= config.servers.length,
    'accepted a replication factor outside 1..servers',
  );
  check(
    Object.getPrototypeOf(config) === Object.prototype,
    'a config whose prototype was replaced',
  );
}

export const jsonConfigTarget = defineTarget({
  name: 'config-json',
  description: 'config.json texts through parseJsonText and parseConfig',
  arbitrary: jsonTextArbitrary,
  run(text: string) {
    const config = acceptOrReject(
      () => parseConfig(parseJsonText(text, 'fuzz.json'), { delayUnit: 'ms', source: 'fuzz.json' }),
      ['BAD_CONFIG'],
    );
    if (config !== undefined) checkAccepted(config);
  },
});

const pythonValueArbitrary: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      '1',
      '2.5',
      '-3',
      '1e3',
      '0x10',
      'True',
      'False',
      'None',
      '"127.0.0.1"',
      "'localhost'",
      '"a\\"b"',
      '1_000',
    ),
    fc.string({ maxLength: 8 }).map((text) => JSON.stringify(text)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc
      .array(tie('value'), { maxLength: 3 })
      .map((items) => `(${items.join(', ')}${items.length === 1 ? ',' : ''})`),
    fc
      .array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  ),
})).value;

const pythonTextArbitrary: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.constantFrom('servers', 'delays', 'replicationFactor', 'x', '__proto__', 'servers'),
          pythonValueArbitrary,
        ),
        { maxLength: 4 },
      )
      .map((settings) => settings.map(([name, value]) => `${name} = ${value}`).join('\n')),
  },
  { weight: 3, arbitrary: mutatedTextArbitrary(examplePythonConfigs) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: nestingDepthMax }),
        fc.constantFrom(['[', ']'], ['(', ')'], ['{1: ', '}']),
      )
      .map(([depth, [open, close]]) => `servers = ${deepNesting(depth, open!, close!, '1')}`),
  },
);

export const pythonConfigTarget = defineTarget({
  name: 'config-py',
  description: 'config.py texts through parsePythonConfig and parseConfig',
  arbitrary: pythonTextArbitrary,
  run(text: string) {
    const config = acceptOrReject(
      () => parseConfig(parsePythonConfig(text), { delayUnit: 's', source: 'fuzz.py' }),
      ['BAD_CONFIG'],
    );
    if (config !== undefined) checkAccepted(config);
  },
});
