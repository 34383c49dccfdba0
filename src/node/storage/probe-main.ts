// Reads a node's whole data file in a throwaway process, so damage shows here, not in the node.
import { open } from 'lmdb';

const dir = process.argv[2];
if (dir === undefined) {
  process.stdout.write('usage: probe-main DATA_DIR\n');
  process.exit(2);
}
try {
  const root = open({ path: dir, readOnly: true, compression: false });
  const versions = root.openDB({ name: 'versions' });
  let entries = 0;
  for (const { key, value } of versions.getRange()) {
    const version = value as { ts?: { wallMs?: unknown } } | undefined;
    if (typeof key !== 'string' || typeof version?.ts?.wallMs !== 'number') {
      process.stdout.write(`entry ${entries + 1} (key ${JSON.stringify(key)}) is not a version\n`);
      process.exit(1);
    }
    entries++;
  }
  // A page overwritten with garbage can end the walk early without an error: check it read them all.
  const { entryCount } = versions.getStats() as { entryCount: number };
  if (entries !== entryCount) {
    process.stdout.write(`${entries} entries read, but the file records ${entryCount}\n`);
    process.exit(1);
  }
  await root.close();
  process.stdout.write(`${entries} entries read\n`);
} catch (error) {
  process.stdout.write(`${(error as Error).message}\n`);
  process.exit(1);
}
