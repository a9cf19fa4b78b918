#!/usr/bin/env bash
# Sets up everything (Debian packages, build) and runs the whole test suite with CTest.
# MINGA_SANITIZE=1 runs it under AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
build="$root/build"
[ "${MINGA_SANITIZE:-0}" = "1" ] && build="$root/build-asan"
bash "$root/scripts/build.sh" "$build"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# Tests labelled `slow` (the 1,000-seed fault run) only with MINGA_SLOW=1.
labels=(-LE slow)
[ "${MINGA_SLOW:-0}" = "1" ] && labels=()
ctest --test-dir "$build" --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "${labels[@]}" "$@"
