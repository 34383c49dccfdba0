/** The live page's bounds (`quartet up --web`), named once here. */

/** Pages (SSE streams) open at once; one more is refused with OVERLOADED. */
export const webClientsMax = 16;
/**
 * Bytes a page's stream may have buffered unsent (a slow or stalled page). Past it the events
 * for that page are dropped and counted, never queued; the page shows the count.
 */
export const webClientBufferedBytesMax = 1024 * 1024;
/** Trace events are gathered this long and sent as one stream event. */
export const webTraceBatchMs = 100;
/** Trace events one batch holds; more in one batch time are skipped and counted. */
export const webTraceBatchEventsMax = 20_000;
/** How often the nodes' states are read for the page (only while a page is open). */
export const webStatusPollMs = 1000;
/** Result rows a page that opens late is sent first. */
export const webRecentRecordsMax = 300;
/** Characters of a value the page is sent (rows and messages); longer ones are cut. */
export const webValueCharsMax = 256;
/** Characters of one row's text the page is sent (a long `show-all`, `help`). */
export const webTextCharsMax = 64 * 1024;
/** A record larger than this as JSON is sent as its summary (seq, op, key, ok, error). */
export const webRecordBytesMax = 64 * 1024;
/** Bytes of a command request beyond the largest line: the JSON around it. */
const webBodyOverheadBytes = 64 * 1024;

/** The largest command request: a line with a key and value of the largest sizes, JSON-escaped. */
export function computeWebBodyBytesMax(sizes: {
  keyBytesMax: number;
  valueBytesMax: number;
}): number {
  // JSON escapes one byte into at most six (\u0000).
  return 6 * (sizes.keyBytesMax + sizes.valueBytesMax) + webBodyOverheadBytes;
}
