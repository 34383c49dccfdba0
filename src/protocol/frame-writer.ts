import type { Socket } from 'node:net';
import { encodeBody } from './codec.js';
import { flatPack, flatPackBound } from './flat-pack.js';
import { frameHeaderBytes } from './limits.js';

/**
 * Frames are packed into chunks that start at the smaller size and double, up to the larger, each
 * time a connection fills one: a quiet connection holds 4 KiB, a busy one 64 KiB. A frame larger
 * than a chunk gets a chunk of its own.
 */
export const writeChunkBytesMin = 4 * 1024;
export const writeChunkBytes = 64 * 1024;

/**
 * Writes frames to a socket. Frames written in one event-loop iteration are packed into one
 * buffer and leave in one system call after the iteration's I/O callbacks (setImmediate): a
 * node answering many requests from one read wakes its peer once, not once per frame.
 */
export interface FrameWriterOptions {
  /** Unsent bytes (packed here or queued in the socket) past which the writer is `full`. */
  unsentBytesMax?: number;
  /** Called when a write makes the writer full: the place to stop reading from the peer. */
  onFull?: () => void;
}

export class FrameWriter {
  readonly #socket: Socket;
  readonly #unsentBytesMax: number;
  readonly #onFull: (() => void) | undefined;
  #chunkBytes = writeChunkBytesMin;
  #chunk: Buffer | undefined;
  /** Bytes of `#chunk` from `#start` to `#end` are packed and not yet written. */
  #start = 0;
  #end = 0;
  #scheduled = false;

  constructor(socket: Socket, options: FrameWriterOptions = {}) {
    this.#socket = socket;
    this.#unsentBytesMax = options.unsentBytesMax ?? Infinity;
    this.#onFull = options.onFull;
  }

  get writable(): boolean {
    return !this.#socket.destroyed && this.#socket.writable;
  }

  /** Bytes written to this writer that the kernel has not taken yet. */
  get unsentBytes(): number {
    return this.#socket.writableLength + (this.#end - this.#start);
  }

  /** Whether the unsent bytes are over the bound: callers should send nothing big. */
  get full(): boolean {
    return this.unsentBytes > this.#unsentBytesMax;
  }

  write(message: unknown): boolean {
    if (!this.writable) return false;
    const bound = Array.isArray(message) ? flatPackBound(message) : -1;
    const wasFull = this.full;
    if (bound >= 0) this.#packFlat(message as unknown[], bound);
    else this.#packBody(encodeBody(message));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
    if (!wasFull && this.full) this.#onFull?.();
    return true;
  }

  /** A positional message, encoded straight into the chunk (src/protocol/flat-pack.ts). */
  #packFlat(message: unknown[], bodyBytesMax: number): void {
    let chunk = this.#chunk;
    const frameBytesMax = frameHeaderBytes + bodyBytesMax;
    if (chunk === undefined || chunk.length - this.#end < frameBytesMax)
      chunk = this.#renew(frameBytesMax);
    const end = flatPack(chunk, this.#end + frameHeaderBytes, message);
    chunk.writeUInt32BE(end - this.#end - frameHeaderBytes, this.#end);
    this.#end = end;
  }

  /** A body msgpackr encoded, copied into the chunk. */
  #packBody(body: Buffer): void {
    const frameBytes = frameHeaderBytes + body.length;
    let chunk = this.#chunk;
    if (chunk === undefined || chunk.length - this.#end < frameBytes)
      chunk = this.#renew(frameBytes);
    chunk.writeUInt32BE(body.length, this.#end);
    body.copy(chunk, this.#end + frameHeaderBytes);
    this.#end += frameBytes;
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
    if (this.#chunk === undefined || this.#end === this.#start) return;
    // The socket may hold on to the bytes until the kernel takes them: they are never reused.
    if (this.writable) this.#socket.write(this.#chunk.subarray(this.#start, this.#end));
    this.#start = this.#end;
  }

  /** Writes what is packed and starts a fresh chunk with room for a frame of `frameBytes`. */
  #renew(frameBytes: number): Buffer {
    this.#writePacked();
    if (this.#chunk !== undefined)
      this.#chunkBytes = Math.min(writeChunkBytes, this.#chunkBytes * 2);
    const chunk = Buffer.allocUnsafe(Math.max(this.#chunkBytes, frameBytes));
    this.#chunk = chunk;
    this.#start = 0;
    this.#end = 0;
    return chunk;
  }
}
