import type { ClusterConfig } from '../../config/types.js';
import { MemoryHintTable, type HintTable } from '../hints.js';
import type { Logger } from '../logger.js';
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

/**
 * Opens the node's store: LMDB in its data directory (checked first), or memory. LMDB is
 * loaded only for a durable node: an in-memory node is ~8 MB smaller without its native module.
 */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.inMemory)
    return { store: new MemoryStore(), hints: new MemoryHintTable(), markAlive: () => {} };
  const { openDurableStorage } = await import('./open-durable-storage.js');
  return openDurableStorage(options);
}
