#!/usr/bin/env bash
# Every example in examples/ must pass against configs/default.json (ports 10000-10003), and
# the run writes a JUnit report like a user's CI would.
set -uo pipefail
cd "$(dirname "$0")/../.."
report_dir=$(mktemp -d)
trap 'rm -rf "$report_dir"' EXIT
node bin/quartet run examples/*.kv --config configs/default.json --dir "$report_dir" \
  --junit "$report_dir/examples.xml"
status=$?
grep -o '<testsuites [^>]*>' "$report_dir/examples.xml" 2>/dev/null
exit $status
