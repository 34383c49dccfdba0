/** Named bounds of the wire protocol, defined once. */
export const frameHeaderBytes = 4;
/** The largest frame a node accepts: room for a maximal value plus its key and fields. */
export const frameBytesMaxDefault = 2 * 1024 * 1024;
/** Nodes answer `show-all` with big frames; clients accept up to this. */
export const clientFrameBytesMax = 256 * 1024 * 1024;
/** Requests one client connection may have outstanding at a node. */
export const inflightPerConnectionMax = 4096;
/** Connections one node accepts at once. */
export const connectionsPerNodeMax = 1024;
/** Bytes a connection may buffer unsent before the node stops reading from it. */
export const writeBufferBytesMax = 64 * 1024 * 1024;
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
