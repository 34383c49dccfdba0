// Opening a connection to a node: connect, then wait (bounded) for its welcome frame.
import { connect, type Socket } from 'node:net';
import { QuartetError } from '../core/errors.js';
import type { WireLimits } from '../core/messages.js';
import { FrameDecoder } from '../protocol/frame.js';
import { clientFrameBytesMax } from '../protocol/limits.js';
import type { ConnectOptions } from './client.js';
import { limitsOf } from './node-frames.js';

/** What the node said in its welcome. */
export interface Welcome {
  nodeId: number;
  /** The sizes the node accepts. */
  limits: WireLimits | undefined;
  /** The node's nonce: the server half of an operator handshake. */
  nonce: Uint8Array | undefined;
}

export interface Welcomed {
  socket: Socket;
  decoder: FrameDecoder;
  welcome: Welcome;
  /** Frames that came in the welcome's chunk after it. */
  rest: unknown[];
}

/** Connects and resolves at the node's welcome; NODE_UNREACHABLE without one in time. */
export function openWelcomed(options: ConnectOptions): Promise<Welcomed> {
  const { host, port, connectTimeoutMs = 5000 } = options;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    const decoder = new FrameDecoder(clientFrameBytesMax);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new QuartetError(
          'NODE_UNREACHABLE',
          `Cannot reach a node at ${host}:${port}: ${error.message}. Is it running?`,
          { cause: error },
        ),
      );
    };
    const timer = setTimeout(
      () => fail(new Error(`no welcome within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
    socket.on('error', fail);
    socket.once('data', (chunk) => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.on('error', () => {});
      let welcome: Record<string, unknown> | undefined;
      let rest: unknown[] = [];
      try {
        [welcome, ...rest] = decoder.push(chunk) as Record<string, unknown>[];
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (welcome?.type !== 'welcome' || typeof welcome.nodeId !== 'number') {
        fail(new Error('it did not greet as a quartet node'));
        return;
      }
      const nonce = welcome.nonce instanceof Uint8Array ? welcome.nonce : undefined;
      const greeting = { nodeId: welcome.nodeId, limits: limitsOf(welcome), nonce };
      resolve({ socket, decoder, welcome: greeting, rest });
    });
  });
}
