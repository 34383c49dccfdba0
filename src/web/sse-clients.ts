import type { ServerResponse } from 'node:http';
import { webClientBufferedBytesMax, webClientsMax } from './web-bounds.js';

/** What one page's stream has cost and lost, for the page and for `GET /api/stats`. */
export interface StreamStats {
  id: number;
  sentBytes: number;
  sentMessages: number;
  bufferedBytes: number;
  droppedMessages: number;
  /** Trace events inside the dropped messages. */
  droppedEvents: number;
  openMs: number;
}

interface Client {
  response: ServerResponse;
  stats: StreamStats;
  openedMs: number;
}

/**
 * The open Server-Sent Events streams. A message goes to every page whose stream has less than
 * webClientBufferedBytesMax unsent; a page over it loses the message, and the loss is counted.
 */
export class SseClients {
  readonly #clients = new Map<number, Client>();
  #nextId = 1;

  get size(): number {
    return this.#clients.size;
  }

  get full(): boolean {
    return this.#clients.size >= webClientsMax;
  }

  /** Starts the stream on `response`; returns its id. The caller checked `full`. */
  open(response: ServerResponse, onClose: () => void): number {
    const id = this.#nextId++;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const stats: StreamStats = {
      id,
      sentBytes: 0,
      sentMessages: 0,
      bufferedBytes: 0,
      droppedMessages: 0,
      droppedEvents: 0,
      openMs: 0,
    };
    this.#clients.set(id, { response, stats, openedMs: performance.now() });
    response.on('close', () => {
      this.#clients.delete(id);
      onClose();
    });
    return id;
  }

  /** Sends to every stream; `events` is how many trace events the message holds. */
  broadcast(name: string, data: unknown, events = 0): void {
    if (this.#clients.size === 0) return;
    const text = formatMessage(name, data);
    for (const client of this.#clients.values()) this.#write(client, text, events);
  }

  /** Sends to one stream (the snapshot a page starts from). */
  send(id: number, name: string, data: unknown): void {
    const client = this.#clients.get(id);
    if (client !== undefined) this.#write(client, formatMessage(name, data), 0);
  }

  /** Sends each stream its own figures. */
  sendStats(): void {
    for (const client of this.#clients.values())
      this.#write(client, formatMessage('stats', this.#statsOf(client)), 0);
  }

  stats(): StreamStats[] {
    return [...this.#clients.values()].map((client) => this.#statsOf(client));
  }

  closeAll(): void {
    for (const client of this.#clients.values()) client.response.destroy();
    this.#clients.clear();
  }

  #statsOf(client: Client): StreamStats {
    client.stats.bufferedBytes = client.response.writableLength;
    client.stats.openMs = Math.round(performance.now() - client.openedMs);
    return { ...client.stats };
  }

  #write(client: Client, text: string, events: number): void {
    const { response, stats } = client;
    const bytes = Buffer.byteLength(text);
    // What the write queues, as `writableLength` counts it: the stream has no length, so each
    // write is an HTTP/1.1 chunk, its size in hex and two CRLFs around the text.
    if (response.writableLength + wireBytes(bytes) > webClientBufferedBytesMax) {
      stats.droppedMessages++;
      stats.droppedEvents += events;
      return;
    }
    response.write(text);
    stats.sentBytes += bytes;
    stats.sentMessages++;
  }
}

/** The bytes a write of `bytes` puts on the connection as one chunk (counted so when not chunked). */
export function wireBytes(bytes: number): number {
  return bytes.toString(16).length + 2 + bytes + 2;
}

export function formatMessage(name: string, data: unknown): string {
  // JSON.stringify writes no raw newline, so one `data:` line holds the message.
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
