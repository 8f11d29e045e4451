#!/usr/bin/env bash
# bench/admin — the review queue (approve → next entry, 10,000 pending) and
# the entry search (1,000,000 entries, the common filters, page 1 and 50,000
# rows deep), beside GET /healthz and SQLite alone in the same run.
#   bench/admin/run.sh                          full size (~3 min to generate)
#   ENTRIES=100000 DECISIONS=100 bench/admin/run.sh   smaller, while developing
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${RECAM_BIN:-$ROOT/bin/recam}
[[ -x $BIN ]] || { echo "bench/admin: $BIN missing (make bin/recam)" >&2; exit 1; }
OUT=$ROOT/bench/results/admin/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
/usr/bin/python3 "$ROOT/bench/admin/admin_bench.py" --bin "$BIN" --out "$OUT" \
	--entries "${ENTRIES:-1000000}" --review "${REVIEW:-10000}" --decisions "${DECISIONS:-300}" \
	--queries "${QUERIES:-40}" | tee "$OUT/summary.txt"
# The generated database is large (1.7 GB): kept only with KEEP=1 (for --reuse).
[[ ${KEEP:-0} == 1 ]] || rm -rf "$OUT/data"
