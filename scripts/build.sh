#!/usr/bin/env bash
# Configures and builds minga. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
# MINGA_SANITIZE=1 builds with ASan/UBSan; CI=true turns warnings into errors.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
[ "${CI:-}" = "true" ] && args+=(-DMINGA_WERROR=ON)
[ "${MINGA_SANITIZE:-0}" = "1" ] && args+=(-DMINGA_SANITIZE=ON -DMINGA_BUILD_BENCH=OFF)
cmake -S "$root" -B "$build" "${args[@]}" "$@" >/dev/null
# Let ccache reuse objects across checkouts in different folders (CI clones afresh).
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --build "$build" -j "$jobs"
