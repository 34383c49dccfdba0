import { QuartetError } from '../core/errors.js';

/**
 * What the orchestrator may tell a node: over the IPC channel of a node it started, or over an
 * operator connection (a client connection that proved the cluster secret) to a node it attached
 * to. The delay model's settings and the clock's skew.
 */
export type ControlMessage =
  | { type: 'server-delay'; to: number; delayMsMean: number }
  | { type: 'link-delay'; from: number; to: number; delayMsMean: number }
  | { type: 'link-loss'; from: number; to: number; lossRate: number }
  | { type: 'partition'; groups: number[][] }
  | { type: 'heal' }
  /** Node `node`'s wall clock reads Date.now() + skewMs (0 restores it); the others ignore it. */
  | { type: 'clock-skew'; node: number; skewMs: number };

/** A control message as sent over IPC: `id` comes back in the node's `control-ack`. */
export type ControlEnvelope = ControlMessage & { id: number };

/** What a node tells the orchestrator over IPC. */
export type NodeReport =
  | { type: 'ready'; nodeId: number; pid: number; port: number; httpPort?: number }
  | { type: 'peer-up' | 'peer-down'; nodeId: number; peer: number }
  | { type: 'fatal'; nodeId: number; code: string; message: string }
  | { type: 'control-ack'; nodeId: number; id: number }
  | { type: 'warning'; nodeId: number; message: string }
  /**
   * A batch of the node's trace events (only when the orchestrator traces the run), `count`
   * events encoded as src/trace/trace-codec.ts says; the channel's serialization is 'advanced',
   * so the bytes cross as they are.
   */
  | { type: 'trace'; nodeId: number; count: number; bytes: Uint8Array; messages: number };

/** The largest delay or skew a control message may set: a day. */
const controlDurationMsMax = 24 * 60 * 60 * 1000;
/** Node ids a control message may name (a cluster has at most serversMax servers). */
const controlNodeIdMax = 1024;

/** Checks an untrusted control message; throws BAD_REQUEST naming the field. */
export function validateControl(raw: unknown): ControlMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw bad('a control message must be a map with a `type`');
  }
  const fields = raw as Record<string, unknown>;
  switch (fields.type) {
    case 'server-delay':
      return {
        type: 'server-delay',
        to: nodeId(fields.to, 'to'),
        delayMsMean: duration(fields.delayMsMean, 'delayMsMean', 0),
      };
    case 'link-delay':
      return {
        type: 'link-delay',
        from: nodeId(fields.from, 'from'),
        to: nodeId(fields.to, 'to'),
        delayMsMean: duration(fields.delayMsMean, 'delayMsMean', 0),
      };
    case 'link-loss': {
      const lossRate = fields.lossRate;
      if (typeof lossRate !== 'number' || !(lossRate >= 0 && lossRate <= 1)) {
        throw bad('`lossRate` must be a number from 0 to 1');
      }
      return {
        type: 'link-loss',
        from: nodeId(fields.from, 'from'),
        to: nodeId(fields.to, 'to'),
        lossRate,
      };
    }
    case 'partition': {
      const groups = fields.groups;
      if (!Array.isArray(groups) || groups.length > controlNodeIdMax) {
        throw bad('`groups` must be an array of arrays of node ids');
      }
      return {
        type: 'partition',
        groups: groups.map((group) => {
          if (!Array.isArray(group) || group.length > controlNodeIdMax) {
            throw bad('`groups` must be an array of arrays of node ids');
          }
          return group.map((id) => nodeId(id, 'groups'));
        }),
      };
    }
    case 'heal':
      return { type: 'heal' };
    case 'clock-skew':
      return {
        type: 'clock-skew',
        node: nodeId(fields.node, 'node'),
        skewMs: duration(fields.skewMs, 'skewMs', -controlDurationMsMax),
      };
    default:
      throw bad(
        'unknown control `type`; expected server-delay, link-delay, link-loss, partition, heal or clock-skew',
      );
  }
}

function nodeId(raw: unknown, field: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > controlNodeIdMax) {
    throw bad(`\`${field}\` must be a node id (1..N)`);
  }
  return raw;
}

function duration(raw: unknown, field: string, min: number): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > controlDurationMsMax) {
    throw bad(`\`${field}\` must be a number of ms from ${min} to ${controlDurationMsMax}`);
  }
  return raw;
}

function bad(what: string): QuartetError {
  return new QuartetError('BAD_REQUEST', `Bad control message: ${what}.`);
}
