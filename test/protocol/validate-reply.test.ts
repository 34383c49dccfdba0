import test from 'ava';
import { validatePeerReply } from '../../src/protocol/validate.js';
import { throwsCode } from './expect.js';
import { limits, ts } from './samples.js';

const repliesAs = test.macro({
  exec(t, input: unknown, expected: unknown) {
    t.deepEqual(validatePeerReply(input, limits), expected);
  },
  title: (provided = '') => `a peer reply is accepted: ${provided}`,
});

test(
  'read reply without a version',
  repliesAs,
  { type: 'read-reply', id: 1 },
  {
    type: 'read-reply',
    id: 1,
  },
);
test(
  'read reply with a null version',
  repliesAs,
  { type: 'read-reply', id: 1, version: null },
  {
    type: 'read-reply',
    id: 1,
  },
);
test(
  'read reply with a version',
  repliesAs,
  { type: 'read-reply', id: 1, version: { value: 'v', ts } },
  { type: 'read-reply', id: 1, version: { value: 'v', ts } },
);
test(
  'write reply with the timestamp it replaced',
  repliesAs,
  { type: 'write-reply', id: 2, created: true, applied: true, before: ts },
  { type: 'write-reply', id: 2, created: true, applied: true, before: ts },
);
test(
  'write reply with non-boolean flags read as false',
  repliesAs,
  { type: 'write-reply', id: 2, created: 'yes', applied: 1 },
  { type: 'write-reply', id: 2, created: false, applied: false },
);
test(
  'error reply with a known code',
  repliesAs,
  { type: 'error', id: 3, error: { code: 'TOO_LARGE', message: 'big' } },
  { type: 'error', id: 3, error: { code: 'TOO_LARGE', message: 'big' } },
);
test(
  'error reply with an unknown code becomes INTERNAL',
  repliesAs,
  { type: 'error', id: 3, error: { code: 'EBOOM', message: 7 } },
  { type: 'error', id: 3, error: { code: 'INTERNAL', message: 'A peer failed.' } },
);

test('a peer reply of an unknown type is a BAD_REQUEST', (t) => {
  const error = throwsCode(
    t,
    () => validatePeerReply({ type: 'gossip', id: 1 }, limits),
    'BAD_REQUEST',
  );
  t.regex(error.message, /Unknown reply type "gossip"/);
});

test('a peer read reply with an oversized value is TOO_LARGE', (t) => {
  throwsCode(
    t,
    () =>
      validatePeerReply(
        { type: 'read-reply', id: 1, version: { value: 'v'.repeat(33), ts } },
        limits,
      ),
    'TOO_LARGE',
  );
});
