import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuartetError, type ErrorCode } from '../core/errors.js';
import { LiveFeed, type LiveSource } from './live-feed.js';
import { pageCss } from './page-css.js';
import { renderPageHtml } from './page-html.js';
import { pageScript } from './page-script.js';
import { SseClients } from './sse-clients.js';
import {
  computeWebBodyBytesMax,
  webClientBufferedBytesMax,
  webClientsMax,
  webStatusPollMs,
  webTraceBatchMs,
} from './web-bounds.js';
import { WebGuard, type Refusal } from './web-guard.js';

export interface WebServerOptions {
  host: string;
  /** 0: a free port. */
  port: number;
  source: LiveSource;
}

export interface WebServer {
  /** The page's address with the session token in it. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The live page's HTTP server: the page, its event stream, and the command endpoint. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { source } = options;
  const clients = new SseClients();
  const feed = new LiveFeed(source, clients);
  const bodyBytesMax = computeWebBodyBytesMax(source.config);
  let guard: WebGuard | undefined;
  const server = createServer((request, response) => {
    if (guard === undefined) return void response.destroy();
    void route({ request, response, guard, feed, clients, source, bodyBytesMax }).catch(
      (error: unknown) => sendError(response, 500, 'INTERNAL', describe(error)),
    );
  });
  const port = await listen(server, options.host, options.port);
  guard = new WebGuard(options.host, port);
  feed.start();
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostInUrl}:${port}/?token=${guard.token}`,
    port,
    close: async () => {
      feed.stop();
      clients.closeAll();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

interface Route {
  request: IncomingMessage;
  response: ServerResponse;
  guard: WebGuard;
  feed: LiveFeed;
  clients: SseClients;
  source: LiveSource;
  bodyBytesMax: number;
}

async function route(context: Route): Promise<void> {
  const { request, response, guard, feed, clients } = context;
  const url = new URL(request.url ?? '/', 'http://page');
  const refusal = guard.check(request, url);
  if (refusal !== undefined) return sendRefusal(response, refusal);
  const where = `${request.method ?? 'GET'} ${url.pathname}`;
  switch (where) {
    case 'GET /':
      response.setHeader('set-cookie', guard.cookie);
      return sendText(response, 'text/html', renderPageHtml());
    case 'GET /page.js':
      return sendText(response, 'text/javascript', pageScript);
    case 'GET /page.css':
      return sendText(response, 'text/css', pageCss);
    case 'GET /events': {
      if (clients.full)
        return sendError(
          response,
          503,
          'OVERLOADED',
          `${webClientsMax} pages are open already (webClientsMax); close one.`,
        );
      const id = clients.open(response, () => {});
      clients.send(id, 'hello', feed.snapshot());
      return feed.refreshNodes();
    }
    case 'GET /api/key': {
      const key = url.searchParams.get('key');
      if (key === null || key === '')
        return sendError(response, 400, 'BAD_REQUEST', 'Name the key: /api/key?key=K.');
      return sendJson(response, 200, await feed.describeKey(key));
    }
    case 'GET /api/stats':
      return sendJson(response, 200, {
        streams: clients.stats(),
        bounds: { webClientsMax, webClientBufferedBytesMax, webTraceBatchMs, webStatusPollMs },
      });
    case 'POST /api/command':
      return runCommand(context);
    default:
      return sendError(
        response,
        404,
        'BAD_REQUEST',
        `There is no \`${where}\` here; open the page at /.`,
      );
  }
}

async function runCommand({ request, response, source, bodyBytesMax }: Route): Promise<void> {
  const body = await readBody(request, bodyBytesMax);
  if (body === undefined) {
    sendError(
      response,
      413,
      'TOO_LARGE',
      `A command request holds at most ${bodyBytesMax} bytes; send a shorter line.`,
    );
    request.destroy();
    return;
  }
  let line: unknown;
  try {
    line = (JSON.parse(body) as { line?: unknown }).line;
  } catch {
    line = undefined; // Not JSON: answered below like JSON without a line.
  }
  if (typeof line !== 'string' || /[\r\n]/.test(line))
    return sendError(
      response,
      400,
      'BAD_REQUEST',
      'Send JSON {"line": "..."} with one prompt line (no newline).',
    );
  const record = await source.runLine(line);
  return sendJson(response, 200, { record: record ?? null });
}

/** The body as text, or undefined once it passes `bytesMax` (the rest is not read). */
async function readBody(request: IncomingMessage, bytesMax: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > bytesMax) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'USAGE';
      reject(
        new QuartetError(
          code,
          `The live page cannot listen on ${host}:${port} (${error.code ?? error.message}); choose another --web-port or --web-host.`,
        ),
      );
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function sendText(response: ServerResponse, type: string, text: string): void {
  response.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
  });
  response.end(text);
}

function sendJson(response: ServerResponse, status: number, data: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(`${JSON.stringify(data)}\n`);
}

function sendRefusal(response: ServerResponse, refusal: Refusal): void {
  sendError(response, refusal.status, refusal.code, refusal.message);
}

function sendError(
  response: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
): void {
  if (response.headersSent) return void response.end();
  sendJson(response, status, { error: { code, message } });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
