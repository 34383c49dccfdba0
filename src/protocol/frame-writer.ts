import type { Socket } from 'node:net';
import { encodeBody } from './codec.js';
import { frameHeaderBytes } from './limits.js';

/** Frames are packed into chunks of this size; a larger frame gets a chunk of its own. */
export const writeChunkBytes = 64 * 1024;

/**
 * Writes frames to a socket. Frames written in one event-loop iteration are packed into one
 * buffer and leave in one system call after the iteration's I/O callbacks (setImmediate): a
 * node answering many requests from one read wakes its peer once, not once per frame.
 */
export class FrameWriter {
  readonly #socket: Socket;
  #chunk = Buffer.allocUnsafe(writeChunkBytes);
  /** Bytes of `#chunk` from `#start` to `#end` are packed and not yet written. */
  #start = 0;
  #end = 0;
  #scheduled = false;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  get writable(): boolean {
    return !this.#socket.destroyed && this.#socket.writable;
  }

  write(message: unknown): boolean {
    if (!this.writable) return false;
    const body = encodeBody(message);
    const frameBytes = frameHeaderBytes + body.length;
    if (this.#chunk.length - this.#end < frameBytes) this.#renew(frameBytes);
    this.#chunk.writeUInt32BE(body.length, this.#end);
    body.copy(this.#chunk, this.#end + frameHeaderBytes);
    this.#end += frameBytes;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
    return true;
  }

  /** Writes what is packed now, then closes the writing side (the peer reads everything first). */
  end(): void {
    this.#writePacked();
    this.#socket.end();
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    this.#writePacked();
  };

  #writePacked(): void {
    if (this.#end === this.#start) return;
    // The socket may hold on to the bytes until the kernel takes them: they are never reused.
    if (this.writable) this.#socket.write(this.#chunk.subarray(this.#start, this.#end));
    this.#start = this.#end;
  }

  /** Writes what is packed and starts a fresh chunk with room for a frame of `frameBytes`. */
  #renew(frameBytes: number): void {
    this.#writePacked();
    this.#chunk = Buffer.allocUnsafe(Math.max(writeChunkBytes, frameBytes));
    this.#start = 0;
    this.#end = 0;
  }
}
