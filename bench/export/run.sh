#!/usr/bin/env bash
# bench/export/run.sh — exporting 1,000,000 entries from the admin console as
# CSV and .xlsx: the server's time and peak memory (it must stream), beside
# references measured in the same run:
#   - sqlite3 -csv of the same SELECT the export runs, to a file (what the
#     query and writing the bytes cost with no formatting, no decryption,
#     no HTTP);
#   - bench/export/table_bench.c: recam's table writer alone, the same number
#     of rows of the same shape, no database (what the file format costs).
#
# The data: the demo tenant and campaign (recam demo), BENCH_PARTICIPANTS
# shoppers whose addresses are sealed with the tenant key as the entry flow
# seals them (bench/export/seed.c), and BENCH_ENTRIES accepted entries with a
# store, a total and a target product, generated in SQLite directly. Each
# export runs against a freshly started server (release build), so its
# VmHWM is that export's peak; VmRSS is also sampled every 100 ms.
#
# Settings (environment):
#   BENCH_ENTRIES       entries                          (default 1000000)
#   BENCH_PARTICIPANTS  distinct shoppers                (default 100000)
#   BENCH_FORMATS       formats exported                 (default "csv xlsx csv-sjis")
#   RECAM_BIN           the recam binary                 (default bin/recam, built)
# Exit status is non-zero only when the bench could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
ENTRIES=${BENCH_ENTRIES:-1000000}
PARTS=${BENCH_PARTICIPANTS:-100000}
FORMATS=${BENCH_FORMATS:-csv xlsx csv-sjis}
PASSWORD='Bench-Export-Kettle-42'

die() {
	echo "bench/export: $*" >&2
	exit 1
}
for v in "$ENTRIES" "$PARTS"; do
	[[ $v =~ ^[0-9]{1,9}$ ]] || die "settings take non-negative integers, got '$v'"
done
((PARTS >= 1 && PARTS <= ENTRIES)) || die "need 1 <= BENCH_PARTICIPANTS <= BENCH_ENTRIES"
for tool in sqlite3 curl /usr/bin/time pkg-config; do command -v "$tool" >/dev/null || die "$tool not found"; done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/bench/results/export/$STAMP"
mkdir -p "$OUT" build/bench

if [[ -z ${RECAM_BIN:-} ]]; then
	flock /tmp/recam-build.lock make bin/recam >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; die "build failed"; }
	RECAM_BIN=$ROOT/bin/recam
fi
# The helpers link recam's release objects (what bin/recam is made of).
PKGS="libmicrohttpd gnutls jansson sqlite3 libsodium libutf8proc tesseract lept libheif libexif xlsxwriter"
OBJS=$(find build/rel/src build/rel/build -name '*.o' ! -path '*/cli/main.o' | sort)
for b in seed table_bench; do
	cc -std=c11 -D_GNU_SOURCE -Isrc -O2 -g -Wall -Wextra -Werror -fPIE -pie $(pkg-config --cflags $PKGS) \
		-o "build/bench/export_$b" "bench/export/$b.c" $OBJS $(pkg-config --libs $PKGS) -lpthread -lm \
		>>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; die "building $b failed"; }
done

