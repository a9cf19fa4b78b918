#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing and benchmarking minga need.
# Idempotent: packages already present are skipped, so a second run does no network work.
# libxml2-utils (xmllint) validates the IATI export against the XSD in the tests; chromium opens
# the dashboard headless in the tests (chromium-driver for WebDriver use).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libmsgpack-cxx-dev libsqlite3-dev sqlite3
  catch2 libzstd-dev libssl-dev libsodium-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev
  libxml2-utils chromium chromium-driver
)

# Fuzzing (fuzz/, -DMINGA_FUZZ=ON) needs clang and its libFuzzer runtime; only when asked:
#   MINGA_FUZZ=1 bash scripts/install-deps.sh
if [ "${MINGA_FUZZ:-0}" = "1" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
