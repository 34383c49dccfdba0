import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { LineRunner } from './line-runner.js';
import type { PromptOutput } from './report/prompt-output.js';
import type { Reporter } from './report/reporter.js';
import type { Session } from './session.js';

export interface ReplOptions {
  session: Session;
  /** Runs the lines, one at a time with any other source of lines (the live page). */
  lines: LineRunner;
  reporter: Reporter;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where results go; the prompt registers with it so late output does not garble the prompt. */
  output: PromptOutput;
  /** Waits, bounded, for the repairs of reads still open before a piped run ends. */
  settle: () => Promise<void>;
}

/**
 * The prompt. On a terminal it shows `quartet n1> ` and runs each line as typed; with piped
 * input it runs the lines in order and returns at end of input. Returns on `quit` too.
 */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { session, input } = options;
  const interactive = input.isTTY === true;
  const { output } = options;
  const rl = createInterface({
    input,
    output: interactive ? output.stream : undefined,
    terminal: interactive,
    historySize: 1000,
  });
  const prompt = () => {
    if (!interactive) return;
    rl.setPrompt(`quartet n${session.currentNode}> `);
    rl.prompt();
    output.attach({
      clear: () => {
        clearLine(output.stream, 0);
        cursorTo(output.stream, 0);
      },
      redraw: () => rl.prompt(true),
    });
  };
  // Ctrl-C at a terminal prompt is the signal it is elsewhere: stop, and exit 130.
  rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  prompt();
  try {
    for await (const source of rl) {
      output.detach();
      const quit = await runLine(options, source);
      if (quit) break;
      prompt();
    }
  } finally {
    output.detach();
    rl.close();
  }
  await session.drain();
  await options.settle();
}

async function runLine(options: ReplOptions, source: string): Promise<boolean> {
  const { record, quit, background } = await options.lines.run(source, 'terminal');
  if (background && record !== undefined)
    options.reporter.notice(`[${record.seq}] started in the background`);
  return quit;
}
