import { QuartetError } from '../core/errors.js';
import { decodeBodyAt, encodeBody } from './codec.js';
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
 * Splits a byte stream into decoded frames. Throws QuartetError (TOO_LARGE or BAD_REQUEST) on a
 * frame over the limit or a body that is not MessagePack; the stream cannot continue after that.
 */
export class FrameDecoder {
  readonly frameBytesMax: number;
  #pending: Buffer | undefined;

  constructor(frameBytesMax: number) {
    this.frameBytesMax = frameBytesMax;
  }

  /** Bytes received that do not yet make a whole frame. */
  get bufferedBytes(): number {
    return this.#pending?.length ?? 0;
  }

  push(chunk: Buffer): unknown[] {
    const data = this.#pending === undefined ? chunk : Buffer.concat([this.#pending, chunk]);
    const messages: unknown[] = [];
    let offset = 0;
    while (data.length - offset >= frameHeaderBytes) {
      const length = data.readUInt32BE(offset);
      if (length > this.frameBytesMax) {
        this.#pending = undefined;
        throw new QuartetError(
          'TOO_LARGE',
          `Frame of ${length} bytes is over the limit of ${this.frameBytesMax} bytes; send smaller keys and values.`,
        );
      }
      const end = offset + frameHeaderBytes + length;
      if (data.length < end) break;
      messages.push(decodeFrameBody(data, offset + frameHeaderBytes, end));
      offset = end;
    }
    this.#pending = offset === data.length ? undefined : data.subarray(offset);
    return messages;
  }
}

function decodeFrameBody(data: Buffer, start: number, end: number): unknown {
  try {
    return decodeBodyAt(data, start, end);
  } catch (error) {
    throw new QuartetError(
      'BAD_REQUEST',
      `Frame body is not valid MessagePack (${end - start} bytes); quartet frames are a 4-byte big-endian length and a MessagePack body.`,
      { cause: error },
    );
  }
}
