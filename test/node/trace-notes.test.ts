import test from 'ava';
import { answerNote, peerReplyNote } from '../../src/node/trace-notes.js';
import type { PeerMessage } from '../../src/node/runtime.js';
import { traceNote } from '../../src/node/tracer.js';

const ts = { wallMs: 1_000, counter: 2, nodeId: 3 };
const version = { value: 'v', ts };
const before = { wallMs: 900, counter: 0, nodeId: 1 };

test('a reply to a peer names its request’s operation and key, and carries what the answer holds', (t) => {
  const read = { type: 'read', id: 1, key: 'k', op: 7 } as const;
  t.deepEqual(
    peerReplyNote(read, { type: 'read-reply', id: 1, version }),
    traceNote('read-reply', 7, 'k', ts),
  );
  // A key the replica lacks: no version, no ts.
  t.deepEqual(peerReplyNote(read, { type: 'read-reply', id: 1 }), traceNote('read-reply', 7, 'k'));
  // A write's reply names the key, not the version the request carried (nor the one replaced).
  const ack = { type: 'write-reply', id: 2, created: false, applied: true, before } as const;
  t.deepEqual(
    peerReplyNote({ type: 'repair', id: 2, key: 'k', version }, ack),
    traceNote('write-reply', null, 'k'),
  );
  // Untraced requests (no op on the wire) are background: op null.
  t.deepEqual(
    peerReplyNote({ type: 'write', id: 2, key: 'k', version }, ack),
    traceNote('write-reply', null, 'k'),
  );
  t.deepEqual(
    peerReplyNote(
      { type: 'tree', id: 3, depth: 4 },
      { type: 'tree-reply', id: 3, depth: 4, nodes: [] },
    ),
    traceNote('tree-reply', null, undefined, undefined, 16),
  );
  // A range reply of one entry names it; of more, only counts them.
  const range: PeerMessage = { type: 'range', id: 4, depth: 4, leaves: [1, 2] };
  const entry = { key: 'a', version };
  t.deepEqual(
    peerReplyNote(range, { type: 'range-reply', id: 4, entries: [entry], served: 1 }),
    traceNote('range-reply', null, 'a', ts, undefined, 1),
  );
  t.deepEqual(
    peerReplyNote(range, { type: 'range-reply', id: 4, entries: [entry, entry], served: 2 }),
    traceNote('range-reply', null, undefined, undefined, undefined, 2),
  );
  t.is(peerReplyNote({ type: 'ping', id: 5 }, { type: 'read-reply', id: 5 }), undefined);
});

test('the simulator’s reply notes (answerNote of the request’s note) are the nodes’ own', (t) => {
  const answer = { type: 'read-reply', id: 1, version } as const;
  t.deepEqual(
    answerNote(traceNote('read', 7, 'k'), answer),
    peerReplyNote({ type: 'read', id: 1, key: 'k', op: 7 }, answer),
  );
});
