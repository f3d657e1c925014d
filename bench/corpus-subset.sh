#!/usr/bin/env bash
# Makes a training root that holds only some clips of a `bench corpus` folder, for choices made across corpora
# (train without one corpus, score on it). Labels are symbolic links to the corpus's label files; features/ links
# to the corpus's features folder.
#   bench/corpus-subset.sh CORPUS OUT EXCLUDE-REGEX
#   e.g. bench/corpus-subset.sh out/corpus out/no-ravdess '^(voice|av)_ravdess_'
set -euo pipefail
corpus="$(realpath "$1")" out="$2" exclude="$3"
[[ -d "$corpus/EXPR_Recognition_Challenge" ]] || { echo "error: $corpus: not a corpus folder (no EXPR_Recognition_Challenge/)" >&2; exit 2; }
for set in Train_Set Validation_Set Test_Set; do
  [[ -d "$corpus/EXPR_Recognition_Challenge/$set" ]] || continue
  mkdir -p "$out/EXPR_Recognition_Challenge/$set"
  for f in "$corpus/EXPR_Recognition_Challenge/$set"/*.txt; do
    name="$(basename "$f")"
    [[ "$name" =~ $exclude ]] || ln -sfn "$f" "$out/EXPR_Recognition_Challenge/$set/$name"
  done
done
ln -sfn "$corpus/features" "$out/features"
