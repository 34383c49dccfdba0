import type { ReplyCallback } from '../client/client.js';
import type { LevelName } from '../core/levels.js';
import type { OpResult } from '../core/messages.js';
import type { QuartetError } from '../core/errors.js';
import { LatencyBook } from './latency.js';
import type { OpSource } from './workload.js';

/** What the load generator needs of a client: QuartetClient, or HttpClient for `--http`. */
export interface BenchClient {
  readonly nodeId: number;
  readonly closed: boolean;
  submitGet(key: string, level: LevelName | undefined, onResult: ReplyCallback<OpResult>): unknown;
  submitPut(
    op: 'insert' | 'update',
    key: string,
    value: string,
    level: LevelName | undefined,
    onResult: ReplyCallback<OpResult>,
  ): unknown;
  close(): void;
}

export interface DriveInput {
  /** Connections to the nodes; request slot i uses connection i mod count. */
  clients: BenchClient[];
  /** Requests in flight at once, spread over the connections. */
  inflight: number;
  source: OpSource;
  nextValue: () => string;
  /** Stop issuing once performance.now() passes this (ms); otherwise run the source dry. */
  untilMs?: number;
}

export interface DriveResult {
  /** Latency per "op level", e.g. "read one". */
  book: LatencyBook;
  ops: number;
  /** Per "op level", the answered operations by coordinator node id. */
  coordinatorOps: Map<string, Map<number, number>>;
  /** Failed operations by error code (not in the latency figures). */
  errors: Record<string, number>;
  /** From the first request sent to the last answer received. */
  durationMs: number;
}

/** Live counters of a drive in progress, for progress output. */
export interface DriveProgress {
  completed: number;
  failed: number;
}

/**
 * A closed loop: each of the `inflight` slots sends one request, waits for its answer, records
 * the latency and sends the next, until time or operations run out.
 */
export function drive(input: DriveInput, progress: DriveProgress = { completed: 0, failed: 0 }) {
  const { clients, source, nextValue, untilMs = Infinity } = input;
  const book = new LatencyBook();
  const errors: Record<string, number> = {};
  const coordinatorOps = new Map<string, Map<number, number>>();
  const startedAtMs = performance.now();
  let ops = 0;
  let lastEndMs = startedAtMs;
  let active = 0;

  return new Promise<DriveResult>((resolve) => {
    const finishSlot = () => {
      active--;
      if (active > 0) return;
      const durationMs = Math.max(0, lastEndMs - startedAtMs);
      resolve({ book, ops, coordinatorOps, errors, durationMs });
    };
    const issue = (slot: number) => {
      const op = performance.now() < untilMs ? source.next() : undefined;
      if (op === undefined) {
        finishSlot();
        return;
      }
      const client = clients[slot % clients.length]!;
      const startMs = performance.now();
      const label = op.label;
      const onResult = (error: QuartetError | undefined) => {
        if (error === undefined) {
          const endMs = performance.now();
          progress.completed++;
          ops++;
          lastEndMs = endMs;
          book.record(label, endMs - startMs);
          countCoordinator(coordinatorOps, label, client.nodeId);
          issue(slot);
          return;
        }
        progress.failed++;
        lastEndMs = performance.now();
        errors[error.code] = (errors[error.code] ?? 0) + 1;
        // A dead connection fails every request at once: stop this slot rather than spin.
        if (client.closed) finishSlot();
        else issue(slot);
      };
      if (op.kind === 'read') client.submitGet(op.key, op.level, onResult);
      else client.submitPut(op.kind, op.key, nextValue(), op.level, onResult);
    };
    active = Math.max(1, input.inflight);
    for (let slot = 0; slot < active; slot++) issue(slot);
  });
}

function countCoordinator(counts: Map<string, Map<number, number>>, label: string, node: number) {
  let byNode = counts.get(label);
  if (byNode === undefined) {
    byNode = new Map();
    counts.set(label, byNode);
  }
  byNode.set(node, (byNode.get(node) ?? 0) + 1);
}
