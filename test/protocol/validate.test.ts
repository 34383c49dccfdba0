import test from 'ava';
import type { ErrorCode } from '../../src/core/errors.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { isPeerRequestType, requestIdOf, validateRequest } from '../../src/protocol/validate.js';
import { throwsCode } from './expect.js';
import { limits, mac, requestTypes, ts } from './samples.js';

const accepts = test.macro({
  exec(t, input: unknown, expected: unknown) {
    t.deepEqual(validateRequest(input, limits), expected);
  },
  title: (provided = '') => `a valid request is accepted: ${provided}`,
});

const get = { type: 'get', id: 1, key: 'k' };
test('get', accepts, get, get);
test('get at a level', accepts, { ...get, level: 'quorum' }, { ...get, level: 'quorum' });
test('get with a null level uses the default level', accepts, { ...get, level: null }, get);
test('get with unknown extra fields drops them', accepts, { ...get, extra: [1, 2] }, get);
test(
  'get of a key at exactly the size limit',
  accepts,
  { ...get, key: 'k'.repeat(16) },
  {
    ...get,
    key: 'k'.repeat(16),
  },
);
test(
  'get of a 16-byte key of multi-byte characters',
  accepts,
  { ...get, key: 'é'.repeat(8) },
  {
    ...get,
    key: 'é'.repeat(8),
  },
);
const put = { type: 'put', id: 2, op: 'insert', key: 'k', value: 'v' };
test('put insert', accepts, put, put);
test(
  'put update at a level',
  accepts,
  { ...put, op: 'update', level: 'all' },
  {
    ...put,
    op: 'update',
    level: 'all',
  },
);
test('put of an empty value', accepts, { ...put, value: '' }, { ...put, value: '' });
test(
  'put of a value at exactly the size limit',
  accepts,
  { ...put, value: 'v'.repeat(32) },
  {
    ...put,
    value: 'v'.repeat(32),
  },
);
test(
  'delete at a level',
  accepts,
  { type: 'delete', id: 3, key: 'k', level: 'one' },
  {
    type: 'delete',
    id: 3,
    key: 'k',
    level: 'one',
  },
);
test('stats', accepts, { type: 'stats', id: 0, key: 'ignored' }, { type: 'stats', id: 0 });
test('dump', accepts, { type: 'dump', id: 4 }, { type: 'dump', id: 4 });
test(
  'local',
  accepts,
  { type: 'local', id: 5, key: 'k', level: 'all' },
  {
    type: 'local',
    id: 5,
    key: 'k',
  },
);
test('peer read', accepts, { type: 'read', id: 6, key: 'k' }, { type: 'read', id: 6, key: 'k' });
test(
  'peer write of a value',
  accepts,
  { type: 'write', id: 7, key: 'k', version: { value: 'v', ts } },
  {
    type: 'write',
    id: 7,
    key: 'k',
    version: { value: 'v', ts },
  },
);
test(
  'peer repair with a tombstone',
  accepts,
  { type: 'repair', id: 8, key: 'k', version: { value: null, ts: { ...ts, extra: 1 } } },
  { type: 'repair', id: 8, key: 'k', version: { value: null, ts } },
);
const nonce = new Uint8Array(16).fill(7);
test(
  'peer auth',
  accepts,
  { type: 'auth', from: 2, nonce, mac },
  { type: 'auth', from: 2, nonce, mac },
);

const refuses = test.macro({
  exec(t, input: unknown, code: ErrorCode, message: RegExp) {
    const error = throwsCode(t, () => validateRequest(input, limits), code);
    t.regex(error.message, message);
  },
  title: (provided = '', _input: unknown, code: ErrorCode) =>
    `a request is refused as ${code}: ${provided}`,
});

