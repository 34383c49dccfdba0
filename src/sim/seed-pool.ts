import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { QuartetError, type ErrorCode } from '../core/errors.js';
import type { ScenarioOverrides } from './random-scenario.js';
import { createSummary, mergeSummary, sortSummary, type SimSummary } from './summary.js';

/** Seeds a worker runs at a time: small enough to keep both cores busy to the end, large enough
 * that a chunk's round trip (a structured clone of its summary) costs nothing beside its runs. */
export const chunkSeedsDefault = 100;

/** One chunk of seeds as a worker is handed it. */
export interface SeedChunk {
  index: number;
  from: number;
  count: number;
  overrides: ScenarioOverrides;
  failuresMax: number;
}

/** A worker's answer: the chunk's summary, or the error that stopped it. */
export type ChunkResult =
  | { index: number; summary: SimSummary }
  | { index: number; error: { message: string; code?: ErrorCode } };

export interface PoolOptions {
  from: number;
  count: number;
  overrides: ScenarioOverrides;
  failuresMax: number;
  workers: number;
  chunkSeeds?: number;
  onProgress?: (done: number) => void;
}

/** The worker count `quartet sim --seeds` uses unless told: one per core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs seeds from..from+count-1 in worker threads, a chunk at a time each, and merges the chunks'
 * summaries in seed order: the summary is the one a single thread gives, whatever finished first.
 */
export async function runSeedsInWorkers(options: PoolOptions): Promise<SimSummary> {
  const startedMs = performance.now();
  const chunkSeeds = options.chunkSeeds ?? chunkSeedsDefault;
  const chunks: SeedChunk[] = [];
  for (let start = 0; start < options.count; start += chunkSeeds) {
    chunks.push({
      index: chunks.length,
      from: options.from + start,
      count: Math.min(chunkSeeds, options.count - start),
      overrides: options.overrides,
      failuresMax: options.failuresMax,
    });
  }
  const summaries: SimSummary[] = new Array(chunks.length);
  let next = 0;
  let done = 0;
  const workers = Array.from(
    { length: Math.max(1, Math.min(options.workers, chunks.length)) },
    () => new Worker(new URL('./seed-worker.js', import.meta.url)),
  );
  // Each worker takes the next chunk until none is left; the first failure stops them all.
  const drive = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const give = () => {
        const chunk = chunks[next++];
        if (chunk === undefined) resolve();
        else worker.postMessage(chunk);
      };
      worker.on('message', (result: ChunkResult) => {
        if ('error' in result) {
          const { message, code } = result.error;
          reject(code === undefined ? new Error(message) : new QuartetError(code, message));
          return;
        }
        summaries[result.index] = result.summary;
        done += result.summary.runs;
        options.onProgress?.(done);
        give();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (next <= chunks.length) reject(new Error(`a simulator worker exited with code ${code}`));
      });
      give();
    });
  try {
    await Promise.all(workers.map(drive));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  const summary = createSummary();
  for (const part of summaries) mergeSummary(summary, part, options.failuresMax);
  sortSummary(summary);
  summary.elapsedMs = performance.now() - startedMs;
  return summary;
}
