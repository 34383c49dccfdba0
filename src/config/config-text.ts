// Reading a config file and parsing its JSON, with errors that point at a line and column.
import { readFile } from 'node:fs/promises';
import { configBounds } from './config-defaults.js';
import { badConfig } from './config-errors.js';

export async function readConfigText(path: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `No such file; check the path (relative paths start at ${process.cwd()}).`
        : code === 'EISDIR'
          ? 'This is a directory; give the path of a .json or .py file.'
          : `Could not read the file (${code ?? String(error)}).`;
    throw badConfig(`${path}: ${reason}`, error);
  }
  if (buffer.length > configBounds.fileBytesMax) {
    throw badConfig(
      `${path}: Expected the config file to be at most ${configBounds.fileBytesMax} bytes, got ${buffer.length}.`,
    );
  }
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}

export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message.replace(/\s+/g, ' ');
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/ \(line \d+ column \d+\)/, '');
    const where = position === undefined ? '' : ` at ${describePosition(text, Number(position))}`;
    throw badConfig(`${source}: Invalid JSON${where}: ${reason}.`, error);
  }
}

function describePosition(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
