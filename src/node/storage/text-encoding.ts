/**
 * How the memory store keeps a string's bytes. Each string has exactly one form, so equal
 * strings always have equal bytes:
 * - ascii: every code unit is below 0x80, one byte each (read back with the latin1 decoder);
 * - utf8: well-formed text with some non-ASCII character;
 * - utf16: a string with a lone surrogate, kept as its UTF-16LE code units. UTF-8 cannot hold
 *   a lone surrogate (Buffer writes U+FFFD instead), so "\uD800" and "\uFFFD" would become one
 *   key; UTF-16 keeps them apart. Keys and values from validated MessagePack are well-formed,
 *   so this form only comes from direct calls.
 */
export type TextEncoding = typeof encodingAscii | typeof encodingUtf8 | typeof encodingUtf16;

export const encodingAscii = 0;
export const encodingUtf8 = 1;
export const encodingUtf16 = 2;

// String.prototype.isWellFormed is in Node 20 (V8 11.3) but not in the ES2022 lib typings.
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The form of a string that is not all ASCII. */
export function encodingOfNonAscii(text: string): TextEncoding {
  return isWellFormed(text) ? encodingUtf8 : encodingUtf16;
}

/** The form of a string, given its UTF-8 byte length (equal to its length only for ASCII). */
export function encodingOf(text: string, utf8Bytes: number): TextEncoding {
  return utf8Bytes === text.length ? encodingAscii : encodingOfNonAscii(text);
}

/** How many bytes a string takes in a form, given its UTF-8 byte length. */
export function encodedBytes(text: string, encoding: TextEncoding, utf8Bytes: number): number {
  return encoding === encodingUtf16 ? 2 * text.length : utf8Bytes;
}

/** Buffer's own coders, which `write` and `toString` call after checking their arguments. */
interface BufferCoders {
  latin1Write(text: string, offset: number, bytes: number): number;
  utf8Write(text: string, offset: number, bytes: number): number;
  ucs2Write(text: string, offset: number, bytes: number): number;
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
}

export function writeText(
  target: Buffer,
  text: string,
  offset: number,
  bytes: number,
  encoding: TextEncoding,
): void {
  const coders = target as unknown as BufferCoders;
  const written =
    encoding === encodingAscii
      ? coders.latin1Write(text, offset, bytes)
      : encoding === encodingUtf8
        ? coders.utf8Write(text, offset, bytes)
        : coders.ucs2Write(text, offset, bytes);
  if (written !== bytes) {
    throw new Error(
      `Wrote ${written} of ${bytes} bytes of a string: the store's layout is broken.`,
    );
  }
}

export function readText(
  source: Buffer,
  start: number,
  end: number,
  encoding: TextEncoding,
): string {
  const coders = source as unknown as BufferCoders;
  if (encoding === encodingAscii) return coders.latin1Slice(start, end);
  return encoding === encodingUtf8 ? coders.utf8Slice(start, end) : coders.ucs2Slice(start, end);
}
