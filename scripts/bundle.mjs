#!/usr/bin/env node
// `npm run build`'s second step, after tsc: bundles what tsc wrote to dist/src into dist/bundle/,
// so that `quartet` and each node process load a handful of files instead of hundreds of ES
// modules (bench/README.md, "Startup"). One build with code splitting: the CLI (bin/quartet runs
// quartet.js) and the node process a launcher forks (node-entry.js) share their chunks, so
// `quartet node` and a forked node run the same file; code loaded on demand (each command, the
// HTTP API, the durable store and lmdb) stays behind its `import()` in a chunk of its own.
import { copyFile, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

// Packages with native code or a require() decided at run time stay out, loaded from
// node_modules: lmdb (a .node binary) and msgpackr (its optional native extract).
const external = ['lmdb', 'msgpackr'];

// Files that bundled code finds beside itself through import.meta.url, as it did in dist/src:
// the key probe child (data-dir.ts) and the compiled diagram code a report page inlines
// (report-page.ts). Each is copied or built into dist/bundle/ under the same name.
const besideFiles = ['dist/src/trace/diagram-window.js', 'dist/src/trace/lamport-svg.js'];
const besideNames = ['probe-main.js', ...besideFiles.map((file) => file.split('/').pop())];

// Bundled CommonJS packages (commander, cli-table3) call require() for Node's built-ins.
const requireShim =
  "import { createRequire as __createRequire } from 'node:module';\n" +
  'const require = __createRequire(import.meta.url);';

// Chunk names carry a hash: the old ones must not pile up.
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    quartet: 'dist/src/orchestrator/cli.js',
    'node-entry': 'dist/src/launcher/node-entry.js',
    'probe-main': 'dist/src/node/storage/probe-main.js',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  banner: { js: requireShim },
  logLevel: 'warning',
});
for (const file of besideFiles)
  await copyFile(join(root, file), join(outdir, file.split('/').pop()));

// A file found through import.meta.url that is not listed above would be missing at run time.
for (const name of await readdir(outdir)) {
  const text = await readFile(join(outdir, name), 'utf8');
  for (const line of text.split('\n').filter((line) => line.includes('import.meta.url'))) {
    for (const [, found] of line.matchAll(/["'](?:\.\/)?([\w.-]+\.js)["']/g)) {
      if (!besideNames.includes(found)) {
        throw new Error(`${name} reads ${found} beside itself: add it to scripts/bundle.mjs`);
      }
    }
  }
}
