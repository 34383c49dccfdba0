import type { LevelName } from '../core/levels.js';
import type { Random } from '../core/random.js';
import { createKeyGenerator, type KeyDistribution } from './key-generators.js';

export const workloadNames = ['A', 'B', 'C', 'W'] as const;
export type WorkloadName = (typeof workloadNames)[number];

/** The share of reads in each workload; the rest are updates (upserts of existing records). */
export const readShares: Record<WorkloadName, number> = { A: 0.5, B: 0.95, C: 1, W: 0 };

export const workloadDescriptions: Record<WorkloadName, string> = {
  A: '50% read, 50% update',
  B: '95% read, 5% update',
  C: '100% read',
  W: '100% update',
};

export type OpKind = 'read' | 'update' | 'insert';

export interface BenchOp {
  kind: OpKind;
  key: string;
  level: LevelName;
  /** "kind level", the name its latency is kept under. */
  label: string;
}

export interface OpSource {
  /** The next operation, or undefined when the source is used up. */
  next(): BenchOp | undefined;
}

export interface Levels {
  read: LevelName;
  write: LevelName;
}

/** YCSB's key for record `n`. */
export function keyOf(record: number): string {
  return `user${record}`;
}

/** The load phase: inserts records 0..count-1 in order. */
export function createLoadSource(count: number, level: LevelName): OpSource {
  let record = 0;
  const label = `insert ${level}`;
  return {
    next: () =>
      record < count ? { kind: 'insert', key: keyOf(record++), level, label } : undefined,
  };
}

/** The run phase: reads and updates in the workload's proportions over the chosen keys. */
export function createWorkloadSource(input: {
  workload: WorkloadName;
  records: number;
  keys: KeyDistribution;
  levels: Levels;
  random: Random;
  opsMax?: number;
}): OpSource {
  const { levels, random, opsMax = Infinity } = input;
  const readShare = readShares[input.workload];
  const nextRecord = createKeyGenerator(input.keys, input.records, random);
  let issued = 0;
  const readLabel = `read ${levels.read}`;
  const updateLabel = `update ${levels.write}`;
  return {
    next: () => {
      if (issued >= opsMax) return undefined;
      issued++;
      const key = keyOf(nextRecord());
      return random() < readShare
        ? { kind: 'read', key, level: levels.read, label: readLabel }
        : { kind: 'update', key, level: levels.write, label: updateLabel };
    },
  };
}

/** A few values of `bytes` printable ASCII characters, handed out in turn. */
export function createValuePool(bytes: number, random: Random, size = 16): () => string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const values = Array.from({ length: size }, () => {
    let value = '';
    for (let i = 0; i < bytes; i++) value += alphabet[Math.floor(random() * alphabet.length)];
    return value;
  });
  let next = 0;
  return () => values[next++ % size]!;
}
