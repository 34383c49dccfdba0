/*
 * Loads a cluster config from JSON (`.json`) or from the original assignment's `config.py`.
 *
 * JSON format (only `servers` is required):
 *
 *   {
 *     "description": "free text, ignored",
 *     "servers": ["127.0.0.1:10000", {"host": "127.0.0.1", "port": 10001}, ["127.0.0.1", 10002]],
 *     "delays": {"127.0.0.1:10000": "150ms", "2": "1.5s", "3": 150},
 *     "delayDistribution": "uniform",            // "uniform" (default) | "fixed" | "exponential"
 *     "fifo": true,                              // default true
 *     "links": [{"from": 1, "to": "127.0.0.1:10001", "delay": "50ms", "loss": "10%"}],
 *     "replicationFactor": 3,                    // default min(3, number of servers)
 *     "defaultLevel": "all",                     // one | two | three | quorum | all (default all)
 *     "readRepair": "background",                // "background" (default) | "blocking" | "off"
 *     "requestTimeoutMs": 5000,                  // or "requestTimeout": "5s"; default derived
 *     "tombstoneGraceMs": 600000,                // or "tombstoneGrace": "10m"; default 10 minutes
 *     "virtualNodes": 64, "keyBytesMax": 1024, "valueBytesMax": 1048576,
 *     "durability": "batch",                     // "sync" | "batch" (default) | "none"
 *     "maxHintWindowMs": 10800000,               // or "maxHintWindow": "3h"; default 3 hours
 *     "heartbeatIntervalMs": 500,                // or "heartbeatInterval": "500ms"; default 500
 *     "suspectAfterMs": 8000,                    // or "suspectAfter"; default derived, see below
 *     "downAfterMs": 16000,                      // or "downAfter"; default 2 · suspectAfterMs
 *     "antiEntropyIntervalMs": 0                 // or "antiEntropyInterval": "1m"; default 0, off
 *   }
 *
 * - Server ids are 1..N in the order of `servers`.
 * - `delays` maps a server ("host:port" or its id) to the mean one-way delay of messages delivered
 *   to it; servers not listed get 0. Values are durations ("150ms", "1.5s", "2m") or bare numbers,
 *   which are milliseconds in JSON and seconds in config.py unless `delayUnit` says otherwise.
 * - `links[].from`/`to` name a server by id or "host:port"; `delay` overrides the per-server delay
 *   on that one-way link, `loss` is a fraction 0..1 or a percentage "0%".."100%".
 * - The other `<name>Ms` settings may be given as `<name>` durations; their bare numbers are ms.
 * - `suspectAfterMs` defaults to 4 heartbeat intervals plus twice the largest practical delay (the
 *   largest delay mean times 2 for uniform, 1 for fixed, 5 for exponential), so a slow but healthy
 *   link is never marked down; downAfterMs > suspectAfterMs > heartbeatIntervalMs.
 * - `requestTimeoutMs` defaults to 1.25 times the slowest practical round trip between two servers
 *   (twice that with a blocking read repair), never below 5000; see request-timeout.ts.
 */
import { extname } from 'node:path';
import { buildConfig } from './build-config.js';
import { badConfig, withSource } from './config-errors.js';
import { parseJsonText, readConfigText } from './config-text.js';
import type { BareUnit } from './durations.js';
import { parsePythonConfig } from './python-config.js';
import type { ClusterConfig } from './types.js';

export { configBounds, configDefaults } from './config-defaults.js';
export { parsePythonConfig } from './python-config.js';
export { formatAddress } from './servers.js';

export interface LoadConfigOptions {
  /** The unit of bare numbers in delays; default 'ms' for JSON and 's' for config.py. */
  delayUnit?: BareUnit;
}

export interface ParseConfigOptions extends LoadConfigOptions {
  /** Where the config came from (a file path); prefixes every error message. */
  source?: string;
}

export async function loadConfig(
  path: string,
  options: LoadConfigOptions = {},
): Promise<ClusterConfig> {
  const text = await readConfigText(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.json') {
    const raw = parseJsonText(text, path);
    return parseConfig(raw, { delayUnit: options.delayUnit ?? 'ms', source: path });
  }
  if (extension === '.py') {
    const raw = withSource(path, () => parsePythonConfig(text));
    return parseConfig(raw, { delayUnit: options.delayUnit ?? 's', source: path });
  }
  throw badConfig(
    `${path}: Expected the config file to end in .json or .py, got "${extension || 'no extension'}".`,
  );
}

export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): ClusterConfig {
  return withSource(options.source, () => buildConfig(raw, options.delayUnit ?? 'ms'));
}
