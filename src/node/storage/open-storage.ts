import { rm } from 'node:fs/promises';
import type { ClusterConfig } from '../../config/types.js';
import { MemoryHintTable, type HintTable } from '../hints.js';
import type { Logger } from '../logger.js';
import { checkDataDir } from './data-dir.js';
import { LmdbHintTable } from './lmdb-hint-table.js';
import { LmdbStore } from './lmdb-store.js';
import { MemoryStore } from './memory-store.js';
import type { Store } from './store.js';

export interface StorageOptions {
  nodeId: number;
  config: ClusterConfig;
  logger: Logger;
  inMemory: boolean;
  dataDir: string;
  /** Delete the data directory first: start empty on purpose. */
  fresh: boolean;
}

export interface Storage {
  store: Store;
  hints: HintTable;
  /** Milliseconds the node was away (since it last said it was alive), when it held data. */
  downForMs?: number;
  /** Records that the node is alive, so a later start can tell how long it was down. */
  markAlive: () => void;
}

/** Opens the node's store: LMDB in its data directory (checked first), or memory. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.inMemory)
    return { store: new MemoryStore(), hints: new MemoryHintTable(), markAlive: () => {} };
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
