import { QuartetError } from '../core/errors.js';
import { decodeBodyAt, encodeBody } from './codec.js';
import type { FrameBudget } from './frame-budget.js';
import { frameHeaderBytes } from './limits.js';

/** One frame: a 4-byte big-endian body length, then a MessagePack body. */
export function encodeFrame(message: unknown): Buffer {
  const body = encodeBody(message);
  const frame = Buffer.allocUnsafe(frameHeaderBytes + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, frameHeaderBytes);
  return frame;
}

/**
 * A frame over the limit by up to this factor has its body read and skipped, and the connection
 * goes on (a value a little too big); past it the stream is taken for garbage and closed.
 */
export const oversizeSkipFactorMax = 8;

export interface FrameDecoderOptions {
  /** Shared bound on the bytes of incomplete frames; `push` throws OVERLOADED past it. */
  budget?: FrameBudget;
  /**
   * Told of a frame over the limit (its body is skipped as it arrives) or a body that is not
   * MessagePack, and decoding goes on. Without it, `push` throws those errors instead.
   */
  onFrameError?: (error: QuartetError) => void;
}

/**
 * Splits a byte stream into decoded frames. Chunks of a frame still arriving are kept as they
 * came and joined once, when the frame is whole. Throws QuartetError: TOO_LARGE or BAD_REQUEST
 * (without `onFrameError`), OVERLOADED when the budget cannot hold an incomplete frame; the
 * stream cannot continue after a throw.
 */
export class FrameDecoder {
  readonly frameBytesMax: number;
  #budget: FrameBudget | undefined;
  readonly #onFrameError: ((error: QuartetError) => void) | undefined;
  /** Received chunks that do not yet make a whole frame, and their total length. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Length of the incomplete frame, header included, once its header is in. */
  #frameBytes = 0;
  /** Bytes of an oversized frame's body still to be skipped. */
  #skipBytes = 0;

  constructor(frameBytesMax: number, options: FrameDecoderOptions = {}) {
    this.frameBytesMax = frameBytesMax;
    this.#budget = options.budget;
    this.#onFrameError = options.onFrameError;
  }

  /** Bytes received that do not yet make a whole frame. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  push(chunk: Buffer): unknown[] {
    const messages: unknown[] = [];
    let data = chunk;
    if (this.#skipBytes > 0) {
      const skipped = Math.min(this.#skipBytes, data.length);
      this.#skipBytes -= skipped;
      data = data.subarray(skipped);
    }
    if (data.length === 0) return messages;
    if (this.#pendingBytes > 0) {
      if (this.#frameBytes === 0) {
        // Fewer than four bytes wait for their header: join them to the chunk.
        data = Buffer.concat([...this.#pending, data]);
        this.release();
      } else if (this.#pendingBytes + data.length < this.#frameBytes) {
        this.#hold(data, data.length);
        return messages;
      } else {
        const rest = this.#frameBytes - this.#pendingBytes;
        const frame = Buffer.concat([...this.#pending, data.subarray(0, rest)], this.#frameBytes);
        this.release();
        this.#decode(frame, frameHeaderBytes, frame.length, messages);
        data = data.subarray(rest);
      }
    }
    this.#split(data, messages);
    return messages;
  }

  /** Stops charging incomplete frames to the budget (a trusted peer's), giving back what they hold. */
  leaveBudget(): void {
    this.#budget?.give(this.#pendingBytes);
    this.#budget = undefined;
  }

  /** Gives back what the incomplete frame held, e.g. when its connection closes. */
  release(): void {
    this.#budget?.give(this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#frameBytes = 0;
  }

  #split(data: Buffer, messages: unknown[]): void {
    let offset = 0;
    while (data.length - offset >= frameHeaderBytes) {
      const length = data.readUInt32BE(offset);
      const end = offset + frameHeaderBytes + length;
      if (length > this.frameBytesMax * oversizeSkipFactorMax) {
        // Far past any real request (random bytes, another protocol): not worth reading through.
        throw new QuartetError(
          'TOO_LARGE',
          `Frame of ${length} bytes is over ${oversizeSkipFactorMax} times the limit of ${this.frameBytesMax} bytes; this does not look like a quartet frame, so the connection is closed.`,
        );
      }
      if (length > this.frameBytesMax) {
        this.#refuse(
          new QuartetError(
            'TOO_LARGE',
            `Frame of ${length} bytes is over the limit of ${this.frameBytesMax} bytes; send smaller keys and values.`,
          ),
        );
        if (data.length < end) {
          this.#skipBytes = end - data.length;
          return;
        }
      } else if (data.length < end) {
        break;
      } else {
        this.#decode(data, offset + frameHeaderBytes, end, messages);
      }
      offset = end;
    }
    if (offset === data.length) return;
    // A copy, so that a few bytes left over do not keep a whole received chunk alive.
    const rest = Buffer.from(data.subarray(offset));
    this.#hold(rest, rest.length);
    if (rest.length >= frameHeaderBytes) this.#frameBytes = frameHeaderBytes + rest.readUInt32BE(0);
  }

  #hold(piece: Buffer, bytes: number): void {
    try {
      this.#budget?.take(bytes);
    } catch (error) {
      this.release();
      throw error;
    }
    this.#pending.push(piece);
    this.#pendingBytes += bytes;
  }

  #decode(data: Buffer, start: number, end: number, messages: unknown[]): void {
    try {
      messages.push(decodeBodyAt(data, start, end));
    } catch (error) {
      this.#refuse(
        new QuartetError(
          'BAD_REQUEST',
          `Frame body is not valid MessagePack (${end - start} bytes); quartet frames are a 4-byte big-endian length and a MessagePack body.`,
          { cause: error },
        ),
      );
    }
  }

  #refuse(error: QuartetError): void {
    if (this.#onFrameError === undefined) {
      this.release();
      throw error;
    }
    this.#onFrameError(error);
  }
}
