#!/usr/bin/env bash
# The main job: set up (idempotent), then `affectfuse demo` — build a short clip from material the set-up installed
# (a public-domain portrait, espeak-ng speech, a span with the face covered), predict every frame with the shipped
# model, print the expression segments, and write the CSV, timeline PNG and HTML report.
# Usage: scripts/run.sh [OUT_DIR]   (default: out/demo)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
"$repo/affectfuse" demo --out "${1:-$repo/out/demo}"
