#!/usr/bin/env bash
# Browser tests: the HTML report and the live page (`up --web`) in real headless Chromium (Debian's package, driven by
# playwright-core). Installs chromium when /usr/bin/chromium is missing, runs the tests, and
# prints where the screenshots are.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
    >/tmp/quartet-chromium-install.log 2>&1 \
    || { echo "apt-get install chromium failed: see /tmp/quartet-chromium-install.log"; exit 1; }
fi
npm run build || exit 1
QUARTET_REQUIRE_BROWSER=1 npx ava dist/test/browser/report.test.js dist/test/browser/web.test.js dist/test/browser/web-attach.test.js
status=$?
echo "screenshots: $(pwd)/test-results/screenshots"
exit $status