WORK=$(mktemp -d /tmp/recam-bench-export-XXXXXX)
SERVER_PID=
cleanup() {
	[[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	rm -rf -- "$WORK"
}
trap cleanup EXIT
export RECAM_DATA_DIR=$WORK/data RECAM_LOG_LEVEL=warn RECAM_READER_WORKERS=0

{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "host: $(uname -srm)"
	echo "nproc: $(nproc)"
	echo "cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "libxlsxwriter: $(pkg-config --modversion xlsxwriter), sqlite3 CLI: $(sqlite3 --version | cut -d' ' -f1)"
	echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src has uncommitted changes)')"
	echo "settings: entries=$ENTRIES participants=$PARTS formats=$FORMATS"
} | tee "$OUT/machine.txt"

RECAM_DEMO_PASSWORD=$PASSWORD "$RECAM_BIN" demo demo/campaign.json >"$OUT/demo.txt" 2>&1 || { cat "$OUT/demo.txt" >&2; die "recam demo failed"; }
DB=$(ls "$WORK"/data/tenants/*/tenant.db | head -n1)
start=$SECONDS
build/bench/export_seed demo "$PARTS" >"$OUT/seed.txt" 2>&1 || { cat "$OUT/seed.txt" >&2; die "seeding participants failed"; }
CID=$(sqlite3 "$DB" "SELECT id FROM campaigns WHERE slug = 'potato-winter'")
sqlite3 "$DB" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $ENTRIES)
INSERT INTO entries(id, campaign_id, participant_id, status, units, campaign_day, created_at, judged_at,
                    store, purchase_day, total, confidence_ppm)
SELECT lower(hex(randomblob(13))), '$CID', (SELECT id FROM participants WHERE rowid = 1 + i % $PARTS), 'accepted',
       1 + i % 3, 20454 + i / 20000, 1767193200 + i * 25, 1767193205 + i * 25,
       CASE i % 5 WHEN 0 THEN 'ローソン 渋谷駅前店' WHEN 1 THEN 'セブン-イレブン 新宿三丁目店'
                  WHEN 2 THEN 'ファミリーマート 梅田店' WHEN 3 THEN 'イオン 幕張新都心店' ELSE 'イトーヨーカドー 大井町店' END,
       20450 + i / 20000, 198 + (i * 37) % 5000, 950000
  FROM n;
INSERT INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)
SELECT id, campaign_id, 'ポテトチップス うすしお', 1 + (created_at / 25) % 3, 158 * (1 + (created_at / 25) % 3), created_at
  FROM entries WHERE campaign_id = '$CID';
COMMIT;
SQL
echo "data: $(sqlite3 "$DB" "SELECT count(*) FROM entries") entries, $(sqlite3 "$DB" "SELECT count(*) FROM participants") participants, $(du -h "$DB" | cut -f1) database; generated in $((SECONDS - start)) s" | tee "$OUT/data.txt"

rss_of() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# One export against a fresh server: seconds, bytes, rows, peak RSS.
export_once() {
	local fmt=$1 log=$OUT/server-$1.log
	RECAM_LISTEN=127.0.0.1:0 "$RECAM_BIN" serve >"$WORK/serve.out" 2>"$log" &
	SERVER_PID=$!
	local port=
	for _ in $(seq 1 300); do
		port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/serve.out" 2>/dev/null | grep -o '[0-9]*$' || true)
		[[ -n $port ]] && break
		sleep 0.1
	done
	[[ -n $port ]] || die "the server did not start (see $log)"
	local base=http://127.0.0.1:$port/t/demo
	curl -sf -c "$WORK/jar" -H 'Content-Type: application/json' \
		-d "{\"email\":\"owner@demo.example\",\"password\":\"$PASSWORD\"}" "$base/api/admin/login" >/dev/null ||
		die "login failed"
	# The login's Argon2id (64 MiB) is not the export's: reset the peak.
	echo 5 >"/proc/$SERVER_PID/clear_refs"
	local before
	before=$(rss_of "$SERVER_PID" VmRSS)
	: >"$WORK/rss"
	(while kill -0 "$SERVER_PID" 2>/dev/null; do rss_of "$SERVER_PID" VmRSS >>"$WORK/rss" || true; sleep 0.1; done) &
	local sampler=$!
	local res
	res=$(curl -sf -b "$WORK/jar" -o "$WORK/export.$fmt" -D "$WORK/headers" \
		-w '%{time_starttransfer} %{time_total} %{size_download}' \
		"$base/api/admin/entries/export?campaign=$CID&format=$fmt") || die "export $fmt failed"
	local hwm
	hwm=$(rss_of "$SERVER_PID" VmHWM)
	kill "$sampler" 2>/dev/null || true
	wait "$sampler" 2>/dev/null || true
	kill "$SERVER_PID"
	wait "$SERVER_PID" || true
	SERVER_PID=
	local sampled
	sampled=$(sort -n "$WORK/rss" | tail -n1)
	local rows
	rows=$(tr -d '\r' <"$WORK/headers" | awk -F': ' 'tolower($1) == "x-table-rows" {print $2}')
	read -r ttfb total size <<<"$res"
	echo "$fmt $total $ttfb $size $rows $before $hwm ${sampled:-0}"
	cp "$WORK/headers" "$OUT/headers-$fmt.txt"
	rm -f "$WORK/export.$fmt"
}

echo
printf '%-34s %9s %12s %11s %14s\n' "what" "seconds" "MB written" "rows" "peak RSS MiB" | tee "$OUT/summary.txt"
line() { printf '%-34s %9s %12s %11s %14s\n' "$@" | tee -a "$OUT/summary.txt"; }

# Reference 1: the same SELECT (its email column is the sealed blob) to CSV.
REF_SQL="SELECT e.id, e.campaign_id, (SELECT slug FROM campaigns WHERE id = e.campaign_id), e.status, e.reason,
 e.created_at, e.store, e.purchase_day, e.total, e.units, e.participant_id, e.reviewed_by, e.reviewed_at,
 (SELECT group_concat(product || '×' || quantity, ' / ') FROM entry_products WHERE entry_id = e.id),
 hex((SELECT email_sealed FROM participants WHERE id = e.participant_id))
 FROM entries e WHERE e.campaign_id = '$CID' ORDER BY e.created_at DESC, e.id DESC"
/usr/bin/time -f '%e %M' -o "$WORK/time" sqlite3 -csv -header "$DB" "$REF_SQL" >"$WORK/ref.csv"
read -r rsec rkib <"$WORK/time"
line "reference: sqlite3 -csv (same query)" "$rsec" "$(awk -v b="$(stat -c %s "$WORK/ref.csv")" 'BEGIN {printf "%.1f", b / 1048576}')" \
	"$(($(wc -l <"$WORK/ref.csv") - 1))" "$(awk -v k="$rkib" 'BEGIN {printf "%.1f", k / 1024}')"
rm -f "$WORK/ref.csv"

for fmt in $FORMATS; do
	read -r _ total ttfb size rows before hwm sampled < <(export_once "$fmt")
	line "recam export $fmt (HTTP, whole)" "$total" "$(awk -v b="$size" 'BEGIN {printf "%.1f", b / 1048576}')" "$rows" \
		"$(awk -v k="$hwm" 'BEGIN {printf "%.1f", k / 1024}')"
	echo "  $fmt: first byte after ${ttfb}s (the file is complete before it is sent), RSS before ${before} KiB, peak sampled ${sampled} KiB, VmHWM ${hwm} KiB" | tee -a "$OUT/summary.txt"
	/usr/bin/time -f '%e %M' -o "$WORK/time" build/bench/export_table_bench "$fmt" "$ENTRIES" "$WORK" >"$WORK/tb.txt"
	read -r tsec tkib <"$WORK/time"
	tbytes=$(grep -o 'bytes=[0-9]*' "$WORK/tb.txt" | cut -d= -f2)
	line "  reference: table writer alone" "$tsec" "$(awk -v b="$tbytes" 'BEGIN {printf "%.1f", b / 1048576}')" "$ENTRIES" \
		"$(awk -v k="$tkib" 'BEGIN {printf "%.1f", k / 1024}')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
echo "raw output: $OUT"
