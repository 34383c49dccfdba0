import { parentPort } from 'node:worker_threads';
import { QuartetError } from '../core/errors.js';
import { runSeedsHere } from './run-seeds.js';
import type { ChunkResult, SeedChunk } from './seed-pool.js';

// A worker thread of `runSeedsInWorkers`: runs each chunk of seeds it is handed, in this thread.
parentPort!.on('message', (chunk: SeedChunk) => {
  void runSeedsHere({
    from: chunk.from,
    count: chunk.count,
    overrides: chunk.overrides,
    failuresMax: chunk.failuresMax,
  }).then(
    (summary) => parentPort!.postMessage({ index: chunk.index, summary } satisfies ChunkResult),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof QuartetError ? error.code : undefined;
      const result: ChunkResult = {
        index: chunk.index,
        error: code === undefined ? { message } : { message, code },
      };
      parentPort!.postMessage(result);
    },
  );
});
