import { historyFromOpRecord } from './from-op-record.js';
import {
  historyFormat,
  historyFormatVersion,
  HistoryWriter,
  type FaultRecord,
} from '../check/history.js';
import type { ClusterConfig } from '../config/types.js';
import type { CommandRecord, OutputRecord } from './records.js';

export interface HistoryRecorderOptions {
  config: ClusterConfig;
  /** Nodes keep their data across a crash (LMDB), or lose it (in memory). */
  durable: boolean;
  /** The nodes started with no data: every version read must come from a write in the history. */
  initiallyEmpty: boolean;
  /** Time 0 of the history on performance.now()'s clock (default: now); a trace's origin. */
  originMs?: number;
}

/**
 * `--history FILE`: every operation a real cluster ran, as invocation and completion, and every
 * fault, in the format `quartet check` reads (the simulator writes the same).
 */
export class HistoryRecorder {
  readonly #writer: HistoryWriter;
  readonly #durable: boolean;
  readonly #startMs: number;

  constructor(path: string, options: HistoryRecorderOptions) {
    const { config } = options;
    this.#startMs = options.originMs ?? performance.now();
    this.#durable = options.durable;
    this.#writer = new HistoryWriter(path);
    this.#writer.append({
      type: 'meta',
      format: historyFormat,
      version: historyFormatVersion,
      source: 'cluster',
      nodes: config.servers.map((server) => server.id),
      replicationFactor: config.replicationFactor,
      virtualNodes: config.virtualNodes,
      readRepair: config.readRepair,
      durable: options.durable,
      initiallyEmpty: options.initiallyEmpty,
    });
  }

  /** Called with every record as it is emitted (the moment an operation completed). */
  record(record: OutputRecord): void {
    const nowMs = performance.now() - this.#startMs;
    if (record.type === 'op') {
      for (const line of historyFromOpRecord(record, Math.max(0, nowMs - record.latencyMs)))
        this.#writer.append(line);
      return;
    }
    if (record.type === 'command' && record.ok) {
      const fault = this.#faultOf(record, Math.round(nowMs * 1000) / 1000);
      if (fault !== undefined) this.#writer.append(fault);
    }
  }

  close(): Promise<void> {
    return this.#writer.close();
  }

  #faultOf(record: CommandRecord, time: number): FaultRecord | undefined {
    const fault = record.fault;
    if (fault === undefined) return undefined;
    switch (fault.kind) {
      case 'kill':
        return { type: 'fault', time, fault: 'crash', node: fault.node, lost: !this.#durable };
      case 'restart':
        return { type: 'fault', time, fault: 'restart', node: fault.node };
      case 'partition':
        return { type: 'fault', time, fault: 'partition', groups: fault.groups };
      case 'heal':
        return { type: 'fault', time, fault: 'heal' };
      case 'loss':
        return {
          type: 'fault',
          time,
          fault: 'loss',
          from: fault.from,
          to: fault.to,
          lossRate: fault.lossRate,
        };
      case 'skew':
        return { type: 'fault', time, fault: 'clock', node: fault.node, skewMs: fault.skewMs };
      default:
        return undefined;
    }
  }
}
