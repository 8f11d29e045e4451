#!/usr/bin/env bash
# bench/entry: accepted entries per second with ~1 MB receipt photos and the
# time from upload to the judgement shown, at 1, 8 and 64 shoppers; beside
# it, in the same run, the same uploads to upload_ref (network + disk only).
# Each concurrency level uses its own tenant, so no reading is reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/bench/results/entry-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
N=${BENCH_ENTRY_RECEIPTS:-40}
make -s bin/recam >/dev/null
cc -O2 -o "$OUT/upload_ref" bench/entry/upload_ref.c $(pkg-config --cflags --libs libmicrohttpd)
/usr/bin/python3 tests/receipts/gen.py --out "$OUT/receipts" --count "$N" --seed 77 --levels clean \
  --force 'ポテトチップス うすしお' >/dev/null
PHOTOS=$(ls "$OUT"/receipts/*-clean.* )
DATA=$OUT/data
# The generator dates receipts up to 2027 and a purchase date after the
# judging day goes to review, so the server judges as on 2027-12-31 (the test
# clock; the campaign's period covers it).
export RECAM_DATA_DIR=$DATA RECAM_LISTEN=127.0.0.1:18480 RECAM_READER_WORKERS=2 RECAM_WORKERS=2 RECAM_LOG_LEVEL=warn \
  RECAM_TEST_HOOKS=true
for c in 1 8 64; do
  bin/recam tenant create "bench-$c" "Bench $c" >/dev/null
  bin/recam campaign import "bench-$c" demo/campaign.json >/dev/null
done
bin/recam serve > "$OUT/recam.out" 2> "$OUT/recam.err" &
RECAM_PID=$!
mkdir -p "$OUT/ref"
"$OUT/upload_ref" 18481 "$OUT/ref" &
REF_PID=$!
trap 'kill $RECAM_PID $REF_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:18480/readyz >/dev/null && break; sleep 0.2; done
late_2027_ms=$(( $(date -d '2027-12-31T12:00:00+09:00' +%s) * 1000 ))
curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"offset_ms\": $(( late_2027_ms - $(date +%s%3N) ))}" http://127.0.0.1:18480/__test/clock >/dev/null
echo "bench/entry on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $N photos per level"
printf '%-11s %-6s %10s %8s %8s   %s\n' server shoppers "per s" "p50 s" "p95 s" statuses
for c in 1 8 64; do
  ref=$(/usr/bin/python3 bench/entry/load.py 18481 /upload "$c" nopoll $PHOTOS)
  rec=$(/usr/bin/python3 bench/entry/load.py 18480 "/t/bench-$c/api/campaigns/potato-winter/entries" "$c" poll $PHOTOS)
  echo "$ref" >> "$OUT/results.jsonl"; echo "$rec" >> "$OUT/results.jsonl"
  for pair in "upload_ref:$ref" "recam:$rec"; do
    name=${pair%%:*}; js=${pair#*:}
    /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[2]); print("%-11s %-6d %10.2f %8.3f %8.3f   %s" % (sys.argv[1], d["concurrency"], d["per_s"], d["p50_s"], d["p95_s"], d["statuses"]))' "$name" "$js"
  done
done
echo "raw results: $OUT/results.jsonl"
