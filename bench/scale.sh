#!/usr/bin/env bash
# Training, evaluation, inference and a sweep at Aff-Wild2's scale, each as its own process with its peak memory taken
# by the kernel (/usr/bin/time), on the data set that `affectfuse bench train` generates (3.4 GiB of float16 features).
# Usage: bench/scale.sh [WORK_DIR]    (default out/bench-train; the data set is written once and reused)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(realpath -m "${1:-$repo/out/bench-train}")"
data="$work/data" labels="$work/data/EXPR_Recognition_Challenge" runs="$work/scale"
command -v /usr/bin/time >/dev/null || { echo "error: /usr/bin/time: not installed (apt-get install time)" >&2; exit 2; }
mkdir -p "$runs"
af="$repo/affectfuse"

# Writes the data set if it is not there yet (and measures one epoch beside the model's own rate).
"$af" bench train --work "$work" --stride 128 --random-phase

# measure FILE-STEM LABEL COMMAND...: runs the command alone, prints its wall time and peak resident set.
measure() {
  local stem=$1 label=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$runs/$stem.time" "$@" > "$runs/$stem.out" 2> "$runs/$stem.err" \
    || { echo "error: $label failed, see $runs/$stem.err" >&2; exit 1; }
  read -r wall kib < "$runs/$stem.time"
  printf '%-30s %8.1f s   peak RSS %6.2f GiB\n' "$label" "$wall" "$(echo "$kib / 1048576" | bc -l)"
}
src=(--visual-npy "$data/visual" --audio-npy "$data/audio")
measure train "train (README command)" "$af" train "${src[@]}" --train-labels "$labels/Train_Set" --val-labels "$labels/Validation_Set" \
  --out "$runs/run" --epochs 1 --stride 128 --random-phase
measure train-default "train (default stride 64)" "$af" train "${src[@]}" --train-labels "$labels/Train_Set" --val-labels "$labels/Validation_Set" \
  --out "$runs/run-default" --epochs 1
measure evaluate "evaluate" "$af" evaluate --model "$runs/run/best.ckpt" "${src[@]}" --labels "$labels/Validation_Set"
measure infer "infer (all 318 videos)" "$af" infer --model "$runs/run/best.ckpt" "${src[@]}" --out "$runs/infer" --abaw-csv "$runs/infer.csv"
measure sweep "evaluate --sweep (8 points)" "$af" evaluate --model "$runs/run/best.ckpt" "${src[@]}" --labels "$labels/Validation_Set" \
  --sweep --sweep-windows 64,128 --sweep-strides 0.5,1 --sweep-smooth 0,16
du -b --apparent-size -c "$data"/visual/*.npy "$data"/audio/*.npy | tail -1 | awk '{printf "feature files: %.2f GiB; bound 1.3 x that + 1.5 GiB = %.2f GiB\n", $1/2^30, 1.3*$1/2^30+1.5}'
