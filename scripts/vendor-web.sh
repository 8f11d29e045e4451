#!/usr/bin/env bash
# Re-creates the third-party browser code vendored under web/admin/vendor/
# from the npm registry, so what is committed can be checked and updated.
# Each package is pinned to an exact version and to the SHA-512 integrity
# the registry publishes for it; the copied files are listed with their
# SHA-256 in web/admin/vendor/README.md.
#   scripts/vendor-web.sh           fetch and copy
#   scripts/vendor-web.sh --check   fetch and compare with what is committed
set -euo pipefail
cd "$(dirname "$0")/.."

# package  version  registry integrity (npm view PKG@VER dist.integrity)  files: tarball path -> vendor name
CHARTJS_VERSION=4.6.1
CHARTJS_INTEGRITY="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="

check=0
[ "${1:-}" = "--check" ] && check=1
out=web/admin/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() { # name version integrity
  local name=$1 version=$2 integrity=$3
  (cd "$tmp" && npm pack --silent "$name@$version" > pack.txt)
  local tgz="$tmp/$(tail -n 1 "$tmp/pack.txt")"
  if [ -n "$integrity" ]; then
    local got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
    [ "$got" = "$integrity" ] || { echo "integrity mismatch for $name@$version: $got" >&2; exit 1; }
  fi
  mkdir -p "$tmp/$name" && tar -xzf "$tgz" -C "$tmp/$name"
}

place() { # source dest
  if [ "$check" = 1 ]; then
    cmp -s "$1" "$out/$2" || { echo "$out/$2 differs from the npm package" >&2; exit 1; }
  else
    install -m 0644 "$1" "$out/$2"
  fi
}

fetch chart.js "$CHARTJS_VERSION" "$CHARTJS_INTEGRITY"
place "$tmp/chart.js/package/dist/chart.umd.js" chart.umd.js
place "$tmp/chart.js/package/LICENSE.md" chart.js.LICENSE.md

if [ "$check" = 1 ]; then
  echo "web/admin/vendor matches the npm packages"
else
  (cd "$out" && sha256sum chart.umd.js chart.js.LICENSE.md)
fi
