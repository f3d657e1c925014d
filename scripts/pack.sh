#!/usr/bin/env bash
# Packs the library (AffectFuse.nupkg), the live page's server (AffectFuse.Live.nupkg) and the .NET tool (AffectFuse.Cli.nupkg, a pointer, and AffectFuse.Cli.linux-x64.nupkg,
# which holds the program with linux-x64's native libraries only, libtorch patched for Debian 12) into a folder.
# Not part of scripts/setup.sh: the tool package is ~200 MB (libtorch), so packing on every setup would cost time and disk
# for nothing; the install test packs into a folder of its own.
# Usage: scripts/pack.sh [OUT_DIR] [dotnet pack options…]   (default: <repo>/artifacts/packages; the install test passes
#        --disable-build-servers so that no build server outlives it)
# Then:  dotnet tool install --global --add-source OUT_DIR AffectFuse.Cli   (or --tool-path DIR), and: affectfuse models fetch
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-$repo/artifacts/packages}" && cd "${1:-$repo/artifacts/packages}" && pwd)"
shift $(( $# > 0 ? 1 : 0 ))
command -v dotnet >/dev/null || { echo "pack: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
echo "pack: packing AffectFuse, AffectFuse.Live and AffectFuse.Cli (Release) into $out"
dotnet pack "$repo/AffectFuse.slnx" -c Release -nologo -v q -clp:ErrorsOnly -p:PackageOutputPath="$out/" "$@"
ls -l "$out"/AffectFuse*.nupkg
