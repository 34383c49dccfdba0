import type { Socket } from 'node:net';
import { encodeFrame } from './frame.js';

/**
 * Writes frames to a socket, corked for the rest of the event-loop turn so that many small
 * frames leave in one system call.
 */
export class FrameWriter {
  readonly #socket: Socket;
  #corked = false;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  get writable(): boolean {
    return !this.#socket.destroyed && this.#socket.writable;
  }

  write(message: unknown): boolean {
    if (!this.writable) return false;
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.#socket.uncork();
      });
    }
    this.#socket.write(encodeFrame(message));
    return true;
  }
}
