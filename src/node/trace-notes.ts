import type { PeerReply } from '../core/messages.js';
import type { PeerMessage } from './runtime.js';
import type { Version } from '../core/version.js';
import type { PeerRequestBody } from '../protocol/peer-wire.js';
import type { MessageKind } from '../trace/trace-format.js';
import { traceNote, type TraceNote } from './tracer.js';

/**
 * What the trace says of anti-entropy's messages (docs/trace.md): the ranges a tree covers and
 * a range request asks for, the keys a range reply streams, and each key pushed to the peer.
 */
export function antiEntropyNote(body: PeerRequestBody): TraceNote | undefined {
  if (body.type === 'tree') return traceNote('tree', null, undefined, undefined, 2 ** body.depth);
  if (body.type === 'range') {
    return traceNote('range', null, undefined, undefined, body.leaves.length);
  }
  return undefined;
}

/** A key anti-entropy pushes: a `write` on the wire, a `range` stream of that key in the trace. */
export function pushNote(key: string, version: Version): TraceNote {
  return traceNote('range', null, key, version.ts);
}

/** The note of a reply: its request's, with what the answer carries (a version, ranges, keys). */
export function answerNote(request: TraceNote, answer: PeerReply): TraceNote {
  return replyNoteOf(request.kind, request.op, request.key, answer);
}

/**
 * The note of a node's reply to a peer's `request`, from the request's fields (its `op` rides
 * on the wire when tracing); none for a ping's.
 */
export function peerReplyNote(request: PeerMessage, answer: PeerReply): TraceNote | undefined {
  switch (request.type) {
    case 'read':
    case 'write':
    case 'repair':
      return replyNoteOf(request.type, request.op ?? null, request.key, answer);
    case 'tree':
    case 'range':
      return replyNoteOf(request.type, null, undefined, answer);
    default:
      return undefined;
  }
}

/** The one note of the reply to a `kind` request about `op` and `key`, and what `answer` carries. */
function replyNoteOf(
  kind: MessageKind,
  op: number | null,
  key: string | undefined,
  answer: PeerReply,
): TraceNote {
  const ts = answer.type === 'read-reply' ? answer.version?.ts : undefined;
  const reply = traceNote(replyKind(kind), op, key, ts);
  if (answer.type === 'tree-reply') reply.ranges = 2 ** answer.depth;
  if (answer.type === 'range-reply') {
    reply.keys = answer.entries.length;
    const [only] = answer.entries;
    if (only !== undefined && answer.entries.length === 1) {
      reply.key = only.key;
      reply.ts = only.version.ts;
    }
  }
  return reply;
}

/** The kind of the reply to a request of `kind`. */
function replyKind(kind: MessageKind): MessageKind {
  return kind === 'read'
    ? 'read-reply'
    : kind === 'tree'
      ? 'tree-reply'
      : kind === 'range'
        ? 'range-reply'
        : 'write-reply';
}
