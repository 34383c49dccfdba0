#!/usr/bin/env bash
# Every example in examples/ must pass against configs/default.json (ports 10000-10003), write
# a JUnit report like a user's CI would, and make its HTML report (`--report`), whose embedded
# data must parse and hold the run's messages and operations.
set -uo pipefail
cd "$(dirname "$0")/../.."
report_dir=$(mktemp -d)
trap 'rm -rf "$report_dir"' EXIT
status=0
for example in examples/*.kv; do
  name=$(basename "$example" .kv)
  node bin/quartet run "$example" --config configs/default.json --dir "$report_dir" \
    --junit "$report_dir/$name.xml" --report "$report_dir/$name.html" || status=1
  grep -o '<testsuites [^>]*>' "$report_dir/$name.xml" 2>/dev/null
done
node --input-type=module - "$report_dir"/*.html <<'JS' || status=1
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { messageStride } from './dist/src/trace/diagram-window.js';
let bad = 0;
for (const file of process.argv.slice(2)) {
  const html = readFileSync(file, 'utf8');
  const json = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  let data;
  try {
    data = JSON.parse(json ?? '');
  } catch (error) {
    data = undefined;
  }
  const messages = data === undefined ? 0 : data.m.length / messageStride;
  const ops = data?.ops?.length ?? 0;
  const ok = data?.version === 1 && data.source === 'cluster' && messages > 0 && ops > 0;
  if (!ok) bad++;
  console.log(`${ok ? 'ok  ' : 'BAD '} ${basename(file)}: ${messages} messages, ${ops} operations, ${data?.findings?.length ?? 0} findings`);
}
process.exit(bad === 0 ? 0 : 1);
JS
exit $status
