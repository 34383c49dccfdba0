import type { Timestamp } from '../../src/core/clock.js';
import type { LevelName } from '../../src/core/levels.js';
import type { HistoryRecord, MetaRecord } from '../../src/check/history.js';

export const ts = (wallMs: number, nodeId = 1): Timestamp => ({ wallMs, counter: 0, nodeId });

interface WriteSpec {
  key?: string;
  value: string | null;
  level?: LevelName;
  at: [number, number];
  ts: number;
  ok?: boolean;
  /** Replicas that acknowledged (default 1, 2, 3 minus none). */
  acks?: number[];
}

interface ReadSpec {
  key?: string;
  level?: LevelName;
  at: [number, number];
  /** The timestamp of the version read; omitted: nothing stored. */
  ts?: number;
  /** The value read; null: not found. */
  value: string | null;
  answered?: number[];
}

/** Hand-written histories for checker tests: a three-node cluster, RF 3, keys default `k`. */
export class HistoryBuilder {
  readonly records: HistoryRecord[];
  #nextId = 1;

  constructor(meta: Partial<MetaRecord> = {}) {
    this.records = [
      {
        type: 'meta',
        format: 'quartet-history',
        version: 1,
        source: 'sim',
        nodes: [1, 2, 3],
        replicationFactor: 3,
        virtualNodes: 8,
        readRepair: 'blocking',
        durable: false,
        initiallyEmpty: true,
        ...meta,
      },
    ];
  }

  write(spec: WriteSpec): number {
    const id = this.#nextId++;
    const key = spec.key ?? 'k';
    const level = spec.level ?? 'quorum';
    const op = spec.value === null ? 'delete' : 'update';
    const base = { id, client: `c${id}`, node: 1, op, key } as const;
    this.records.push({ type: 'invoke', time: spec.at[0], ...base, value: spec.value, level });
    const acks = spec.acks ?? [1, 2];
    const replicas = [1, 2, 3].map((node) =>
      acks.includes(node)
        ? { node, state: 'fresh' as const, ts: ts(spec.ts) }
        : { node, state: 'pending' as const },
    );
    this.records.push({
      type: 'complete',
      time: spec.at[1],
      ...base,
      level,
      result:
        spec.ok === false
          ? { ok: false, error: 'TIMEOUT' }
          : { ok: true, value: spec.value, found: spec.value !== null },
      ts: ts(spec.ts),
      ...(spec.ok === false ? {} : { replicas }),
    });
    return id;
  }

  read(spec: ReadSpec): number {
    const id = this.#nextId++;
    const key = spec.key ?? 'k';
    const level = spec.level ?? 'quorum';
    const base = { id, client: `c${id}`, node: 2, op: 'get', key } as const;
    this.records.push({ type: 'invoke', time: spec.at[0], ...base, level });
    const answered = spec.answered ?? [2, 3];
    this.records.push({
      type: 'complete',
      time: spec.at[1],
      ...base,
      level,
      result: { ok: true, value: spec.value, found: spec.value !== null },
      ...(spec.ts === undefined ? {} : { ts: ts(spec.ts) }),
      replicas: answered.map((node) => ({ node, state: 'fresh' as const })),
    });
    return id;
  }

  crash(node: number, time: number, lost = true): this {
    this.records.push({ type: 'fault', time, fault: 'crash', node, lost });
    return this;
  }

  quiet(time: number): this {
    this.records.push({ type: 'quiet', time });
    return this;
  }

  dump(node: number, time: number, entries: [string, string | null, number][]): this {
    this.records.push({
      type: 'dump',
      time,
      node,
      entries: entries.map(([key, value, wallMs]) => ({ key, value, ts: ts(wallMs) })),
    });
    return this;
  }
}
