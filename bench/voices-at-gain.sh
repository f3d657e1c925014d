#!/usr/bin/env bash
# Robustness to recording level: copies the voice-only clips of one split of a `bench corpus` folder whose names match
# a regex, played DB decibels louder or quieter (32-bit float WAV, so nothing clips), and extracts their features
# under the same clip names, so `evaluate-clips OUT/features --labels …` scores a model on the same utterances
# recorded at another level.
#   bench/voices-at-gain.sh CORPUS SPLIT REGEX DB OUT
#   e.g. bench/voices-at-gain.sh out/corpus validation '^voice_ravdess_' 12 out/gain
# A copy already made is kept, so the script can be rerun with other regexes into the same OUT.
set -euo pipefail
[[ $# -eq 5 ]] || { echo "usage: $0 CORPUS SPLIT REGEX DB OUT" >&2; exit 2; }
corpus="$1" split="$2" include="$3" db="$4" out="$5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
af="${AFFECTFUSE:-$here/../affectfuse}"
[[ -d "$corpus/videos/$split" ]] || { echo "error: $corpus/videos/$split: no such folder (a bench corpus folder and a split: train, validation, test)" >&2; exit 2; }
[[ "$db" =~ ^-?[0-9]+(\.[0-9]+)?$ ]] || { echo "error: DB: '$db' is not a number of decibels" >&2; exit 2; }
mkdir -p "$out/videos"
for f in "$corpus/videos/$split"/voice_*; do
  name="$(basename "${f%.*}")"
  [[ "$name" =~ $include && ! -s "$out/videos/$name.wav" ]] || continue
  ffmpeg -nostdin -loglevel error -y -i "$f" -af "volume=${db}dB" -c:a pcm_f32le "$out/partial.wav"
  mv "$out/partial.wav" "$out/videos/$name.wav"
done
"$af" extract "$out/videos" --out "$out/features"
