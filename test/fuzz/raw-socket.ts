// A raw TCP connection to a node for the network fuzz: send any bytes, collect what comes back.
import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../src/protocol/frame.js';
import { clientFrameBytesMax } from '../../src/protocol/limits.js';

/**
 * How long a raw connection may take to answer or close before the fuzz calls it hung. The
 * attacks run four nodes' worth at once beside writers at `all` (and, in `npm test`, beside other
 * test files on two cores): 10 s was passed twice in a loaded run, never alone.
 */
export const rawAnswerMsMax = 30_000;

export class RawConnection {
  readonly socket: Socket;
  /** Every frame the node sent, in order; `undecodable` when its bytes were not frames. */
  readonly received: unknown[] = [];
  undecodable = false;
  readonly closed: Promise<void>;
  readonly #decoder = new FrameDecoder(clientFrameBytesMax);
  #waiters: { test: (message: unknown) => boolean; resolve: (message: unknown) => void }[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {}); // a reset by the node shows as the close that follows
    socket.on('data', (chunk) => {
      let messages: unknown[];
      try {
        messages = this.#decoder.push(chunk);
      } catch {
        this.undecodable = true;
        socket.destroy();
        return;
      }
      for (const message of messages) {
        this.received.push(message);
        this.#waiters = this.#waiters.filter((waiter) => {
          if (!waiter.test(message)) return true;
          waiter.resolve(message);
          return false;
        });
      }
    });
  }

  /** Connects; resolves once the socket is open (the welcome may still be on its way). */
  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** The first frame (already received or to come) that passes `test`, or undefined at close. */
  next(test: (message: unknown) => boolean): Promise<unknown> {
    const found = this.received.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return withDeadline(
      Promise.race([
        new Promise((resolve) => this.#waiters.push({ test, resolve })),
        this.closed.then(() => undefined),
      ]),
      'a frame',
    );
  }

  /** Half-closes and waits for the node to close its side. */
  async finish(): Promise<void> {
    this.socket.end();
    await withDeadline(this.closed, 'the close');
  }
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`the node sent neither ${what} nor closed within ${rawAnswerMsMax} ms`)),
      rawAnswerMsMax,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
