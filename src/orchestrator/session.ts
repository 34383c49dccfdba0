import { setTimeout as sleep } from 'node:timers/promises';
import type { Sent } from '../client/client.js';
import { QuartetError, toErrorRecord } from '../core/errors.js';
import type { OpResult } from '../core/messages.js';
import { LinkTable } from '../core/links.js';
import { OperationError } from '../core/operation-error.js';
import type { ClusterHandle } from '../launcher/cluster-handle.js';
import { isFaultCommand, type Command, type ParsedLine } from './commands.js';
import { injectFault, runAntiEntropy } from './fault-commands.js';
import { isData, toOpRecord, type DataCommand } from './op-record.js';
import { explainKey } from './explain.js';
import { renderTraceCommand } from '../trace/text-diagram.js';
import { traceOpMax } from '../protocol/limits.js';
import { describeNodes, readContents, searchKey } from './inspect.js';
import type { CommandRecord, OpRecord, OutputRecord } from './records.js';
import { RepairWatch } from './repair-watch.js';
import { withTimeout } from './with-timeout.js';
import { SessionLog } from './session-log.js';
import { saveSession } from './save-command.js';

export interface SessionOptions {
  cluster: ClusterHandle;
  /** Every record, as soon as it exists: results, repairs, and command outcomes. */
  emit: (record: OutputRecord) => void;
  /** The help text, for `help`. */
  helpText: () => string;
  /** The node lines go to until `use N` (a node's own prompt); default the config's first. */
  firstNode?: number;
  /** The config file the nodes run, for the header and replay command of `save`. */
  configPath?: string;
}

/**
 * Runs parsed lines against a cluster, one record per line, and reports read repairs as they
 * arrive. The prompt and the batch runner share it.
 */
