import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs from dist/src/terminal/ (tsc's output) or from a chunk in dist/bundle/
// (scripts/bundle.mjs): either way the package root is the folder that holds dist/.
const here = fileURLToPath(import.meta.url);
const distAt = here.lastIndexOf(`${sep}dist${sep}`);
if (distAt === -1) throw new Error(`quartet runs from its built dist/ folder, not from ${here}`);

/** The package root (where package.json is). */
export const packageRoot = here.slice(0, distAt);
/** What `npm run build` writes: tsc's dist/src and dist/test, the bundle's dist/bundle. */
export const distDir = join(packageRoot, 'dist');
export const quartetBin = join(packageRoot, 'bin', 'quartet');
export const defaultConfigPath = join(packageRoot, 'configs', 'default.json');
