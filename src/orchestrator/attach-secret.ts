import { resolve } from 'node:path';
import { QuartetError } from '../core/errors.js';
import { findSecret } from '../node/secret.js';
import { resolveWorkDir, type ClusterCliOptions } from './cluster-options.js';

/**
 * The secret an attached command proves to the nodes it did not start, so that faults reach
 * them over operator connections: `--secret-file`, QUARTET_SECRET, or DIR/secret if the nodes
 * made one there. Undefined without one: data commands still work, faults are refused.
 */
export async function resolveAttachSecret(
  options: ClusterCliOptions & { attach?: boolean },
): Promise<string | undefined> {
  if (options.attach !== true) {
    if (options.secretFile !== undefined) {
      throw new QuartetError(
        'USAGE',
        '`--secret-file` is for `--attach` (and `quartet node`): a cluster this command starts gets a fresh secret of its own.',
      );
    }
    return undefined;
  }
  const found = await findSecret({
    ...(options.secretFile === undefined ? {} : { secretFile: resolve(options.secretFile) }),
    ...(process.env.QUARTET_SECRET === undefined ? {} : { env: process.env.QUARTET_SECRET }),
    dir: resolveWorkDir(options),
  });
  return found?.secret;
}
