import { stripVTControlCharacters } from 'node:util';
import { QuartetError } from '../core/errors.js';
import type { ClusterHandle } from '../launcher/cluster-handle.js';
import type { TraceSink } from '../launcher/trace-sink.js';
import type { LiveRecord } from '../web/live-feed.js';
import { isLoopback } from '../web/web-guard.js';
import { startWebServer, type WebServer } from '../web/web-server.js';
import { describeNodes, searchKey } from './inspect.js';
import type { LineRunner } from './line-runner.js';
import type { OutputRecord } from './records.js';
import type { Reporter } from './report/reporter.js';
import { TableReporter } from './report/table-reporter.js';

/** `quartet up --web [--web-port P] [--web-host H]`. */
export interface LivePageOptions {
  web?: boolean;
  webPort?: number;
  webHost?: string;
}

/** The address the page listens on; refuses, before any node starts, one that is every address. */
export function checkWebHost(options: LivePageOptions): string {
  const host = options.webHost ?? '127.0.0.1';
  if (host === '0.0.0.0' || host === '::' || host === '')
    throw new QuartetError(
      'USAGE',
      `--web-host ${host || '""'} listens on every address, and the page checks the Host it is asked for; name one address (127.0.0.1 by default).`,
    );
  return host;
}

/** The columns the page's result rows are laid out for (the prompt's table at this width). */
const pageRowColumns = 120;

/**
 * Serves the live page for one prompt: its records are the Session's (`subscribe`), its lines
 * go through the prompt's LineRunner, so page and terminal show the same rows in one order.
 */
export async function startLivePage(
  options: LivePageOptions,
  parts: {
    cluster: ClusterHandle & { trace?: TraceSink | undefined };
    lines: LineRunner;
    reporter: Reporter;
    subscribe: (listener: (record: OutputRecord) => void) => () => void;
  },
): Promise<WebServer> {
  const host = checkWebHost(options);
  const { cluster, lines, reporter } = parts;
  const trace = cluster.trace;
  const server = await startWebServer({
    host,
    port: options.webPort ?? 0,
    source: {
      config: cluster.config,
      ring: cluster.ring,
      readNodes: () => describeNodes(cluster),
      readKey: (key) => searchKey(cluster, key),
      runLine: async (source) => (await lines.run(source, 'page')).record,
      onRecord: (listener) =>
        subscribe(parts.subscribe, listener, cluster.config.replicationFactor),
      ...(trace === undefined ? {} : { onTrace: (listener) => trace.listen(listener) }),
    },
  });
  if (!isLoopback(host))
    reporter.notice(
      `warning: the live page listens on ${host}, not loopback: anyone who can reach it and learns the token drives this cluster.`,
    );
  reporter.notice(`Live page: ${server.url}`);
  return server;
}

// Each record once, as the terminal's table shows it, for every page.
function subscribe(
  source: (listener: (record: OutputRecord) => void) => () => void,
  listener: (record: LiveRecord) => void,
  replicationFactor: number,
): () => void {
  let text = '';
  const table = new TableReporter(
    { write: (chunk) => void (text += chunk) },
    {
      width: () => pageRowColumns,
      replicationFactor,
    },
  );
  return source((record) => {
    text = '';
    table.record(record);
    listener({ record, text: stripVTControlCharacters(text) });
  });
}
