import { createWriteStream, type WriteStream } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { isErrorCode, QuartetError } from '../core/errors.js';
import type { ControlMessage, NodeReport } from '../protocol/control.js';
import type { RunNodeOptions } from '../node/main.js';
import { traceMessagesBeforeEnv, traceOriginEnv } from '../node/trace-env.js';
import { checkBundle } from './bundle-files.js';

/** V8's young-generation semi-space size for node processes, in MiB. */
export const nodeSemiSpaceMb = 4;

/**
 * The script a node process runs: `runNode` without the CLI (node-entry.ts), bundled by
 * `npm run build` (scripts/bundle.mjs) into a few files that load in less CPU than the ES
 * modules of dist/src (bench/README.md, "Startup"). Every launcher forks this one file.
 */
const nodeEntryFile = 'node/node-entry.js';

export type NodeProcessState = 'starting' | 'up' | 'paused' | 'down';

export interface NodeProcessOptions {
  id: number;
  configPath: string;
  delayUnit?: 'ms' | 's';
  secret: string;
  seed?: number;
  logFile: string;
  /** Where the nodes keep their data (the node's own is DATA_DIR/node-N); unused `inMemory`. */
  dataDir?: string;
  inMemory?: boolean;
  /** Each log line of the node, for `--logs`. */
  onLogLine?: (id: number, line: string) => void;
  onReport?: (report: NodeReport) => void;
  onExit?: (id: number) => void;
  /** Trace: the orchestrator's start on the host clock (µs); the node sends its events. */
  traceOriginUs?: number;
}

/** One node child process, forked with an IPC channel; its output goes to its log file. */
export class NodeProcess {
  readonly id: number;
  readonly #options: NodeProcessOptions;
  #child: ChildProcess | undefined;
  #log: WriteStream | undefined;
  #state: NodeProcessState = 'down';
  #pid: number | undefined;
  #nextControlId = 1;
  readonly #controlAcks = new Map<number, () => void>();

  constructor(options: NodeProcessOptions) {
    this.id = options.id;
    this.#options = options;
  }

