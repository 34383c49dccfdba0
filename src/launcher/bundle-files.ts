import { statSync } from 'node:fs';
import { join } from 'node:path';
import { QuartetError } from '../core/errors.js';
import { distDir } from '../terminal/paths.js';

/** Where `npm run build`'s second step (scripts/bundle.mjs) writes the bundled entries. */
export const bundleDir = join(distDir, 'bundle');

/** tsc's record of its last build; a packed install has none, and no sources to go stale. */
const tscBuildInfoPath = join(distDir, '.tsbuildinfo');

/**
 * The path of a bundled entry (`cli/quartet.js`, `node/node-entry.js`), checked: a missing bundle, or one
 * older than tsc's last build (`tsc` run alone), would run no code or yesterday's code.
 */
export function checkBundle(entry: string): string {
  const path = join(bundleDir, entry);
  const bundleMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  if (bundleMs === undefined) {
    throw new QuartetError('NOT_BUILT', `${path} is missing; run \`npm run build\`.`);
  }
  const tscMs = statSync(tscBuildInfoPath, { throwIfNoEntry: false })?.mtimeMs;
  if (tscMs !== undefined && tscMs > bundleMs) {
    throw new QuartetError(
      'NOT_BUILT',
      `${path} is older than tsc's last build of dist/src; run \`npm run build\`.`,
    );
  }
  return path;
}
