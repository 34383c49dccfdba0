// BAD_CONFIG errors, the source prefix, and the pieces of one-line messages shared by the loader.
import { QuartetError } from '../core/errors.js';

export function badConfig(message: string, cause?: unknown): QuartetError {
  return new QuartetError('BAD_CONFIG', message, cause === undefined ? undefined : { cause });
}

// Prefixes BAD_CONFIG messages with the file they came from.
export function withSource<T>(source: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (source === undefined || !(error instanceof QuartetError) || error.code !== 'BAD_CONFIG') {
      throw error;
    }
    throw badConfig(`${source}: ${error.message}`, error);
  }
}

// "; did you mean `replicationFactor`?" for a near miss, else the list of known keys.
export function suggestKey(key: string, known: readonly string[]): string {
  const close = findClosestKey(key, known);
  if (close !== undefined) return `; did you mean \`${close}\`?`;
  return `; the known keys are ${known.join(', ')}.`;
}

// The same key up to case, `-`, `_` and spaces, else the nearest within a few typos.
function findClosestKey(key: string, known: readonly string[]): string | undefined {
  const normalize = (text: string) => text.toLowerCase().replace(/[-_\s]/g, '');
  const same = known.find((name) => normalize(name) === normalize(key));
  if (same !== undefined) return same;
  const typosMax = Math.max(2, key.length / 5);
  let closest: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = measureEditDistance(name.toLowerCase(), key.toLowerCase());
    if (distance <= typosMax && (closest === undefined || distance < closest.distance)) {
      closest = { name, distance };
    }
  }
  return closest?.name;
}

export function measureEditDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
