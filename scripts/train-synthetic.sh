#!/usr/bin/env bash
# The foundation end to end on data it makes itself (no video needed): set up, generate an Aff-Wild2-layout
# feature data set, train the dual-branch model, evaluate it with soft voting, write per-frame predictions.
# Usage: scripts/train-synthetic.sh [OUT_DIR]   (default: out/synthetic)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/out/synthetic}"
"$repo/scripts/setup.sh"
af() { "$repo/affectfuse" "$@"; }
af synth --out "$out/data" --seed 7
af train --data "$out/data" --out "$out/model" --epochs 12
af evaluate --model "$out/model/best.ckpt" --features "$out/data/features" \
   --labels "$out/data/EXPR_Recognition_Challenge/Validation_Set" --json "$out/eval/scores.json" --confusion-png "$out/eval/confusion.png"
af infer --model "$out/model/best.ckpt" --features "$out/data/features" --out "$out/predictions" --abaw-csv "$out/predictions/abaw_submission.csv"
echo "main job done: see $out (model/curves.png, eval/, predictions/)"
