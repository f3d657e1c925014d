#!/usr/bin/env bash
# Makes a corpus folder that holds every clip of CORPUS and, beside them, the training voices that a second corpus built
# with `bench corpus --speed-share S` played faster or slower (Kaldi-style speed perturbation as copies added beside the
# originals, not in their place). Both corpora must come from the same seed and data so that names agree. Labels and
# features are symbolic links; a copy is named `<clip>_sp.*` and carries the perturbed corpus's own labels (a sped
# utterance has fewer or more frames).
#   bench/corpus-add-copies.sh CORPUS PERTURBED-CORPUS OUT
#   e.g. bench/corpus-add-copies.sh out/corpus out/corpus-sp out/corpus-spx
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 CORPUS PERTURBED-CORPUS OUT" >&2; exit 2; }
corpus="$(realpath "$1")" perturbed="$(realpath "$2")" out="$3"
for c in "$corpus" "$perturbed"; do
  [[ -f "$c/corpus.json" && -d "$c/features" ]] || { echo "error: $c: not an extracted corpus folder (corpus.json, features/)" >&2; exit 2; }
done
mkdir -p "$out/features"
for set in Train_Set Validation_Set Test_Set; do
  mkdir -p "$out/EXPR_Recognition_Challenge/$set"
  for f in "$corpus/EXPR_Recognition_Challenge/$set"/*.txt; do ln -sfn "$f" "$out/EXPR_Recognition_Challenge/$set/"; done
done
for f in "$corpus/features"/*.npz; do ln -sfn "$f" "$out/features/"; done
# The perturbed training voices, by the speed corpus.json records for them.
python3 - "$perturbed/corpus.json" <<'PY' | while read -r name; do
import json, sys
for clip in json.load(open(sys.argv[1]))["Clips"]:
    speed = (clip.get("Sound") or {}).get("Speed")
    if clip["Kind"] == "Voice" and clip["Split"] == "Train" and speed not in (None, 1, 1.0):
        print(clip["Name"])
PY
  label="$perturbed/EXPR_Recognition_Challenge/Train_Set/$name.txt" features="$perturbed/features/$name.npz"
  [[ -f "$label" && -f "$features" ]] || { echo "error: $name: perturbed clip without labels or features" >&2; exit 2; }
  ln -sfn "$label" "$out/EXPR_Recognition_Challenge/Train_Set/${name}_sp.txt"
  ln -sfn "$features" "$out/features/${name}_sp.npz"
done
cp "$corpus/corpus.json" "$out/corpus.json"
echo "$out: $(ls "$out/EXPR_Recognition_Challenge/Train_Set" | wc -l) training clips ($(ls "$out/EXPR_Recognition_Challenge/Train_Set" | grep -c '_sp\.txt$') perturbed copies)"
