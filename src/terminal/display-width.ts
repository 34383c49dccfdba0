import { stripVTControlCharacters } from 'node:util';

// Code points a terminal draws two columns wide: East Asian wide and fullwidth forms.
const wideRanges: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}\u200b-\u200f\ufe00-\ufe0f]$/u;
const emojiWide = /^\p{Emoji_Presentation}$/u;

/**
 * Columns one code point takes in a terminal: 0 for combining marks and joiners, 2 for wide and
 * emoji-presentation characters, 1 for the rest (✔ ✘ ↳ … and box-drawing characters are 1).
 */
export function measureCodePoint(char: string): 0 | 1 | 2 {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if (code < 0x300) return 1;
  if (zeroWidth.test(char)) return 0;
  if (emojiWide.test(char)) return 2;
  for (const [low, high] of wideRanges) if (code >= low && code <= high) return 2;
  return 1;
}

/** The columns a text takes on a terminal (its widest line), not counting colour codes. */
export function measureDisplayWidth(text: string): number {
  let widest = 0;
  for (const line of stripVTControlCharacters(text).split('\n')) {
    let width = 0;
    for (const char of line) width += measureCodePoint(char);
    widest = Math.max(widest, width);
  }
  return widest;
}
