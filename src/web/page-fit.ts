import type { TraceEvent } from '../trace/trace-format.js';
import type { LiveRecord } from './live-feed.js';
import { webRecordBytesMax, webTextCharsMax, webValueCharsMax } from './web-bounds.js';

/**
 * What the page is sent of a record or trace event: values cut to webValueCharsMax, a row's
 * text to webTextCharsMax, a record over webRecordBytesMax to its summary. The page shows rows
 * and keys, not megabyte values; the terminal and the history keep everything.
 */
export function fitRecord(live: LiveRecord): LiveRecord {
  const text =
    live.text.length <= webTextCharsMax
      ? live.text
      : `${live.text.slice(0, webTextCharsMax)}\n… (${live.text.length - webTextCharsMax} more characters at the terminal)\n`;
  const source = live.record as Record<string, unknown>;
  let record: object = 'value' in source ? { ...source, value: cutValue(source['value']) } : source;
  if (JSON.stringify(record).length > webRecordBytesMax) {
    const { type, seq, line, node, op, ok, key, error } = source;
    record = { type, seq, line, node, op, ok, key, error, cut: true };
  }
  return { record, text };
}

export function fitTraceEvent(event: TraceEvent): TraceEvent {
  if ((event.type === 'op-invoke' || event.type === 'op-complete') && event.value != null)
    return { ...event, value: cutValue(event.value) as string };
  return event;
}

function cutValue(value: unknown): unknown {
  if (typeof value !== 'string' || value.length <= webValueCharsMax) return value;
  return `${value.slice(0, webValueCharsMax)}…`;
}
