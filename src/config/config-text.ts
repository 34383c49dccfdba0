// Reading a config file as UTF-8 text (bounded, never binary) and parsing its JSON, with errors
// that point at a line and column.
import { isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { configBounds } from './config-defaults.js';
import { badConfig } from './config-errors.js';

export async function readConfigText(path: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readBounded(path, configBounds.fileBytesMax);
  } catch (error) {
    if (error instanceof TooLarge) {
      throw badConfig(
        `${path}: Expected the config file to be at most ${configBounds.fileBytesMax} bytes, got more; a config is a few hundred bytes, check the path.`,
      );
    }
    throw badConfig(`${path}: ${describeReadError(error)}`, error);
  }
  const nul = buffer.indexOf(0);
  if (nul !== -1) {
    throw badConfig(
      `${path}: Expected a text file (JSON or config.py), got binary data (a NUL byte at ${describeByte(buffer, nul)}).`,
    );
  }
  const invalid = findInvalidUtf8(buffer);
  if (invalid !== undefined) {
    throw badConfig(
      `${path}: Expected the file to be UTF-8 text, got the byte 0x${(buffer[invalid] ?? 0).toString(16)} at ${describeByte(buffer, invalid)}; save it as UTF-8.`,
    );
  }
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}

class TooLarge extends Error {}

// Reads at most bytesMax bytes, so a huge file or an endless device is refused without being read.
async function readBounded(path: string, bytesMax: number): Promise<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(bytesMax + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) return buffer.subarray(0, length);
      length += bytesRead;
      if (length > bytesMax) throw new TooLarge();
    }
  } finally {
    await handle?.close();
  }
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return `No such file; check the path (relative paths start at ${process.cwd()}).`;
  }
  if (code === 'EISDIR') return 'This is a directory; give the path of a .json or .py file.';
  if (code === 'EACCES') return 'Permission denied; make the file readable or use another one.';
  return `Could not read the file (${code ?? String(error)}).`;
}

// The offset of the first byte of the first sequence that is not UTF-8. Up to it every character
// decoded as itself, so its offset is the byte length of the text before it; a U+FFFD that was
// in the file (EF BF BD) is skipped.
function findInvalidUtf8(buffer: Buffer): number | undefined {
  if (isUtf8(buffer)) return undefined;
  const text = buffer.toString('utf8');
  let offset = 0;
  let from = 0;
  for (let index = text.indexOf('\uFFFD'); index !== -1; index = text.indexOf('\uFFFD', from)) {
    offset += Buffer.byteLength(text.slice(from, index));
    if (buffer.readUIntBE(offset, Math.min(3, buffer.length - offset)) !== 0xefbfbd) return offset;
    offset += 3;
    from = index + 1;
  }
  return buffer.length - 1;
}

function describeByte(buffer: Buffer, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (
    let index = buffer.indexOf(10);
    index !== -1 && index < offset;
    index = buffer.indexOf(10, index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return `line ${line}, byte ${offset - lineStart + 1} of the line`;
}

export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = escapeControls((error as Error).message.replace(/\s+/g, ' '));
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/ \(line \d+ column \d+\)/, '');
    const where = position === undefined ? '' : ` at ${describePosition(text, Number(position))}`;
    throw badConfig(`${source}: Invalid JSON${where}: ${reason}.`, error);
  }
}

// JSON.parse quotes the text around a syntax error; control characters there would garble a terminal.
function escapeControls(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function describePosition(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
