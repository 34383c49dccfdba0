#!/usr/bin/env node
// Prints the functions with the most self time in V8 .cpuprofile files (from `quartet bench
// --cpu-prof DIR`), summed over every file given, and the same time grouped by source file.
// Usage: node bench/profile-top.mjs DIR/*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

// Quietly stop when the reader goes away (`| head`).
process.stdout.on('error', (error) => process.exit(error.code === 'EPIPE' ? 0 : 1));

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex === -1 ? 25 : Number(args[topIndex + 1]);
const files = args.filter((arg, index) => index !== topIndex && index !== topIndex + 1);
if (files.length === 0) {
  process.stderr.write('Usage: node bench/profile-top.mjs PROFILE.cpuprofile... [--top N]\n');
  process.exit(2);
}

const systemCalls = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'writeLatin1String']);
const byFunction = new Map();
const byFile = new Map();
const byCategory = new Map();
let totalUs = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  // timeDeltas[i] is the time before sample i; charge it to the sampled node.
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame;
    const where = frame.url ? `${basename(frame.url)}:${frame.lineNumber + 1}` : '(native)';
    const name = `${frame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const source = frame.url ? shorten(frame.url) : frame.functionName || '(native)';
    byFile.set(source, (byFile.get(source) ?? 0) + us);
    const category = categoryOf(frame, source);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
    totalUs += us;
  }
}

// The breakdown of bench/README.md ("Where the time goes"): each sample's own frame, by what it is.
function categoryOf(frame, source) {
  const name = frame.functionName;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collection';
  if (!frame.url) {
    if (systemCalls.has(name)) return 'system calls (socket writes)';
    if (name === '(program)') return 'native, outside JS (libuv: polling, reads)';
    return 'other native';
  }
  if (/^node:internal\/(modules|bootstrap)\//.test(frame.url) || /^compile/.test(name))
    return 'module loading';
  if (source === 'msgpackr' || source.startsWith('src/protocol/')) return 'codec (msgpackr, wire)';
  if (source.startsWith('src/node/storage/')) return 'store';
  if (source.startsWith('src/core/') || source.startsWith('src/node/'))
    return 'coordination (core, node services)';
  if (source.startsWith('node:')) return 'Node runtime (streams, buffers, timers)';
  return `other (${source})`;
}

function shorten(url) {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules !== -1)
    return path
      .slice(modules + 'node_modules/'.length)
      .split('/')
      .slice(0, 1)
      .join('/');
  const dist = path.indexOf('/dist/');
  return dist === -1 ? path : path.slice(dist + '/dist/'.length);
}

function print(title, map, count) {
  process.stdout.write(`\n${title}\n`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [name, us] of rows) {
    const share = ((us / totalUs) * 100).toFixed(1).padStart(5);
    process.stdout.write(`${share}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  }
}

process.stdout.write(`${files.length} profiles, ${(totalUs / 1000).toFixed(0)} ms sampled\n`);
const idleUs = byCategory.get('idle') ?? 0;
process.stdout.write(
  `\nBusy time by category (${((totalUs - idleUs) / 1000).toFixed(0)} ms busy)\n`,
);
for (const [category, us] of [...byCategory].sort((a, b) => b[1] - a[1])) {
  if (category === 'idle') continue;
  const share = ((us / (totalUs - idleUs)) * 100).toFixed(1).padStart(5);
  process.stdout.write(`${share}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${category}\n`);
}
print('Self time by function', byFunction, top);
print('Self time by source (node_modules by package)', byFile, top);
