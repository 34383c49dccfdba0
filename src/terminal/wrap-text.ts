import { measureCodePoint, measureDisplayWidth } from './display-width.js';

const sgrPattern = /(\u001b\[[0-9;]*m)/;
const reset = '\u001b[0m';

// Which SGR codes a closing code ends: 39 ends every foreground colour, 22 bold and dim, …
const closers: Record<string, (open: string) => boolean> = {
  '0': () => true,
  '22': (open) => open === '1' || open === '2',
  '23': (open) => open === '3',
  '24': (open) => open === '4',
  '27': (open) => open === '7',
  '28': (open) => open === '8',
  '29': (open) => open === '9',
  '39': (open) => /^(3[0-8]|9[0-7])/.test(open),
  '49': (open) => /^(4[0-8]|10[0-7])/.test(open),
};

/** The styles open at the end of a line, so the next line can open them again. */
class OpenStyles {
  #codes: string[] = [];

  apply(escape: string): void {
    const code = escape.slice(2, -1) || '0';
    const closes = closers[code];
    if (closes === undefined) this.#codes.push(code);
    else this.#codes = this.#codes.filter((open) => !closes(open));
  }

  get close(): string {
    return this.#codes.length > 0 ? reset : '';
  }

  get reopen(): string {
    return this.#codes.map((code) => `\u001b[${code}m`).join('');
  }
}

/**
 * Wraps text to lines of at most `width` columns: at spaces where it can, inside a word when the
 * word alone is wider. Colours stay on across a break. Existing line breaks are kept.
 */
export function wrapText(text: string, width: number): string[] {
  const columns = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  const styles = new OpenStyles();
  let line = '';
  let lineWidth = 0;
  let word = '';
  let wordWidth = 0;
  let wordEscapes: string[] = [];
  let spaces = '';
  // Spaces that open the text or a line of it are indentation, kept; others are break points.
  let atLineStart = true;
  const breakLine = () => {
    lines.push(line + styles.close);
    line = styles.reopen;
    lineWidth = 0;
    spaces = '';
  };
  const placeWord = () => {
    if (wordWidth > 0) {
      if (lineWidth > 0 && lineWidth + spaces.length + wordWidth > columns) breakLine();
      if (lineWidth > 0) {
        line += spaces;
        lineWidth += spaces.length;
      }
      atLineStart = false;
      spaces = '';
    }
    line += word;
    lineWidth += wordWidth;
    for (const escape of wordEscapes) styles.apply(escape);
    word = '';
    wordWidth = 0;
    wordEscapes = [];
  };
  for (const part of text.split(sgrPattern)) {
    if (sgrPattern.test(part)) {
      word += part;
      wordEscapes.push(part);
      continue;
    }
    for (const char of part) {
      if (char === '\n') {
        placeWord();
        breakLine();
        atLineStart = true;
      } else if (char === ' ') {
        placeWord();
        if (atLineStart && lineWidth < columns) {
          line += ' ';
          lineWidth += 1;
        } else if (lineWidth > 0) spaces += ' ';
      } else {
        const charWidth = measureCodePoint(char);
        if (wordWidth + charWidth > columns) {
          placeWord();
          breakLine();
        }
        word += char;
        wordWidth += charWidth;
      }
    }
  }
  placeWord();
  lines.push(line);
  return lines;
}

/**
 * Wraps each line of a text that is wider than `width` columns, indenting the lines a wrap
 * adds by `indent`; lines that fit are left as they are. No width: the text as it is.
 */
export function wrapWithIndent(text: string, width: number | undefined, indent: string): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .map((line) => {
      if (measureDisplayWidth(line) <= width) return line;
      const [first = '', ...rest] = wrapText(line, width);
      if (rest.length === 0) return first;
      const tail = wrapText(rest.join(' '), width - indent.length).map((part) => indent + part);
      return [first, ...tail].join('\n');
    })
    .join('\n');
}
