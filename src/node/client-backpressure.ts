import type { Socket } from 'node:net';
import type { ClientReply } from '../core/messages.js';
import type { FrameWriter } from '../protocol/frame-writer.js';
import { writeBufferBytesMax } from '../protocol/limits.js';
import { requestIdOf } from '../protocol/validate.js';

// A client connection's replies under the reply-buffer bound: what the server writes when a
// client reads slower than it asks.

/**
 * A reply to a client, unless the connection's unsent replies are over their bound: then a small
 * OVERLOADED error takes the place of a reply, and a repair event is left out.
 */
export function sendToClient(writer: FrameWriter, reply: ClientReply | unknown[]): void {
  if (!writer.full || (!Array.isArray(reply) && reply.type === 'error')) {
    writer.write(reply);
    return;
  }
  if (!Array.isArray(reply) && reply.type === 'repair-event') return;
  writer.write({
    type: 'error',
    id: requestIdOf(reply),
    error: {
      code: 'OVERLOADED',
      message: `Over ${writeBufferBytesMax} bytes of replies are waiting for this connection to read them; read replies before sending more requests.`,
    },
  });
}

/** Stops reading from a connection until what it has not read of its replies drains. */
export function pauseUntilDrained(socket: Socket, writer: FrameWriter): void {
  if (socket.isPaused()) return;
  socket.pause();
  const onDrain = () => {
    if (writer.full) socket.once('drain', onDrain);
    else socket.resume();
  };
  socket.once('drain', onDrain);
}
