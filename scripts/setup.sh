#!/usr/bin/env bash
# Sets up gitvoice in ./.venv on a fresh clone: system packages (Debian/Ubuntu), then Python packages.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --dev    plus the test, lint and type-check tools and the test sound server
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

# libportaudio2: sounddevice's C library; ffmpeg: audio containers soundfile cannot read (m4a, webm);
# espeak-ng: readback voice. The test suite also needs a real sound server (PulseAudio with a null sink).
# man-db: git shows `git voice --help` as the man page git-voice(1).
system_packages=(git libportaudio2 libsndfile1 ffmpeg espeak-ng man-db)
# sox: benchmarks/make_corpus.py resamples and encodes the synthetic benchmark corpus with it.
[ "$dev" = 1 ] && system_packages+=(pulseaudio pulseaudio-utils libasound2-plugins sox)
# chromium, chromium-driver: tests/review drives the review page in Debian's headless Chromium through Selenium and
# the system chromedriver, so no test downloads a browser build of its own.
[ "$dev" = 1 ] && system_packages+=(chromium chromium-driver)
# The differential tests in tests/composition run the real commitlint (tests/oracles/package.json): Node and npm.
if [ "$dev" = 1 ] && ! command -v node >/dev/null 2>&1; then
  system_packages+=(nodejs npm)
fi

install_system_packages() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: not a Debian/Ubuntu system; install these with your package manager if missing: ${system_packages[*]}" >&2
    return 0
  fi
  local missing=()
  for pkg in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  echo "setup: installing system packages: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_system_packages

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)

# torch first and pinned, so that nothing installed later chooses a torch build of its own (an unpinned
# requirement resolves to the newest, multi-GB CUDA build on Linux). Where the package index offers a CPU
# build of the pin, that is what arrives; PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu asks
# for one elsewhere. With 2.13.0 present, "torch>=2.4" below is already satisfied.
"${pip[@]}" "torch==${GITVOICE_TORCH_VERSION:-2.13.0}"
"${pip[@]}" -r requirements/runtime.txt
# openai-whisper without its dependencies: on Linux it pulls triton (~1 GB), which only speeds up
# word timestamps on CUDA; on CPU whisper uses its numba fallback. requirements/runtime.txt holds
# its other dependencies. gitvoice never asks for word timestamps, so triton would never run.
"${pip[@]}" --no-deps "openai-whisper==20250625"
[ "$dev" = 1 ] && "${pip[@]}" -r requirements/dev.txt
# The pinned commitlint that tests/composition/test_commitlint_differential.py compares gitvoice's rule engine with.
# npm ci starts from an empty node_modules; skip it while the installed tree is newer than the lock file.
if [ "$dev" = 1 ] && command -v npm >/dev/null 2>&1 \
    && ! [ tests/oracles/node_modules/.package-lock.json -nt tests/oracles/package-lock.json ]; then
  npm ci --prefix tests/oracles --no-audit --no-fund --loglevel=error
fi
"${pip[@]}" --no-deps --no-build-isolation -e .
# git voice --help is `man git-voice`: the pages go to .venv/share/man/man1, where man looks for .venv/bin's commands.
.venv/bin/git-voice manpages >/dev/null
echo "setup: ready; activate with: source .venv/bin/activate" >&2
