// The one registry of error codes. Every code is documented in README.md (a test checks it).
export const errorCodes = {
  BAD_REQUEST: 'A request or frame was malformed; fix the request and send it again.',
  TOO_LARGE: 'A key, value or frame was over its size limit; send something smaller.',
  UNAVAILABLE:
    'Fewer replicas can answer than the level needs; lower the level or bring nodes back.',
  TIMEOUT: 'Replicas stayed silent past requestTimeoutMs; a write may still have been applied.',
  UNAUTHORIZED:
    'A peer-only message came without the mutual secret handshake, or the handshake failed.',
  INTERNAL: 'A node hit an unexpected fault; the log file of that node says more.',
  BAD_COMMAND: 'A prompt or batch line could not be parsed; `help` lists the commands.',
  BAD_CONFIG: 'The cluster config is invalid; the message names the field and the fix.',
  USAGE: 'The command line was wrong; `quartet --help` shows the usage.',
  PORT_IN_USE: 'A node could not listen on its port; free the port or change the config.',
  NODE_START_FAILED: 'A node process exited or failed before it was ready; see its log file.',
  NODE_UNREACHABLE: 'The orchestrator could not reach the chosen node; it may be down or killed.',
  OVERLOADED:
    'A node or connection is over a bound (requests in flight, connections, buffered bytes); wait and retry.',
  DATA_CORRUPT:
    "A node's data file is missing, truncated or unreadable; the message names the file.",
  CLOCK_SKEW:
    "A version was stamped further ahead of this node's clock than maxClockOffsetMs; fix that node's clock.",
  PEER_MISSING:
    'A peer for `bench --vs` (redis-server, redis-benchmark, etcd) is not installed; install its package.',
  PEER_FAILED:
    'A peer for `bench --vs` failed to start or to answer; the message holds its output.',
  SAVE_FAILED:
    '`save` could not write the batch file: it exists (add `force`), or its folder is missing or not writable.',
  ASSERTION_FAILED: 'A batch-file assertion (after `=>`) did not hold.',
  WEB_UNAUTHORIZED:
    "A request to the live page (`quartet up --web`) came without the session's token; open the URL `up` printed.",
  WEB_FORBIDDEN:
    'A request to the live page named a foreign Host or Origin (another site, DNS rebinding); open the printed URL itself.',
  NO_SECRET:
    'A node has no cluster secret and could not create one; set QUARTET_SECRET or use --secret-file.',
  NOT_BUILT:
    'A bundle in dist/bundle is missing or older than the last `tsc` build; run `npm run build`.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class QuartetError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuartetError';
    this.code = code;
  }
}

export interface ErrorRecord {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

// Turns anything thrown into a record that can be shown or sent; unknown errors become INTERNAL.
export function toErrorRecord(error: unknown): ErrorRecord {
  if (error instanceof QuartetError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