  get state(): NodeProcessState {
    return this.#state;
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  /** Forks the node and resolves once it listens; rejects with the node's own startup error. */
  /** `tracedMessagesBefore`: the last message number the node's earlier runs traced. */
  start(
    options: { fresh?: boolean; tracedMessagesBefore?: number } = {},
    readyTimeoutMs = 15_000,
  ): Promise<void> {
    const { id, configPath, delayUnit, secret, seed, logFile, dataDir, inMemory } = this.#options;
    let nodeEntryPath: string;
    try {
      nodeEntryPath = checkBundle(nodeEntryFile);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const nodeOptions: RunNodeOptions = { config: resolve(configPath), id };
    if (inMemory === true) nodeOptions.inMemory = true;
    else if (dataDir !== undefined) nodeOptions.dataDir = dataDir;
    if (options.fresh === true) nodeOptions.fresh = true;
    if (delayUnit !== undefined) nodeOptions.delayUnit = delayUnit;
    if (seed !== undefined) nodeOptions.seed = seed;
    this.#log ??= createWriteStream(logFile, { flags: 'a' });
    // node:child_process itself, not execa: loading execa's ~100 modules cost `quartet up` ~20 ms
    // of CPU (bench/README.md, "Startup"), and a node's exits are watched through 'exit' anyway.
    const child = fork(nodeEntryPath, [JSON.stringify(nodeOptions)], {
      // A young generation of 4 MiB semi-spaces instead of V8's 16: about 20 MB less RSS per node
      // under load, at no CPU cost measurable with `quartet bench` (bench/README.md). The
      // orchestrator's own Node flags come after, so a user's choice wins.
      execArgv: [`--max-semi-space-size=${nodeSemiSpaceMb}`, ...process.execArgv],
      // Structured clone: a trace batch's bytes cross without JSON (docs/trace.md).
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        QUARTET_SECRET: secret,
        NO_COLOR: '1',
        // msgpackr's native string decoder loads node-gyp-build, detect-libc and child_process
        // (13 ms of a node's start) and decodes the nodes' short strings no faster.
        MSGPACKR_NATIVE_ACCELERATION_DISABLED: 'true',
        ...(this.#options.traceOriginUs === undefined
          ? {}
          : {
              [traceOriginEnv]: String(this.#options.traceOriginUs),
              [traceMessagesBeforeEnv]: String(options.tracedMessagesBefore ?? 0),
            }),
      },
    });
    this.#child = child;
    this.#state = 'starting';
    this.#pid = child.pid;
    this.#pipeOutput(child);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle(
          new QuartetError(
            'NODE_START_FAILED',
            `Node ${id} was not ready within ${readyTimeoutMs} ms; see ${logFile}.`,
          ),
        );
      }, readyTimeoutMs);
      // A fork that fails (too many processes) or a send to a closed channel: logged, and a start
      // that has not ended fails with it.
      child.on('error', (error) => {
        this.#log?.write(`quartet: node process error: ${error.message}\n`);
        settle(
          new QuartetError('NODE_START_FAILED', `Node ${id} could not start: ${error.message}`),
        );
      });
      child.on('message', (message: unknown) => {
        const report = message as NodeReport;
        if (report.type === 'ready') {
          this.#state = 'up';
          settle();
        } else if (report.type === 'control-ack') {
          this.#controlAcks.get(report.id)?.();
          this.#controlAcks.delete(report.id);
        } else if (report.type === 'fatal') {
          settle(
            new QuartetError(
              isErrorCode(report.code) ? report.code : 'NODE_START_FAILED',
              report.message,
            ),
          );
        }
        this.#options.onReport?.(report);
      });
      child.on('exit', () => {
        // A node that died no longer applies anything: release whoever waits for it.
        for (const release of this.#controlAcks.values()) release();
        this.#controlAcks.clear();
        if (this.#child === child) {
          this.#state = 'down';
          this.#options.onExit?.(id);
        }
        settle(
          new QuartetError(
            'NODE_START_FAILED',
            `Node ${id} exited before it was ready; see ${logFile}.`,
          ),
        );
      });
    });
  }

  /** Sends a control message; resolves once the node applied it (at once when it is not running). */
  control(message: ControlMessage): Promise<void> {
    const child = this.#child;
    if (child === undefined || !child.connected || this.#state === 'down') return Promise.resolve();
    const id = this.#nextControlId++;
    // A paused node applies it on resume; waiting for its answer would wait for the resume.
    if (this.#state === 'paused') {
      child.send({ ...message, id });
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.#controlAcks.set(id, resolve);
      child.send({ ...message, id });
    });
  }

  /** Resolves once the node's trace events so far reached this process (at once when not running). */
  flushTrace(): Promise<void> {
    const child = this.#child;
    if (child === undefined || !child.connected || this.#state !== 'up') return Promise.resolve();
    const id = this.#nextControlId++;
    return new Promise<void>((resolve) => {
      this.#controlAcks.set(id, resolve);
      child.send({ type: 'trace-flush', id });
    });
  }

  /** SIGKILL, as a crash: resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  async stop(graceMs = 2000): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    if (this.#state === 'paused') child.kill('SIGCONT');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.#signal('SIGTERM');
    clearTimeout(timer);
  }

  pause(): void {
    if (this.#child?.kill('SIGSTOP')) this.#state = 'paused';
  }

  resume(): void {
    if (this.#child?.kill('SIGCONT')) this.#state = 'up';
  }

  async closeLog(): Promise<void> {
    const log = this.#log;
    this.#log = undefined;
    if (log !== undefined) await new Promise<void>((resolve) => log.end(resolve));
  }

  async #signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.#state = 'down';
  }

  #pipeOutput(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        this.#log?.write(chunk);
        if (this.#options.onLogLine === undefined) return;
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.#options.onLogLine(this.id, line);
      });
    }
  }
}
