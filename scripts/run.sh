#!/usr/bin/env bash
# The main job, end to end on data it makes itself: set up (idempotent), generate an Aff-Wild2-layout feature
# data set, train the dual-branch model, evaluate it with soft voting, and write per-frame predictions.
# Usage: scripts/run.sh [OUT_DIR]   (default: out/run)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/out/run}"
"$repo/scripts/setup.sh"
af() { "$repo/affectfuse" "$@"; }
af synth --out "$out/data" --seed 7
af train --data "$out/data" --out "$out/model" --epochs 12
af evaluate --model "$out/model/best.ckpt" --features "$out/data/features" \
   --labels "$out/data/EXPR_Recognition_Challenge/Validation_Set" --json "$out/eval/scores.json" --confusion-png "$out/eval/confusion.png"
af infer --model "$out/model/best.ckpt" --features "$out/data/features" --out "$out/predictions" --abaw-csv "$out/predictions/abaw_submission.csv"
echo "main job done: see $out (model/curves.png, eval/, predictions/)"
