export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  /** Whether debug lines are written: check it before building an expensive one. */
  readonly debugEnabled: boolean;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Lines of `time level message` on stderr; the orchestrator sends a node's stderr to its log file. */
export function createLogger(
  minimum: LogLevel,
  write: (line: string) => void = writeStderr,
): Logger {
  const log = (level: LogLevel, message: string) => {
    if (order[level] >= order[minimum])
      write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  };
  return {
    debugEnabled: order.debug >= order[minimum],
    debug: (message) => log('debug', message),
    info: (message) => log('info', message),
    warn: (message) => log('warn', message),
    error: (message) => log('error', message),
  };
}

function writeStderr(line: string): void {
  process.stderr.write(line);
}
