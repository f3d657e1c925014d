#!/usr/bin/env bash
# Makes a corpus folder that is CORPUS with the feature files of some clips taken from another folder: the labels and
# every other clip's features stay symbolic links to CORPUS's. For re-extracting only the clips a change touches (e.g.
# the face-bearing clips after a detector change) and training on the result with `bench/corpus-run.sh`.
#   bench/corpus-swap-features.sh CORPUS FEATURES OUT
#   e.g. bench/corpus-swap-features.sh out/corpus-spx out/roi/features out/corpus-roi
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 CORPUS FEATURES OUT" >&2; exit 2; }
corpus="$(realpath "$1")" features="$(realpath "$2")" out="$3"
[[ -f "$corpus/corpus.json" && -d "$corpus/features" ]] || { echo "error: $corpus: not an extracted corpus folder (corpus.json, features/)" >&2; exit 2; }
[[ -d "$features" ]] || { echo "error: $features: no such folder" >&2; exit 2; }
[[ ! -e "$out" ]] || { echo "error: $out: exists (remove it first)" >&2; exit 2; }
mkdir -p "$out/features"
for set in Train_Set Validation_Set Test_Set; do
  mkdir -p "$out/EXPR_Recognition_Challenge/$set"
  for f in "$corpus/EXPR_Recognition_Challenge/$set"/*.txt; do ln -sfn "$(realpath "$f")" "$out/EXPR_Recognition_Challenge/$set/$(basename "$f")"; done
done
swapped=0
for f in "$corpus/features"/*.npz; do
  name="$(basename "$f")"
  if [[ -f "$features/$name" ]]; then
    ln -sfn "$features/$name" "$out/features/$name"
    swapped=$((swapped + 1))
  else
    ln -sfn "$(realpath "$f")" "$out/features/$name"
  fi
done
cp "$corpus/corpus.json" "$out/corpus.json"
echo "$out: $(ls "$out/features" | wc -l) feature files, $swapped of them from $features"
