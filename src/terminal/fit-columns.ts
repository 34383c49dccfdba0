export interface ColumnNeed {
  /** Columns the widest cell takes, padding included: the width that wraps nothing. */
  natural: number;
  /** The width that wraps only the header: the widest body cell, or the header's longest word. */
  body: number;
  /** The narrowest width worth keeping (its longest word, within reason). */
  min: number;
}

/** The narrowest a column ever gets: one character between its padding. */
export const columnWidthFloor = 3;

/**
 * Widths for columns that share `budget` terminal columns: every column its natural width when
 * they fit; otherwise headers wrap first, then the widest columns shrink, down to their longest
 * word, and only then below it.
 */
export function fitColumns(needs: readonly ColumnNeed[], budget: number): number[] {
  const levels: number[][] = [
    needs.map(() => columnWidthFloor),
    needs.map((need) => need.min),
    needs.map((need) => need.body),
    needs.map((need) => need.natural),
  ];
  // Each level at least the one below it, so that filling between two levels is monotone.
  for (let level = 1; level < levels.length; level++) {
    levels[level] = levels[level]!.map((width, i) => Math.max(width, levels[level - 1]![i]!));
  }
  const top = levels.at(-1)!;
  if (sum(top) <= budget) return top;
  let level = levels.length - 2;
  while (level > 0 && sum(levels[level]!) > budget) level--;
  return fillBetween(levels[level]!, levels[level + 1]!, budget);
}

// The largest cap such that every column is min(upper, max(lower, cap)) and all fit; what is
// left over goes one column at a time to the columns still short of their upper width.
function fillBetween(lower: number[], upper: number[], budget: number): number[] {
  const widthsAt = (cap: number) => upper.map((u, i) => Math.min(u, Math.max(lower[i]!, cap)));
  let low = 0;
  let high = Math.max(...upper);
  while (low < high) {
    const cap = Math.ceil((low + high + 1) / 2);
    if (sum(widthsAt(cap)) <= budget) low = cap;
    else high = cap - 1;
  }
  const widths = widthsAt(low);
  let spare = budget - sum(widths);
  for (let i = 0; spare > 0 && i < widths.length; i++) {
    if (widths[i]! < upper[i]!) {
      widths[i]! += 1;
      spare -= 1;
    }
  }
  return widths;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
