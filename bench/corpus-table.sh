#!/usr/bin/env bash
# Gathers the runs of `bench/corpus-run.sh` under OUT into one Markdown table: for each run and each validation set,
# clip macro-F1 and accuracy of the model, and beside it the pretrained nets alone on the same clips.
#   bench/corpus-table.sh OUT > table.md
set -euo pipefail
out="$1"
score() {   # FILE SYSTEM -> "F1 (acc %)" or "–"
  [[ -s "$1" ]] || { echo "–"; return; }
  awk -v sys="$2" '
    $0 ~ "\"system\": \"" sys "\"" { hit = 1; next }
    hit && /"accuracy"/ { gsub(/[,]/, "", $2); acc = $2 }
    hit && /"macro_f1"/ { gsub(/[,]/, "", $2); printf "%.3f (%.1f %%)", $2, acc * 100; exit }' "$1"
}
sets=(faces emodb ravdess av)
runs=()
for run in "$out"/*/; do [[ -f "$run/what.txt" ]] && runs+=("${run%/}"); done
echo "| run | trained on (excluded) | face-only clips | EmoDB voices | RAVDESS voices | audio-visual clips |"
echo "| --- | --- | --- | --- | --- | --- |"
for run in "${runs[@]}"; do
  row="| $(basename "$run") | \`$(sed -n 's/^exclude: //p' "$run/what.txt")\` |"
  for set in "${sets[@]}"; do row+=" $(score "$run/$set-val.json" model) |"; done
  echo "$row"
done
# The pretrained nets do not train: their scores are the same in every run; the first run's are shown.
if [[ ${#runs[@]} -gt 0 ]]; then
  for sys in faceapi faceapi_mean minixception; do
    row="| $sys alone | (pretrained) |"
    for set in "${sets[@]}"; do row+=" $(score "${runs[0]}/$set-val.json" "$sys") |"; done
    echo "$row"
  done
fi
echo
echo "Macro-F1 over the classes present (clip accuracy), clip majority, validation speakers and identities of each corpus."
echo
echo "| run | audio-visual clips: fused | the model, voice masked (face only) | the model, face masked (voice only) |"
echo "| --- | --- | --- | --- |"
for run in "${runs[@]}"; do
  echo "| $(basename "$run") | $(score "$run/av-val.json" model) | $(score "$run/av-val.json" model_voice_masked) | $(score "$run/av-val.json" model_face_masked) |"
done
