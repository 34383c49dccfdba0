/**
 * With `durability: none`, how long acknowledged writes may wait in the process before they are
 * committed (never fsynced): a process crash loses up to this window. The LMDB store uses it,
 * and the simulator models a crash with it.
 */
export const noneCommitDelayMs = 50;
