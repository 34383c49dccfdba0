import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { errorCodes, QuartetError } from '../core/errors.js';
import { levelNames } from '../core/levels.js';
import {
  dropReasons,
  faultKinds,
  messageKinds,
  traceFormat,
  type Trace,
  type TraceEvent,
  type TraceMeta,
} from './trace-format.js';

/** The largest trace read (whole, as one string: V8 caps strings near 512 MiB): ~1.9M messages. */
export const traceBytesMax = 400 * 1024 * 1024;

const int = z.number().int();
const node = int.positive();
const time = z.number().nonnegative();
const timestamp = z.object({ wallMs: z.number(), counter: int.nonnegative(), nodeId: int });
const errorCode = z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes]);
const replicaState = z.enum(['fresh', 'stale', 'missing', 'pending', 'down']);

const metaSchema = z.object({
  type: z.literal('meta'),
  format: z.literal(traceFormat),
  version: z.literal(1),
  source: z.enum(['cluster', 'sim']),
  nodes: z.array(node).min(1),
  replicationFactor: int.positive(),
  timeUnit: z.literal('us'),
  seed: z.number().optional(),
});

const eventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('op-invoke'),
    t: time,
    op: int,
    client: z.string(),
    node,
    kind: z.enum(['get', 'insert', 'update', 'delete']),
    key: z.string(),
    level: z.enum(levelNames),
    value: z.string().nullable().optional(),
  }),
  z.object({
    type: z.literal('op-complete'),
    t: time,
    op: int,
    ok: z.boolean(),
    value: z.string().nullable().optional(),
    found: z.boolean().optional(),
    acks: int.nonnegative(),
    required: int.nonnegative(),
    replicas: z.array(z.object({ node, state: replicaState, ts: timestamp.optional() })),
    error: z.object({ code: errorCode, message: z.string() }).optional(),
  }),
  z.object({ type: z.literal('level-met'), t: time, op: int }),
  z.object({
    type: z.literal('msg-send'),
    t: time,
    msg: int,
    kind: z.enum(messageKinds),
    from: node,
    to: node,
    op: int.nullable(),
    key: z.string().optional(),
    ts: timestamp.optional(),
    delayMs: z.number().nonnegative(),
    ranges: int.optional(),
    keys: int.optional(),
  }),
  z.object({ type: z.literal('msg-deliver'), t: time, msg: int }),
  z.object({ type: z.literal('msg-drop'), t: time, msg: int, why: z.enum(dropReasons) }),
  z.object({
    type: z.literal('repair'),
    t: time,
    op: int,
    node,
    key: z.string(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    applied: z.boolean(),
  }),
  z.object({
    type: z.literal('hint'),
    t: time,
    action: z.enum(['stored', 'replayed', 'expired']),
    node,
    target: node,
    key: z.string(),
    ts: timestamp.optional(),
  }),
  z.object({
    type: z.literal('anti-entropy'),
    t: time,
    node,
    peer: node,
    phase: z.enum(['start', 'end']),
    rangesCompared: int.nonnegative(),
    rangesDiffering: int.nonnegative(),
    keysSent: int.nonnegative(),
    keysReceived: int.nonnegative(),
    keys: z.array(z.string()).optional(),
  }),
  z.object({
    type: z.literal('detector'),
    t: time,
    node,
    peer: node,
    state: z.enum(['up', 'suspect', 'down']),
  }),
  z.object({
    type: z.literal('fault'),
    t: time,
    fault: z.enum(faultKinds),
    node: node.optional(),
    groups: z.array(z.array(node)).optional(),
    from: node.optional(),
    to: node.optional(),
    delayMs: z.number().optional(),
    lossRate: z.number().optional(),
    skewMs: z.number().optional(),
  }),
  z.object({ type: z.literal('events-dropped'), t: time, count: int.positive() }),
]);

