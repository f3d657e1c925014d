#!/usr/bin/env bash
# The test command: sets everything up (idempotent), then runs the whole test suite.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# --blame: should the test host itself crash (a native fault), the log names the tests that were running.
run_suite() {
  set +e
  dotnet test "$repo/AffectFuse.slnx" -c Release --no-build -nologo --logger "console;verbosity=normal" --blame "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
}

# What the crash report says, without libtorch's NNPACK warnings that flood it.
crash_report() {
  sed 's/\[W[0-9]* [0-9:.]* NNPACK.cpp:[0-9]*\] Could not initialize NNPACK! Reason: Unsupported hardware\.//g' "$log" \
    | grep -a -E -A 6 'host process crashed|test running when the crash occurred' | grep -a -v -E '^\s*$' | head -n 30 || true
}

run_suite "$@"
# A known, not yet explained crash of the test host (a native fault, seen in 2 of 6 fresh-clone runs on 2026-12-07, with
# a live network test running each time; issue 17's note) is reported loudly and the suite run once more. A second crash,
# or any failed test, fails the run.
if [[ $status -ne 0 ]] && grep -a -q 'Test Run Aborted' "$log" && ! grep -a -q -E '^\s+Failed [A-Za-z]' "$log"; then
  echo
  echo "=== the test host crashed; the tests that were running: ==="
  crash_report
  echo "=== running the suite once more ==="
  run_suite "$@"
fi

# A failure is printed where it happens, among hundreds of passing lines; say it again last, where a log's tail shows it.
if [[ $status -ne 0 ]]; then
  echo
  echo "=== failed tests (repeated from above) ==="
  grep -a -E -A 30 '^\s+Failed [A-Za-z]' "$log" | grep -a -v -E '^\s+Passed ' | head -n 150 || true
  crash_report
fi
exit "$status"
