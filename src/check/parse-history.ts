import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { errorCodes, QuartetError } from '../core/errors.js';
import { levelNames } from '../core/levels.js';
import type { HistoryRecord } from './history.js';

const historyBytesMax = 512 * 1024 * 1024;

const timestamp = z.object({
  wallMs: z.number(),
  counter: z.number().int().nonnegative(),
  nodeId: z.number().int(),
});
const level = z.enum(levelNames);
const op = z.enum(['get', 'insert', 'update', 'delete']);
const errorCode = z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes]);
const replicaState = z.enum(['fresh', 'stale', 'missing', 'pending', 'down']);

/** The fields an operation's invocation and completion share. */
const operationFields = {
  time: z.number(),
  id: z.number().int(),
  client: z.string(),
  node: z.number().int(),
  op,
  key: z.string(),
  level,
};

const recordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('meta'),
    format: z.literal('quartet-history'),
    version: z.literal(1),
    source: z.enum(['sim', 'cluster']),
    nodes: z.array(z.number().int()),
    replicationFactor: z.number().int().positive(),
    virtualNodes: z.number().int().positive(),
    readRepair: z.enum(['background', 'blocking', 'off']),
    tombstoneGraceMs: z.number().optional(),
    durable: z.boolean().nullable(),
    initiallyEmpty: z.boolean(),
    seed: z.number().optional(),
    replay: z.string().optional(),
  }),
  z.object({
    type: z.literal('invoke'),
    ...operationFields,
    value: z.string().nullable().optional(),
  }),
  z.object({
    type: z.literal('complete'),
    ...operationFields,
    result: z.union([
      z.object({ ok: z.literal(true), value: z.string().nullable(), found: z.boolean() }),
      z.object({ ok: z.literal(false), error: errorCode, message: z.string().optional() }),
    ]),
    ts: timestamp.optional(),
    replicas: z
      .array(z.object({ node: z.number().int(), state: replicaState, ts: timestamp.optional() }))
      .optional(),
  }),
  z.object({
    type: z.literal('fault'),
    time: z.number(),
    fault: z.enum(['crash', 'restart', 'partition', 'heal', 'loss', 'clock', 'repair']),
    node: z.number().int().optional(),
    lost: z.boolean().optional(),
    groups: z.array(z.array(z.number().int())).optional(),
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    lossRate: z.number().optional(),
    skewMs: z.number().optional(),
    resolutionMs: z.number().optional(),
    warning: z.string().optional(),
  }),
  z.object({ type: z.literal('quiet'), time: z.number() }),
  z.object({
    type: z.literal('dump'),
    time: z.number(),
    node: z.number().int(),
    phase: z.literal('repaired').optional(),
    entries: z.array(z.object({ key: z.string(), value: z.string().nullable(), ts: timestamp })),
  }),
]);

/** Parses JSON-lines history text; a bad line is a BAD_REQUEST error naming the line. */
export function parseHistory(text: string, source = 'history'): HistoryRecord[] {
  const records: HistoryRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new QuartetError('BAD_REQUEST', `${source}:${i + 1}: not JSON (${String(error)}).`);
    }
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : ` at \`${issue.path.join('.')}\`: ${issue.message}`;
      throw new QuartetError('BAD_REQUEST', `${source}:${i + 1}: not a history record${where}.`);
    }
    records.push(parsed.data as HistoryRecord);
  }
  return records;
}

export async function readHistoryFile(path: string): Promise<HistoryRecord[]> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > historyBytesMax)
      throw new QuartetError(
        'TOO_LARGE',
        `History ${path} is ${size} bytes, over the ${historyBytesMax}-byte limit; check a part of it.`,
      );
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof QuartetError) throw error;
    throw new QuartetError('USAGE', `Cannot read history file ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  return parseHistory(text, path);
}
