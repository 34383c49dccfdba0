import type { OpResult } from '../core/messages.js';
import type { Command } from './commands.js';
import type { OpRecord } from './records.js';

/** The commands that read or write a key. */
export type DataCommand = Extract<Command, { kind: 'insert' | 'update' | 'delete' | 'get' }>;

// From a parsed command and a node's result to the record the reporters print.

export function isData(command: Command): command is DataCommand {
  return (
    command.kind === 'insert' ||
    command.kind === 'update' ||
    command.kind === 'delete' ||
    command.kind === 'get'
  );
}

export function toOpRecord(
  result: OpResult,
  base: { seq: number; line: number; node: number; latencyMs: number },
): OpRecord {
  const record: OpRecord = {
    type: 'op',
    seq: base.seq,
    line: base.line,
    node: base.node,
    op: result.op,
    key: result.key,
    level: result.level,
    ok: true,
    value: result.value,
    found: result.found,
    latencyMs: base.latencyMs,
    acks: result.acks,
    required: result.required,
    replicas: result.replicas,
  };
  if (result.ts !== undefined) record.ts = result.ts;
  return record;
}
