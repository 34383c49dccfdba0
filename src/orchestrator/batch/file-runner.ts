import type { ClusterHandle } from '../../launcher/cluster-handle.js';
import type { ParsedLine } from '../commands.js';
import { helpText } from '../grammar.js';
import type { CommandRecord, OpRecord, OutputRecord, RepairRecord } from '../records.js';
import { Session } from '../session.js';
import { checkAssertions } from './assertions.js';
import type { BatchReporter } from './batch-reporter.js';
import { MessageCounter } from './message-counter.js';
import { RepairLog } from './repair-log.js';
import type { BatchSource } from './sources.js';
import { summarize } from './summary.js';
import type { FileResult, LineOutcome } from './types.js';
import { withTimeout } from '../with-timeout.js';

export interface FileRunOptions {
  cluster: ClusterHandle;
  source: BatchSource;
  reporter: BatchReporter;
  /** How long `stale N` / `repaired N` and the end of the file wait for repairs. */
  repairWaitMs: number;
  /** Sees every record as it is emitted (`--history`). */
  onRecord?: (record: OutputRecord) => void;
}

type LineRecord = OpRecord | CommandRecord;

// Directives after which a node's message counters are gone or frozen: sample them first.
const sampleBefore = new Set(['kill', 'restart', 'pause']);
const statsTimeoutMs = 1000;

/**
 * Runs one batch file with a fresh Session, like a test runner: every line runs, failed
 * assertions are counted, not thrown. Repairs are shown after the read that caused them.
 */
export function runFile(options: FileRunOptions): Promise<FileResult> {
  return new FileRun(options).run();
}

class FileRun {
  readonly #options: FileRunOptions;
  readonly #session: Session;
  readonly #counter: MessageCounter;
  readonly #repairs = new RepairLog();
  readonly #records = new RecordBox();
  readonly #outcomes: LineOutcome[] = [];
  /** Background lines not finished yet: `wait` and the end of the file join them. */
  readonly #running = new Set<Promise<void>>();
  /** Reads whose row is shown; repairs of other reads wait in #held until it is. */
  readonly #shown = new Set<number>();
  readonly #held = new Map<number, RepairRecord[]>();
  #ended = false;

  constructor(options: FileRunOptions) {
    this.#options = options;
    this.#session = new Session({
      cluster: options.cluster,
      emit: (record) => this.#emit(record),
      helpText,
    });
    this.#counter = new MessageCounter(options.cluster);
  }

  async run(): Promise<FileResult> {
    const { source, reporter, repairWaitMs } = this.#options;
    const startedMs = performance.now();
    await this.#counter.sample();
    reporter.fileStart(source.file);
    for (const parsed of source.lines) {
      await this.#runLine(parsed);
      if (parsed.command.kind === 'quit') break;
    }
    await Promise.all(this.#running);
    await this.#session.drain();
    await this.#session.settleRepairs(repairWaitMs);
    await this.#counter.sample();
    for (const list of this.#held.values()) for (const r of list) reporter.repair(r, source.file);
    this.#ended = true;
    this.#outcomes.sort((a, b) => a.parsed.line - b.parsed.line);
    const summary = summarize({
      file: source.file,
      outcomes: this.#outcomes,
      repairs: this.#repairs.all,
      messages: this.#counter.totals,
      durationMs: performance.now() - startedMs,
    });
    const result = {
      file: source.file,
      lines: this.#outcomes,
      repairs: this.#repairs.all,
      summary,
    };
    reporter.fileEnd(result);
    return result;
  }

  async #runLine(parsed: ParsedLine): Promise<void> {
    const kind = parsed.command.kind;
    if (kind === 'wait') await Promise.all(this.#running);
    if (sampleBefore.has(kind)) await this.#counter.sample();
    const first = await this.#session.execute(parsed);
    if (!parsed.background) return this.#finish(parsed, first as LineRecord);
    const done = this.#records.get(first.seq).then((record) => this.#finish(parsed, record));
    this.#running.add(done);
    void done.finally(() => this.#running.delete(done));
  }

  #emit(record: OutputRecord): void {
    // Whatever comes after the summary (the nodes are stopping) is not part of the file.
    if (this.#ended) return;
    this.#options.onRecord?.(record);
    if (record.type !== 'repair') return this.#records.resolve(record);
    this.#repairs.add(record);
    if (this.#shown.has(record.seq) || record.seq === 0) {
      this.#options.reporter.repair(record, this.#options.source.file);
    } else {
      this.#held.set(record.seq, [...(this.#held.get(record.seq) ?? []), record]);
    }
  }

  async #finish(parsed: ParsedLine, record: LineRecord): Promise<void> {
    const { cluster, source, reporter, repairWaitMs } = this.#options;
    const assertions = await checkAssertions(parsed.assertions, record, {
      boundMs: repairWaitMs,
      waitForRepairs: (matches) =>
        this.#repairs.waitFor(record.seq, matches, {
          boundMs: repairWaitMs,
          isSettled: () => isIdle(cluster, record.node),
        }),
    });
    const outcome: LineOutcome = { file: source.file, parsed, record, assertions };
    if (!record.ok && parsed.assertions.length === 0 && record.error !== undefined) {
      outcome.unexpectedError = record.error;
    }
    this.#outcomes.push(outcome);
    reporter.line(outcome);
    this.#shown.add(record.seq);
    for (const repair of this.#held.get(record.seq) ?? []) reporter.repair(repair, source.file);
    this.#held.delete(record.seq);
  }
}

// The coordinator has no request in flight, so every repair it will report has been reported
// (repair events and the stats reply share one connection, in order). An unreachable
// coordinator reports nothing more; one that does not answer (paused) still may.
function isIdle(cluster: ClusterHandle, node: number): Promise<boolean> {
  const idle = cluster
    .client(node)
    .then((client) => client.stats())
    .then(
      (stats) => stats.activeCoordinations === 0,
      () => true,
    );
  return withTimeout(idle, statsTimeoutMs, false);
}

/** Records by seq: a background line's record arrives after the line was started. */
class RecordBox {
  readonly #waiting = new Map<
    number,
    { promise: Promise<LineRecord>; resolve: (r: LineRecord) => void }
  >();

  resolve(record: LineRecord): void {
    this.#entry(record.seq).resolve(record);
  }

  get(seq: number): Promise<LineRecord> {
    return this.#entry(seq).promise;
  }

  #entry(seq: number): { promise: Promise<LineRecord>; resolve: (r: LineRecord) => void } {
    let entry = this.#waiting.get(seq);
    if (entry === undefined) {
      let resolve!: (r: LineRecord) => void;
      const promise = new Promise<LineRecord>((r) => (resolve = r));
      entry = { promise, resolve };
      this.#waiting.set(seq, entry);
    }
    return entry;
  }
}
