/** The part of a prompt that output has to step around. */
export interface PromptLine {
  /** Erases the prompt and whatever the user has typed so far. */
  clear(): void;
  /** Shows the prompt again with the user's unfinished input. */
  redraw(): void;
}

/**
 * Standard output that keeps an idle prompt intact: a record that arrives while the prompt
 * waits (a read repair, say) is printed above it, and the prompt is drawn again below.
 */
export class PromptOutput {
  readonly stream: NodeJS.WriteStream;
  #prompt: PromptLine | undefined;

  constructor(stream: NodeJS.WriteStream) {
    this.stream = stream;
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  /** The prompt is showing and waiting for input. */
  attach(prompt: PromptLine): void {
    this.#prompt = prompt;
  }

  /** A line is running: output goes straight out. */
  detach(): void {
    this.#prompt = undefined;
  }

  write(text: string): void {
    const prompt = this.#prompt;
    if (prompt === undefined) {
      this.stream.write(text);
      return;
    }
    prompt.clear();
    this.stream.write(text);
    prompt.redraw();
  }
}
