/** Named bounds of the wire protocol, defined once. */
export const frameHeaderBytes = 4;
/** The largest frame a node accepts: room for a maximal value plus its key and fields. */
export const frameBytesMaxDefault = 2 * 1024 * 1024;
/** Nodes answer `show-all` with big frames; clients accept up to this. */
export const clientFrameBytesMax = 256 * 1024 * 1024;
/** Requests one client connection may have outstanding at a node. */
export const inflightPerConnectionMax = 4096;
/** Client connections (past their first request) one node serves at once; peers are not counted. */
export const connectionsPerNodeMax = 1024;
/** Authenticated peer connections one node keeps at once: slots strangers cannot take. */
export const peerConnectionsMax = 256;
/**
 * Connections that have not yet authenticated as a peer or sent a first request. Past it, the
 * oldest such connection is closed to make room: a flood of idle strangers cannot keep a
 * restarted peer out.
 */
export const unauthenticatedConnectionsMax = 256;
/** A connection must finish the peer handshake or its first request within this, or is closed. */
export const handshakeDeadlineMs = 5_000;
/** A client connection that neither sends nor receives anything for this long is closed. */
export const clientIdleDeadlineMs = 10 * 60_000;
/** Bytes of incomplete frames one node holds across all its unauthenticated and client connections. */
export const partialFrameBytesMax = 64 * 1024 * 1024;
/**
 * Bytes of replies a connection may have queued unsent. Past it the node dispatches nothing more
 * from the connection and stops reading it until they drain; replies of operations already in
 * flight are still queued (they are bounded by inflightBytesMax).
 */
export const writeBufferBytesMax = 64 * 1024 * 1024;
/**
 * Bytes the client operations in flight at one node may hold: a write's key and value, a read's
 * key and its replicas' answers (projected from the largest answer so far onto every replica
 * asked). Past it the node dispatches no more client requests until operations finish: requests
 * wait unread, none is refused.
 */
export const inflightBytesMax = 32 * 1024 * 1024;
/**
 * Reads in flight at one node that no replica has answered yet, so their size is unknown: past
 * it the next read waits to be dispatched until one of them is answered.
 */
export const unsizedReadsMax = 64;
/** HTTP API: connections one node accepts at once (keep-alive ones included). */
export const httpConnectionsMax = 256;
/** HTTP API: requests being answered at once by one node; past it, 429 OVERLOADED. */
export const httpInflightMax = 1024;
/** HTTP API: bytes of a request's headers (Node's maxHeaderSize). */
export const httpHeaderBytesMax = 8 * 1024;
/** HTTP API: a keep-alive connection idle this long is closed. */
export const httpIdleMs = 5_000;
/** HTTP API: the longest a request may take to arrive whole (slow bodies are cut off). */
export const httpRequestMsMax = 30_000;
/**
 * The largest operation id a client may give a data request (`traceOp`, the history's id): below
 * the ids a traced node gives operations itself (nodeId * 10^9 + n), so the two never collide.
 */
export const traceOpMax = 999_999_999;
