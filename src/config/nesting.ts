// The nesting bound of a raw config, checked without recursion so no input can exhaust the stack.
import { configBounds } from './config-defaults.js';
import { badConfig } from './config-errors.js';

interface Nested {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Nested | undefined;
}

/** Throws BAD_CONFIG, naming where, when lists and objects nest deeper than nestingDepthMax. */
export function checkNestingDepth(raw: unknown): void {
  const depthMax = configBounds.nestingDepthMax;
  const pending: Nested[] = [{ value: raw, depth: 0, key: undefined, parent: undefined }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, depth } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth + 1 > depthMax) {
      throw badConfig(
        `Expected lists and objects to nest at most ${depthMax} deep, got deeper at ${formatNestedPath(item)}; a config needs 3 levels.`,
      );
    }
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((child, index) => [index, child])
      : Object.entries(value);
    for (const [key, child] of entries) {
      pending.push({ value: child, depth: depth + 1, key, parent: item });
    }
  }
}

// `servers[0][0]...`: the first few steps of the path, enough to find the place in the file.
function formatNestedPath(item: Nested): string {
  const keys: (string | number)[] = [];
  for (let at: Nested | undefined = item; at?.key !== undefined; at = at.parent) keys.push(at.key);
  keys.reverse();
  const shown = keys.slice(0, 6).map((key, index) => {
    if (typeof key === 'number') return `[${key}]`;
    if (/^[A-Za-z_$][\w$]*$/.test(key)) return index === 0 ? key : `.${key}`;
    return `[${JSON.stringify(key.length > 20 ? `${key.slice(0, 17)}...` : key)}]`;
  });
  if (shown.length === 0) return 'the top';
  return `\`${shown.join('')}${keys.length > shown.length ? '...' : ''}\``;
}
