import type { PeerReply } from '../core/messages.js';
import type { PeerMessage } from './runtime.js';
import type { Version } from '../core/version.js';
import type { PeerRequestBody } from '../protocol/peer-wire.js';
import { replyNote, requestNote, traceNote, type TraceNote } from './tracer.js';

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
  if (answer.type === 'read-reply') return replyNote(request, answer.version?.ts);
  const reply = replyNote(request);
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

/** The note of a node's reply to a peer's `request`; none for a ping's. */
export function peerReplyNote(request: PeerMessage, answer: PeerReply): TraceNote | undefined {
  // An operation's replies, one note each (what answerNote gives, without the request's note).
  if (request.type === 'read' && answer.type === 'read-reply')
    return traceNote('read-reply', request.op ?? null, request.key, answer.version?.ts);
  if ((request.type === 'write' || request.type === 'repair') && answer.type === 'write-reply')
    return traceNote('write-reply', request.op ?? null, request.key);
  const note = requestNote(request);
  return note === undefined ? undefined : answerNote(note, answer);
}