test('null instead of a map', refuses, null, 'BAD_REQUEST', /to be a map, got null/);
test('a string instead of a map', refuses, 'get k', 'BAD_REQUEST', /to be a map, got string/);
test('an array instead of a map', refuses, [get], 'BAD_REQUEST', /to be a map, got an array/);
test('bytes instead of a map', refuses, Buffer.from('{}'), 'BAD_REQUEST', /to be a map/);
for (const type of requestTypes) {
  const { id: _id, ...withoutId } = { ...put, ...get, type, version: { value: 'v', ts } };
  test(`${type} without an id`, refuses, withoutId, 'BAD_REQUEST', /`id` must be/);
}
test('a negative id', refuses, { ...get, id: -1 }, 'BAD_REQUEST', /`id`/);
test('a fractional id', refuses, { ...get, id: 1.5 }, 'BAD_REQUEST', /`id`/);
test('an id as text', refuses, { ...get, id: '1' }, 'BAD_REQUEST', /`id`/);
test('a request of an unknown type is refused with a message listing the known types', (t) => {
  const error = throwsCode(
    t,
    () => validateRequest({ ...get, type: 'drop' }, limits),
    'BAD_REQUEST',
  );
  t.regex(error.message, /^Unknown request type "drop"; expected one of /);
  const listed = error.message.replace(/^.*expected one of (.*)\.$/, '$1').split(', ');
  for (const type of requestTypes) t.true(listed.includes(type), `lists ${type}`);
});
test('no type at all', refuses, { id: 1, key: 'k' }, 'BAD_REQUEST', /Unknown request type/);
test(
  'an unknown level, listing the levels',
  refuses,
  { ...get, level: 'ONE' },
  'BAD_REQUEST',
  /Unknown level "ONE"; use one of one, two, three, quorum, all\./,
);
test('a level that is a number', refuses, { ...put, level: 2 }, 'BAD_REQUEST', /Unknown level 2/);
test('a missing key', refuses, { type: 'delete', id: 1 }, 'BAD_REQUEST', /`key`/);
test('an empty key', refuses, { ...get, key: '' }, 'BAD_REQUEST', /`key` must be a non-empty/);
test('a key that is a number', refuses, { ...get, key: 5 }, 'BAD_REQUEST', /`key`/);
test(
  'a key over the limit',
  refuses,
  { ...get, key: 'k'.repeat(17) },
  'TOO_LARGE',
  /Key of 17 bytes is over the limit of 16 bytes/,
);
test(
  'a key under the limit in characters but over it in UTF-8 bytes',
  refuses,
  { ...get, key: 'é'.repeat(9) },
  'TOO_LARGE',
  /Key of 18 bytes/,
);
test(
  'a value over the limit',
  refuses,
  { ...put, value: 'v'.repeat(33) },
  'TOO_LARGE',
  /Value of 33 bytes is over the limit of 32 bytes/,
);
test(
  'a value over the limit in UTF-8 bytes',
  refuses,
  { ...put, value: '€'.repeat(11) },
  'TOO_LARGE',
  /Value of 33 bytes/,
);
test(
  'a value that is a number',
  refuses,
  { ...put, value: 42 },
  'BAD_REQUEST',
  /`value` must be a string/,
);
test('a missing value', refuses, { ...put, value: undefined }, 'BAD_REQUEST', /`value`/);
test('a null value on a put', refuses, { ...put, value: null }, 'BAD_REQUEST', /`value`/);
test('a put without op', refuses, { ...put, op: undefined }, 'BAD_REQUEST', /`op` must be/);
test('a put with op upsert', refuses, { ...put, op: 'upsert' }, 'BAD_REQUEST', /`op`/);
const write = { type: 'write', id: 1, key: 'k', version: { value: 'v', ts } };
test(
  'a write without a version',
  refuses,
  { ...write, version: undefined },
  'BAD_REQUEST',
  /version/,
);
test(
  'a write whose value is over the limit',
  refuses,
  { ...write, version: { value: 'v'.repeat(33), ts } },
  'TOO_LARGE',
  /Value of 33 bytes/,
);
test(
  'a write with a negative timestamp',
  refuses,
  { ...write, version: { value: 'v', ts: { ...ts, wallMs: -1 } } },
  'BAD_REQUEST',
  /`ts` must be/,
);
test(
  'a repair without a timestamp counter',
  refuses,
  { ...write, type: 'repair', version: { value: 'v', ts: { wallMs: 1, nodeId: 1 } } },
  'BAD_REQUEST',
  /`ts`/,
);
test(
  'an auth from node 0',
  refuses,
  { type: 'auth', from: 0, nonce, mac },
  'BAD_REQUEST',
  /`from`/,
);
test(
  'an auth with a text mac',
  refuses,
  { type: 'auth', from: 1, nonce, mac: 'ab' },
  'BAD_REQUEST',
  /`mac`/,
);
test(
  'an auth without its nonce (the one-way handshake of old)',
  refuses,
  { type: 'auth', from: 1, mac },
  'BAD_REQUEST',
  /`nonce`/,
);
test(
  'an auth with a short nonce',
  refuses,
  { type: 'auth', from: 1, nonce: nonce.subarray(0, 8), mac },
  'BAD_REQUEST',
  /`nonce` must be 16 bytes, got 8/,
);
test(
  'a type that is a 64-bit integer, as MessagePack decodes one',
  refuses,
  { type: 2n ** 64n - 1n, id: 1 },
  'BAD_REQUEST',
  /Unknown request type/,
);
test(
  'a level that is a 64-bit integer',
  refuses,
  { ...get, level: 2n ** 63n },
  'BAD_REQUEST',
  /Unknown level/,
);
test(
  'a type that is a map holding a 64-bit integer',
  refuses,
  { type: { nested: 5n }, id: 1 },
  'BAD_REQUEST',
  /Unknown request type/,
);

