#!/usr/bin/env bash
# One run of the cross-corpus choice: trains on the clips of a `bench corpus` folder that do not match EXCLUDE-REGEX
# (the validation split likewise, for the best epoch), then scores the best checkpoint on each validation set of the
# corpus separately — face-only clips, EmoDB voices, RAVDESS voices, audio-visual clips — with `evaluate-clips`, which
# scores each pretrained net alone beside it. A run whose scores exist is skipped, so the script can be rerun.
#   bench/corpus-run.sh CORPUS OUT NAME EXCLUDE-REGEX CONFIG [train flags…]
#   e.g. bench/corpus-run.sh out/corpus out/choose emodb-voice '^(face|av)_|^voice_ravdess_' cfg.json --modalities AudioOnly
# `bench/corpus-table.sh OUT` gathers every run's scores into one table.
set -euo pipefail
[[ $# -ge 5 ]] || { echo "usage: $0 CORPUS OUT NAME EXCLUDE-REGEX CONFIG [train flags…]" >&2; exit 2; }
corpus="$1" out="$2" name="$3" exclude="$4" config="$5"; shift 5
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
af="${AFFECTFUSE:-$here/../affectfuse}"
[[ -d "$corpus/features" ]] || { echo "error: $corpus: no features/ (run extract on its videos first)" >&2; exit 2; }
[[ -f "$config" ]] || { echo "error: $config: no such config file" >&2; exit 2; }

sets="$out/sets"
mkdir -p "$sets"
declare -A include=([faces]='^face_' [emodb]='^voice_emodb_' [ravdess]='^voice_ravdess_' [av]='^av_')
for set in "${!include[@]}"; do
  [[ -s "$sets/$set-val.csv" ]] || "$here/clip-labels.sh" "$corpus/EXPR_Recognition_Challenge/Validation_Set" "${include[$set]}" > "$sets/$set-val.csv"
done

run="$out/$name"
mkdir -p "$run"
printf '%s\n' "exclude: $exclude" "config: $config" "flags: $*" > "$run/what.txt"
[[ -d "$run/root" ]] || "$here/corpus-subset.sh" "$corpus" "$run/root" "$exclude"
if [[ ! -f "$run/train/done" ]]; then
  if [[ -f "$run/train/last.ckpt" ]]; then
    "$af" train --data "$run/root" --out "$run/train" --resume "$run/train"     # a killed run goes on with its own options
  else
    "$af" train --data "$run/root" --config "$config" --out "$run/train" "$@"
  fi
  touch "$run/train/done"
fi
for set in "${!include[@]}"; do
  [[ -s "$run/$set-val.json" ]] || "$af" evaluate-clips "$corpus/features" --labels "$sets/$set-val.csv" \
    --model "$run/train/best.ckpt" --json "$run/$set-val.json" > "$run/$set-val.txt"
done
