// `save FILE.kv [force]`: renders the session log and writes it where the user asked.
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { ClusterConfig } from '../config/types.js';
import { QuartetError } from '../core/errors.js';
import type { Command } from './commands.js';
import { renderBatchFile } from './save-render.js';
import { sessionLogCharsMax, sessionLogLinesMax, type LogSnapshot } from './session-log.js';

export interface SaveInput {
  command: Extract<Command, { kind: 'save' }>;
  log: LogSnapshot;
  config: ClusterConfig;
  configPath?: string;
}

/** Writes the file; the message says where, how to replay it, and what the bound left out. */
export async function saveSession(input: SaveInput): Promise<{ message: string }> {
  const { command } = input;
  const path = resolve(command.path);
  const shown = relative(process.cwd(), path) || path;
  const configPath =
    input.configPath === undefined ? undefined : relative(process.cwd(), input.configPath);
  const rendered = renderBatchFile({
    log: input.log,
    config: input.config,
    ...(configPath === undefined ? {} : { configPath }),
    file: shown,
    savedAt: new Date(),
  });
  try {
    // `wx` refuses an existing file in the same step that creates it.
    await writeFile(path, rendered.text, { flag: command.force ? 'w' : 'wx' });
  } catch (error) {
    throw toSaveError(error, command.path);
  }
  const dropped =
    input.log.dropped === 0
      ? ''
      : `; ${input.log.dropped} later lines are not in it (the session log keeps its first ${sessionLogLinesMax} lines or ${sessionLogCharsMax} characters)`;
  return { message: `saved ${rendered.commands} lines to ${shown}${dropped}` };
}

function toSaveError(error: unknown, file: string): QuartetError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (() => {
    switch (code) {
      case 'EEXIST':
        return `\`${file}\` exists; write \`save ${file} force\` to overwrite it, or pick another name.`;
      case 'ENOENT':
        return `the folder \`${dirname(file)}\` does not exist; create it or save elsewhere.`;
      case 'ENOTDIR':
        return `a part of \`${dirname(file)}\` is a file, not a folder; save elsewhere.`;
      case 'EISDIR':
        return `\`${file}\` is a folder; give a file name ending in \`.kv\`.`;
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        return `no permission to write \`${file}\`; save in a folder you can write to.`;
      default:
        return `${error instanceof Error ? error.message : String(error)}.`;
    }
  })();
  return new QuartetError('SAVE_FAILED', `Cannot save to \`${file}\`: ${reason}`, {
    cause: error,
  });
}
