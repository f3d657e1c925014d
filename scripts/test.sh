#!/usr/bin/env bash
# The test command: sets everything up (idempotent), then runs the whole test suite.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
# --blame: should the test host itself crash (a native fault), the log names the tests that were running.
dotnet test "$repo/AffectFuse.slnx" -c Release --no-build -nologo --logger "console;verbosity=normal" --blame "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# A failure is printed where it happens, among hundreds of passing lines; say it again last, where a log's tail shows it.
if [[ $status -ne 0 ]]; then
  echo
  echo "=== failed tests (repeated from above) ==="
  grep -E -A 30 '^\s+Failed [A-Za-z]' "$log" | grep -v -E '^\s+Passed ' | head -n 150 || true
  grep -a -E -A 12 'test run was aborted|host process crashed|was running when' "$log" | grep -a -v NNPACK | head -n 40 || true
fi
exit "$status"
