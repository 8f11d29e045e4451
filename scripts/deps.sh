#!/usr/bin/env bash
# Installs the Debian 12 packages recam needs to build, run and test.
# Idempotent: installs only what is missing, so `make` can call it every time.
# Usage: scripts/deps.sh [build|test|all]   (default: build)
set -euo pipefail

build_pkgs=(
  build-essential pkg-config clang
  libmicrohttpd-dev libgnutls28-dev libjansson-dev libsqlite3-dev libsodium-dev
  libcurl4-gnutls-dev libutf8proc-dev libxlsxwriter-dev libxlsxwriter4
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-jpn tesseract-ocr-script-jpan tesseract-ocr-eng
  libheif-dev libexif-dev libjpeg-dev libpng-dev libwebp-dev
  fonts-noto-cjk fonts-ipafont
  skkdic ipadic-common
)
test_pkgs=(
  libcriterion-dev libclang-rt-14-dev
  python3 python3-pytest python3-pil python3-numpy
  curl prometheus gnutls-bin wrk sqlite3 chromium
)

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test|all) want+=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "recam: missing packages: ${missing[*]}" >&2
  echo "recam: run as root (or install them) to continue" >&2
  exit 1
fi
echo "recam: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; refresh them once if an install fails.
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