/** Parses a whole trace; a bad line is BAD_REQUEST naming `file:line` and what is wrong. */
export function parseTrace(text: string, file = 'trace'): Trace {
  const lines = text.split('\n');
  let meta: TraceMeta | undefined;
  const events: TraceEvent[] = [];
  const seen = new Set<number>();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const where = `${file}:${index + 1}`;
    const value = parseJson(line, where);
    if (meta === undefined) {
      meta = checkLine(metaSchema, value, where, 'the first line must be the trace `meta`');
      continue;
    }
    const event = isPlainMessageEvent(value)
      ? value
      : (checkLine(eventSchema, value, where, 'not a trace event') as TraceEvent);
    if (event.type === 'msg-send') {
      if (seen.has(event.msg)) fail(where, `message id ${event.msg} is sent twice`);
      seen.add(event.msg);
    } else if ((event.type === 'msg-deliver' || event.type === 'msg-drop') && !seen.has(event.msg))
      fail(where, `${event.type} names message ${event.msg}, which was never sent`);
    events.push(event);
  }
  if (meta === undefined) fail(`${file}:1`, 'the trace is empty (no `meta` line)');
  return { meta: meta as TraceMeta, events };
}

export async function readTraceFile(path: string): Promise<Trace> {
  let bytes: number;
  try {
    bytes = (await stat(path)).size;
  } catch (error) {
    throw new QuartetError('BAD_REQUEST', `Cannot read the trace ${path}: no such file.`, {
      cause: error,
    });
  }
  if (bytes > traceBytesMax)
    throw new QuartetError(
      'TOO_LARGE',
      `The trace ${path} is ${bytes} bytes, over traceBytesMax (${traceBytesMax}); trace a shorter run.`,
    );
  return parseTrace(await readFile(path, 'utf8'), path);
}

const messageEventKeys = { 'msg-deliver': 3, 'msg-drop': 4 } as const;
const dropReasonSet = new Set<string>(dropReasons);

/**
 * Most lines are message deliveries and drops: checked by hand, as the schema would, because
 * zod costs ~40 µs a line. Anything else, or anything doubtful, goes through the schema.
 */
function isPlainMessageEvent(value: unknown): value is TraceEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  const type = event['type'];
  const t = event['t'];
  const msg = event['msg'];
  if (typeof t !== 'number' || !(t >= 0) || !Number.isInteger(msg)) return false;
  if (type === 'msg-send') return isPlainSend(event);
  if (type !== 'msg-deliver' && type !== 'msg-drop') return false;
  if (Object.keys(event).length !== messageEventKeys[type]) return false;
  return type === 'msg-deliver' || dropReasonSet.has(event['why'] as string);
}

const sendKeys = new Set(['type', 't', 'msg', 'kind', 'from', 'to', 'op', 'key', 'delayMs']);
const kindSet = new Set<string>(messageKinds);

function isPlainSend(event: Record<string, unknown>): boolean {
  for (const key in event) if (!sendKeys.has(key)) return false;
  const { kind, from, to, op, key, delayMs } = event;
  return (
    kindSet.has(kind as string) &&
    Number.isInteger(from) &&
    (from as number) > 0 &&
    Number.isInteger(to) &&
    (to as number) > 0 &&
    (op === null || Number.isInteger(op)) &&
    (key === undefined || typeof key === 'string') &&
    typeof delayMs === 'number' &&
    delayMs >= 0
  );
}

function parseJson(line: string, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return fail(where, 'not valid JSON');
  }
}

function checkLine<T>(schema: z.ZodType<T>, value: unknown, where: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '' : ` (${issue.path.join('.')})`;
  return fail(where, `${what}: ${issue?.message ?? 'invalid'}${field}`);
}

function fail(where: string, problem: string): never {
  throw new QuartetError(
    'BAD_REQUEST',
    `Bad trace line ${where}: ${problem}; traces are written by \`--trace FILE\` (docs/trace.md).`,
  );
}
