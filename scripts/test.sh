#!/usr/bin/env bash
# The test command: sets everything up (idempotent), then runs the whole test suite.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
dotnet test "$repo/AffectFuse.slnx" -c Release --no-build -nologo --logger "console;verbosity=normal" "$@"