export class Session {
  readonly #options: SessionOptions;
  readonly #cluster: ClusterHandle;
  readonly #repairs: RepairWatch;
  readonly #background = new Set<Promise<unknown>>();
  /** The links' delays as `explain` counts them: the config's, then the `delay` directives. */
  readonly #links: LinkTable;
  /** Every line run, with what it returned, for `save`. */
  readonly #log: SessionLog;
  #seq = 0;
  #currentNode: number;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#cluster = options.cluster;
    this.#currentNode = options.firstNode ?? this.#cluster.nodeIds[0]!;
    this.#links = new LinkTable(this.#cluster.config);
    this.#log = new SessionLog(this.#currentNode);
    this.#repairs = new RepairWatch(this.#cluster, (record) => {
      this.#log.addRepair(record);
      this.#options.emit(record);
    });
  }

  get currentNode(): number {
    return this.#currentNode;
  }

  /** Runs one line; a background line (`&`) returns at once and emits its record later. */
  async execute(parsed: ParsedLine): Promise<OutputRecord> {
    const seq = ++this.#seq;
    const node = parsed.node ?? this.#currentNode;
    this.#log.begin(seq, parsed);
    const run = this.#run(parsed, seq, node).then((record) => {
      if (record.type !== 'repair') this.#log.complete(record);
      this.#options.emit(record);
      return record;
    });
    if (!parsed.background) return run;
    this.#background.add(run);
    void run.finally(() => this.#background.delete(run));
    return {
      type: 'command',
      seq,
      node,
      op: parsed.command.kind,
      ok: true,
      latencyMs: 0,
      message: 'started in the background',
    };
  }

  /** A line that did not parse: `save` keeps it in the file as a comment. */
  logUnparsed(source: string, message: string): void {
    this.#log.addUnparsed(source, message);
  }

  /** Waits for every background command, then for every read's repairs. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#background]);
  }

  async #run(parsed: ParsedLine, seq: number, node: number): Promise<OutputRecord> {
    const { command } = parsed;
    const startMs = performance.now();
    const line = parsed.line;
    try {
      if (!this.#cluster.isNode(node)) {
        throw new QuartetError(
          'BAD_COMMAND',
          `There is no node ${node}; the nodes are ${this.#cluster.nodeIds.join(', ')}.`,
        );
      }
      switch (command.kind) {
        case 'insert':
        case 'update':
        case 'delete':
        case 'get':
          return await this.#runData(command, seq, node, line);
        default: {
          const extra = await this.#runCommand(command, node, parsed.node);
          return {
            type: 'command',
            seq,
            line,
            node,
            op: command.kind,
            ok: true,
            latencyMs: elapsed(startMs),
            ...(isFaultCommand(command) ? { fault: command } : {}),
            ...extra,
          };
        }
      }
    } catch (error) {
      const base = {
        seq,
        line,
        node,
        ok: false,
        latencyMs: elapsed(startMs),
        error: toErrorRecord(error),
      };
      if (isData(command)) return this.#failedOp(command, base);
      return { type: 'command', op: command.kind, ...base };
    }
  }

  async #runData(command: DataCommand, seq: number, node: number, line: number): Promise<OpRecord> {
    const client = await this.#cluster.client(node);
    this.#repairs.hook(client);
    const startMs = performance.now();
    // The node names the operation in the trace by its history id (`--history`), the seq.
    const traceOp = seq <= traceOpMax ? seq : undefined;
    let sent: Sent<OpResult>;
    switch (command.kind) {
      case 'get':
        sent = client.sendGet(command.key, command.level, traceOp);
        this.#repairs.trackRead(node, sent.id, seq, line);
        break;
      case 'delete':
        sent = client.sendDelete(command.key, command.level, traceOp);
        break;
      default:
        sent = client.sendPut(command.kind, command.key, command.value, command.level, traceOp);
    }
    // A coordinator always answers within its request timeout; one that does not is paused or
    // overloaded, and the prompt must not hang on it.
    const answerWithinMs = this.#cluster.config.requestTimeoutMs * 2 + 1000;
    sent.reply.catch(() => {});
    try {
      const result = await withTimeout(sent.reply, answerWithinMs, undefined);
      if (result === undefined) {
        throw new QuartetError(
          'TIMEOUT',
          `Node ${node} did not answer within ${answerWithinMs} ms; it may be paused (\`resume ${node}\`) or overloaded.`,
        );
      }
      return toOpRecord(result, { seq, line, node, latencyMs: elapsed(startMs) });
    } catch (error) {
      const record = this.#failedOp(command, {
        seq,
        line,
        node,
        ok: false,
        latencyMs: elapsed(startMs),
        error: toErrorRecord(error),
      });
      // The coordinator's view at the failure: who answered, who was pending, who was down.
      if (error instanceof OperationError) {
        record.acks = error.result.acks;
        record.required = error.result.required;
        record.replicas = error.result.replicas;
      }
      return record;
    }
  }

  #requireNode(node: number): void {
    if (this.#cluster.isNode(node)) return;
    const nodes = this.#cluster.nodeIds.join(', ');
    throw new QuartetError('BAD_COMMAND', `There is no node ${node}; the nodes are ${nodes}.`);
  }

  async #runCommand(
    command: Command,
    node: number,
    explicitNode?: number,
  ): Promise<Partial<CommandRecord>> {
    const cluster = this.#cluster;
    switch (command.kind) {
      case 'use':
        this.#requireNode(command.node);
        this.#currentNode = command.node;
        return { node: command.node, message: `commands now go to node ${command.node}` };
      case 'status': {
        if (command.node !== undefined) this.#requireNode(command.node);
        const status = await describeNodes(cluster);
        const { requestTimeoutMs: ms, requestTimeoutSource: source } = cluster.config;
        return {
          status: status.filter((s) => command.node === undefined || s.id === command.node),
          requestTimeout: { ms, source },
        };
      }
      case 'show-all':
        return { contents: await readContents(cluster, explicitNode) };
      case 'search':
        return { search: await searchKey(cluster, command.key) };
      case 'explain': {
        const { key, level } = command;
        const input = { cluster, key, coordinator: node, links: this.#links };
        return { explain: await explainKey(level === undefined ? input : { ...input, level }) };
      }
      case 'trace': {
        if (cluster.recentTrace === undefined)
          throw new QuartetError(
            'BAD_COMMAND',
            '`trace` needs nodes this orchestrator started (the trace comes over their IPC channel); run without --attach.',
          );
        const trace = await cluster.recentTrace();
        return { message: renderTraceCommand(trace, command.key).join('\n') };
      }
      case 'help':
        return { message: this.#options.helpText() };
      case 'quit':
        return { message: 'bye' };
      case 'save': {
        // The file asserts what background lines returned and what read repairs did.
        await this.drain();
        await this.settleRepairs(cluster.config.requestTimeoutMs * 2);
        const { configPath } = this.#options;
        const log = this.#log.snapshot();
        const input = { command, log, config: cluster.config };
        return saveSession(configPath === undefined ? input : { ...input, configPath });
      }
      case 'kill':
      case 'restart':
      case 'pause':
      case 'resume':
      case 'partition':
      case 'heal':
      case 'loss':
      case 'skew':
        return injectFault(cluster, command);
      case 'delay': {
        const outcome = await injectFault(cluster, command);
        if (command.from === undefined) this.#links.setServerDelay(command.to, command.delayMs);
        else this.#links.setLinkDelay(command.from, command.to, command.delayMs);
        return outcome;
      }
      case 'repair':
        return runAntiEntropy(cluster, command.node);
      case 'sleep':
        await sleep(command.ms);
        return { message: `slept ${command.ms} ms` };
      case 'wait':
        await this.drain();
        if (command.what === 'repairs') await this.#repairs.waitForAll();
        return {
          message:
            command.what === 'repairs' ? 'no read repair pending' : 'all background commands done',
        };
      default:
        throw new QuartetError('BAD_COMMAND', `\`${command.kind}\` cannot run here.`);
    }
  }

  /** Waits until no read repair is pending, or `maxMs` passed; true when none is pending. */
  settleRepairs(maxMs: number): Promise<boolean> {
    return this.#repairs.settle(maxMs);
  }

  #failedOp(
    command: DataCommand,
    base: Omit<
      OpRecord,
      'type' | 'op' | 'key' | 'level' | 'value' | 'found' | 'acks' | 'required' | 'replicas'
    >,
  ): OpRecord {
    return {
      type: 'op',
      op: command.kind,
      key: command.key,
      level: command.level ?? this.#cluster.config.defaultLevel,
      value: command.kind === 'insert' || command.kind === 'update' ? command.value : null,
      found: false,
      acks: 0,
      required: 0,
      replicas: [],
      ...base,
    };
  }
}

function elapsed(startMs: number): number {
  return Math.round((performance.now() - startMs) * 1000) / 1000;
}
