#!/usr/bin/env node
// `npm run build`'s second step, after tsc: bundles what tsc wrote to dist/src into dist/bundle/,
// so that `quartet` and each node process load a handful of files instead of hundreds of ES
// modules (bench/README.md, "Startup"). Two builds of the same dist/src, each with code
// splitting (code loaded on demand, as each command, the HTTP API, the durable store and lmdb,
// stays behind its `import()` in a chunk of its own):
//   dist/bundle/cli/quartet.js     the CLI that bin/quartet runs (`quartet node` included);
//   dist/bundle/node/node-entry.js the node process every launcher forks. Built on its own, as
//     its chunks are not cut to share with the CLI's commands: 3 files to load, not 14, and
//     about 10 ms less CPU per node start.
import { copyFile, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

// Packages with native code or a require() decided at run time stay out, loaded from
// node_modules: lmdb (a .node binary) and msgpackr (its optional native extract).
const external = ['lmdb', 'msgpackr'];

// Files that bundled code finds beside itself through import.meta.url, as it did in dist/src:
// the key probe child (data-dir.ts, in both builds), the simulator's worker (seed-pool.ts) and
// the compiled diagram code a report page inlines (report-page.ts). Each is built as an entry
// or copied into the folder under the same name.
const probeEntry = { 'probe-main': 'dist/src/node/storage/probe-main.js' };
const builds = [
  {
    folder: 'cli',
    entryPoints: {
      quartet: 'dist/src/orchestrator/cli.js',
      // `quartet sim --seeds`' worker threads (seed-pool.ts).
      'seed-worker': 'dist/src/sim/seed-worker.js',
      ...probeEntry,
    },
    besideFiles: ['dist/src/trace/diagram-window.js', 'dist/src/trace/lamport-svg.js'],
  },
  {
    folder: 'node',
    entryPoints: { 'node-entry': 'dist/src/launcher/node-entry.js', ...probeEntry },
    besideFiles: [],
  },
];

// Bundled CommonJS packages (commander, cli-table3) call require() for Node's built-ins.
const requireShim =
  "import { createRequire as __createRequire } from 'node:module';\n" +
  'const require = __createRequire(import.meta.url);';

// Chunk names carry a hash: the old ones must not pile up.
await rm(outdir, { recursive: true, force: true });
for (const { folder, entryPoints, besideFiles } of builds) {
  const dir = join(outdir, folder);
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    banner: { js: requireShim },
    // Maps back to src/*.ts through tsc's maps. Node reads them only with --enable-source-maps
    // (ava passes it, and the launcher hands its flags on to the nodes), which costs a node
    // ~10 ms of CPU to start; without the flag the maps cost nothing, so quartet does not set it.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const besideNames = Object.keys(entryPoints).map((name) => `${name}.js`);
  for (const file of besideFiles) {
    const name = basename(file);
    await copyFile(join(root, file), join(dir, name));
    besideNames.push(name);
  }
  await checkBesideFiles(dir, besideNames);
}

// A file found through import.meta.url that is not listed above would be missing at run time.
async function checkBesideFiles(dir, besideNames) {
  for (const name of (await readdir(dir)).filter((name) => name.endsWith('.js'))) {
    const text = await readFile(join(dir, name), 'utf8');
    for (const line of text.split('\n').filter((line) => line.includes('import.meta.url'))) {
      for (const [, found] of line.matchAll(/["'](?:\.\/)?([\w.-]+\.js)["']/g)) {
        if (!besideNames.includes(found)) {
          throw new Error(`${name} reads ${found} beside itself: add it to scripts/bundle.mjs`);
        }
      }
    }
  }
}