test('a request that went through a frame validates the same as before', (t) => {
  const request = { type: 'put', id: 9, op: 'update', key: 'k', value: 'v', level: 'two' };
  const [decoded] = new FrameDecoder(1_024).push(encodeFrame(request));
  t.deepEqual(validateRequest(decoded, limits), request);
});

// ---- helpers for error replies and authentication ----

const idOf = test.macro({
  exec(t, input: unknown, expected: number) {
    t.is(requestIdOf(input), expected);
  },
  title: (provided = '', _input: unknown, expected: number) =>
    `an error reply goes to request id ${expected} for ${provided}`,
});

test('a request with an id', idOf, { type: 'get', id: 12 }, 12);
test('a request without an id', idOf, { type: 'get' }, 0);
test('a negative id', idOf, { id: -3 }, 0);
test('an id as text', idOf, { id: '12' }, 0);
test('an id past the safe integers', idOf, { id: 2 ** 53 }, 0);
test('something that is not a map', idOf, [12], 0);

test('read, write and repair need an authenticated peer, and client requests do not', (t) => {
  for (const type of ['read', 'write', 'repair']) t.true(isPeerRequestType(type), type);
  for (const type of ['get', 'put', 'delete', 'stats', 'dump', 'local', 'auth', undefined, 1]) {
    t.false(isPeerRequestType(type), String(type));
  }
});

// `traceOp`: the history's id of a data operation, named in the trace (docs/trace.md).
test(
  'get with the history id of its operation',
  accepts,
  { ...get, traceOp: 7 },
  {
    ...get,
    traceOp: 7,
  },
);
test(
  'delete with the history id of its operation',
  accepts,
  {
    type: 'delete',
    id: 3,
    key: 'k',
    traceOp: 2,
  },
  { type: 'delete', id: 3, key: 'k', traceOp: 2 },
);
test(
  'put with the history id of its operation',
  accepts,
  { ...put, traceOp: 9 },
  {
    ...put,
    traceOp: 9,
  },
);
for (const bad of [0, -1, 1.5, 'x', 1_000_000_000])
  test(
    `a traceOp of ${JSON.stringify(bad)}`,
    refuses,
    { ...get, traceOp: bad },
    'BAD_REQUEST',
    /Field `traceOp` must be an operation id from 1 to 999999999/,
  );
