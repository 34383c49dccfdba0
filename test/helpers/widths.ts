import type { ExecutionContext } from 'ava';
import { measureDisplayWidth } from '../../src/terminal/display-width.js';

/** The widths tables are rendered at in tests: the narrowest terminal, and a common one. */
export const testWidths = [80, 120] as const;

/** Asserts that no line of `text` takes more than `width` terminal columns. */
export function assertFits(t: ExecutionContext, text: string, width: number): void {
  const wide = text.split('\n').filter((line) => measureDisplayWidth(line) > width);
  t.deepEqual(wide, [], `lines wider than ${width} columns`);
}

/** Collects what a reporter writes; `isTTY` true so that colours are on, as on a terminal. */
export function collectOutput(): { write(text: string): void; isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  return { write: (text) => void chunks.push(text), isTTY: true, text: () => chunks.join('') };
}
