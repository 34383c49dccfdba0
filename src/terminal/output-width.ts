import { QuartetError } from '../core/errors.js';

/** The narrowest output the tables are laid out for, and the widest `--width` taken. */
export const outputWidthMin = 80;
export const outputWidthMax = 1000;

/**
 * The columns tables may take: `--width N` when given; the terminal's width (80 at the least)
 * when stdout is a terminal; undefined for piped output, which keeps every row at full width.
 */
export function resolveOutputWidth(
  stream: { isTTY?: boolean; columns?: number },
  widthOption?: number,
): number | undefined {
  if (widthOption !== undefined) return checkWidthOption(widthOption);
  if (stream.isTTY !== true) return undefined;
  return Math.max(outputWidthMin, stream.columns ?? outputWidthMin);
}

/** `--width N` checked at the entry point: a whole number of columns, 80 at the least. */
export function checkWidthOption(width: number): number {
  if (!Number.isSafeInteger(width) || width < outputWidthMin || width > outputWidthMax) {
    throw new QuartetError(
      'USAGE',
      `Expected \`--width\` to be a whole number of columns from ${outputWidthMin} to ${outputWidthMax}, got ${width}.`,
    );
  }
  return width;
}
