#!/usr/bin/env bash
# The multi-host tests (network namespaces, root only; skipped with the reason elsewhere), run
# alone: they compare timing-sensitive examples on four "hosts" with loopback, and other test
# files running beside them on 2 cores can stretch an example past its timeouts.
set -uo pipefail
cd "$(dirname "$0")/../.."
npm run build || exit 1
npx ava dist/test/multihost/multi-host.test.js
