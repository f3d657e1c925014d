#!/usr/bin/env bash
# Writes the clip,label CSV that `evaluate-clips` reads, for the clips of one label folder whose names match a regex:
# each clip's label is its annotation file's first frame (corpus clips carry one class throughout).
#   bench/clip-labels.sh out/corpus/EXPR_Recognition_Challenge/Validation_Set '^voice_ravdess_' > ravdess-val.csv
set -euo pipefail
dir="$1" include="$2"
echo "clip,label"
for f in "$dir"/*.txt; do
  name="$(basename "$f" .txt)"
  [[ "$name" =~ $include ]] && echo "$name,$(sed -n 2p "$f")"
done
exit 0
