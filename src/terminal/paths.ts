import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json is), from dist/src/terminal/. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const quartetBin = join(packageRoot, 'bin', 'quartet');
export const defaultConfigPath = join(packageRoot, 'configs', 'default.json');
