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
