import { toErrorRecord } from '../core/errors.js';
import type { RunNodeOptions } from '../node/main.js';
import { exitOnSignals, onStopSignal } from './stop-on-signal.js';

/**
 * The node process a launcher forks: `runNode` with the options the launcher passes as one JSON
 * argument, without the CLI (commander and every command's module stay unloaded, which is most
 * of a node's start after Node itself: bench/README.md, "Startup"). `quartet node` on a terminal
 * goes through the CLI and ends in the same `runNode`.
 */
exitOnSignals();
try {
  const options = JSON.parse(process.argv[2] ?? '') as RunNodeOptions;
  const { runNode } = await import('../node/main.js');
  await runNode(options, { onStopSignal: (stop) => void onStopSignal(stop) });
} catch (error) {
  const record = toErrorRecord(error);
  process.stderr.write(`error ${record.code}: ${record.message}\n`);
  process.exitCode = 1;
}
