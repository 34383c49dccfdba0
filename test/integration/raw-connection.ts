import { Socket } from 'node:net';
import type { ExecutionContext } from 'ava';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame.js';

type Frame = Record<string, unknown>;

/** A bare TCP connection to a node that speaks frames by hand; the teardown destroys it. */
export class RawConnection {
  readonly socket = new Socket();
  readonly frames: unknown[] = [];
  readonly closed: Promise<void>;
  readonly #waiting: (() => void)[] = [];
  #isClosed = false;
  #consumer: ((frame: unknown) => void) | undefined;

  private constructor(t: ExecutionContext) {
    t.teardown(() => this.socket.destroy());
    const decoder = new FrameDecoder(256 * 1024 * 1024);
    this.socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) {
        if (this.#consumer === undefined) this.frames.push(frame);
        else this.#consumer(frame);
      }
      this.#wake();
    });
    this.socket.on('error', () => {
      // A node that closes on us shows as 'close'; the tests look at that.
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.#isClosed = true;
        this.#wake();
        resolve();
      }),
    );
  }

  static async open(t: ExecutionContext, port: number): Promise<RawConnection> {
    const connection = new RawConnection(t);
    await new Promise<void>((resolve, reject) => {
      connection.socket.once('error', reject);
      connection.socket.connect(port, '127.0.0.1', resolve);
    });
    return connection;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** From now on each frame goes to `consume` instead of `frames` (big replies are not kept). */
  consumeFrames(consume: (frame: unknown) => void): void {
    this.#consumer = consume;
  }

  send(message: unknown): void {
    this.socket.write(encodeFrame(message));
  }

  /** Resolves once frame number `count` (from 1) has arrived; rejects if the socket closes first. */
  async frame(count: number): Promise<Frame> {
    while (this.frames.length < count) {
      if (this.#isClosed) throw new Error(`closed after ${this.frames.length} frames`);
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    return this.frames[count - 1] as Frame;
  }

  #wake(): void {
    for (const wake of this.#waiting.splice(0)) wake();
  }
}

/** A node process's resident set in bytes, from /proc. */
export function readRssBytes(pid: number): Promise<number> {
  return readStatusBytes(pid, 'VmRSS');
}

/** The largest resident set a node process has had since it started (the kernel's VmHWM). */
export function readPeakRssBytes(pid: number): Promise<number> {
  return readStatusBytes(pid, 'VmHWM');
}

async function readStatusBytes(pid: number, field: string): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  if (match === null) throw new Error(`no ${field} for pid ${pid}`);
  return Number(match[1]) * 1024;
}
