#!/usr/bin/env bash
# 100,000 fuzz inputs over every target (npm run fuzz's full run is 1,000,000), and a 45 s soak.
# Each prints its seed or figures; the last line is a one-line summary; non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
fuzz_log=$(mktemp)
soak_log=$(mktemp)
trap 'rm -f "$fuzz_log" "$soak_log"' EXIT
node dist/test/fuzz/main.js --count 100000 2>&1 | tee "$fuzz_log"
fuzz_status=${PIPESTATUS[0]}
node dist/test/soak/main.js --duration 45s 2>&1 | tee "$soak_log"
soak_status=${PIPESTATUS[0]}
echo "fuzz check: $(tail -1 "$fuzz_log" | sed 's/^fuzz: //'); soak: $(tail -1 "$soak_log" | sed 's/^soak: //' | cut -c1-60)"
[ "$fuzz_status" -eq 0 ] && [ "$soak_status" -eq 0 ]
