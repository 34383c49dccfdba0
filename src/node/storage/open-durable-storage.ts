import { rm } from 'node:fs/promises';
import { checkDataDir } from './data-dir.js';
import { LmdbHintTable } from './lmdb-hint-table.js';
import { LmdbStore } from './lmdb-store.js';
import type { Storage, StorageOptions } from './open-storage.js';

/** LMDB in the node's data directory, checked first; how long the node was away, if it was. */
export async function openDurableStorage(options: StorageOptions): Promise<Storage> {
  if (options.fresh) await rm(options.dataDir, { recursive: true, force: true });
  const { fresh } = await checkDataDir(options.dataDir, options.nodeId);
  const store = new LmdbStore(options.dataDir, options.config.durability);
  const lastAliveMs = store.getMeta<number>('lastAliveMs');
  const storage: Storage = {
    store,
    hints: new LmdbHintTable(store),
    markAlive: () => void store.putMeta('lastAliveMs', Date.now()),
  };
  if (!fresh && lastAliveMs !== undefined) storage.downForMs = Date.now() - lastAliveMs;
  options.logger.info(
    `${fresh ? 'created' : 'opened'} ${options.dataDir} (${store.size} versions)`,
  );
  return storage;
}
