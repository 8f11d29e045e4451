#!/usr/bin/env bash
# bench/draw/run.sh — the closed draw over a large eligible list, beside a
# reference measured in the same run: merely reading and hashing the same
# canonical list (SHA-256, streamed; and sha256sum). The difference is what
# the draw itself costs.
#
# Each phase runs in its own process (bench/draw/draw_bench.c) so its peak
# RSS is its own. The draw process does everything `recam draw` and
# `recam draw verify` would: read and strictly parse the list, commit (seed +
# list hash), run the draw, execute it on the record (re-hash + draw), verify
# it (hash + draw + compare), write the JSON record.
#
# Settings (environment):
#   BENCH_ENTRIES       eligible entries                 (default 1000000)
#   BENCH_PARTICIPANTS  distinct participants            (default 400000)
#   BENCH_K, BENCH_A    winners and alternates           (default 1000, 100)
#   BENCH_BIG_K, BENCH_BIG_A  a second draw with large K (default 100000, 10000)
#   BENCH_ROUNDS        interleaved rounds, medians kept (default 3)
# Exit status is non-zero only when the bench could not run or the draw did
# not verify; figures are reported, never judged.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

ENTRIES=${BENCH_ENTRIES:-1000000}
PARTS=${BENCH_PARTICIPANTS:-400000}
K=${BENCH_K:-1000}
A=${BENCH_A:-100}
BIG_K=${BENCH_BIG_K:-100000}
BIG_A=${BENCH_BIG_A:-10000}
ROUNDS=${BENCH_ROUNDS:-3}

die() {
	echo "bench/draw: $*" >&2
	exit 1
}

for v in "$ENTRIES" "$PARTS" "$K" "$A" "$BIG_K" "$BIG_A" "$ROUNDS"; do
	[[ $v =~ ^[0-9]{1,9}$ ]] || die "settings take non-negative integers, got '$v'"
done
((ROUNDS >= 1)) || die "BENCH_ROUNDS must be at least 1"
((PARTS >= 1 && PARTS <= ENTRIES)) || die "need 1 <= BENCH_PARTICIPANTS <= BENCH_ENTRIES"
command -v pkg-config >/dev/null || die "pkg-config not found"
pkg-config --exists libsodium jansson || die "libsodium-dev and libjansson-dev are needed"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/bench/results/draw/$STAMP"
mkdir -p "$OUT" build/bench
BIN=build/bench/draw_bench

# Release flags, as bin/recam is built.
cc -std=c11 -D_GNU_SOURCE -Isrc -O2 -g -Wall -Wextra -Werror -D_FORTIFY_SOURCE=3 -fstack-protector-strong \
	-fPIE -pie $(pkg-config --cflags libsodium jansson) -o "$BIN" \
	bench/draw/draw_bench.c src/campaign/draw.c src/campaign/lottery.c src/core/str.c \
	$(pkg-config --libs libsodium jansson) >"$OUT/build.log" 2>&1 || {
	cat "$OUT/build.log" >&2
	die "build failed"
}

WORK=$(mktemp -d /tmp/recam-bench-draw-XXXXXX)
trap 'rm -rf -- "$WORK"' EXIT
LIST="$WORK/eligible.tsv"

{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "host: $(uname -srm)"
	echo "nproc: $(nproc)"
	echo "cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "libsodium: $(pkg-config --modversion libsodium)"
	echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' (src has uncommitted changes)')"
	echo "settings: entries=$ENTRIES participants=$PARTS K=$K A=$A big K=$BIG_K A=$BIG_A rounds=$ROUNDS"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt"

"$BIN" gen "$LIST" "$ENTRIES" "$PARTS" >"$OUT/gen.txt"
echo "list: $(wc -c <"$LIST") bytes, $(wc -l <"$LIST") lines"

# One "figure value" table per run, tagged with the phase and round.
: >"$OUT/runs.tsv"
record() { # phase round < "key value" lines
	awk -v p="$1" -v r="$2" '{print p "\t" r "\t" $1 "\t" $2}' >>"$OUT/runs.tsv"
}
for r in $(seq "$ROUNDS"); do
	"$BIN" hash "$LIST" | tee "$OUT/hash-r$r.txt" | record hash "$r"
	t0=$(date +%s.%N)
	sum=$(sha256sum "$LIST" | cut -d' ' -f1)
	t1=$(date +%s.%N)
	printf 'sha256sum_s %s\n' "$(echo "$t1 - $t0" | bc)" | record sha256sum "$r"
	"$BIN" draw "$LIST" "$K" "$A" "$OUT/record-k$K.json" | tee "$OUT/draw-r$r.txt" | record draw "$r"
	"$BIN" draw "$LIST" "$BIG_K" "$BIG_A" "$OUT/record-k$BIG_K.json" | tee "$OUT/bigdraw-r$r.txt" |
		record bigdraw "$r"
	want=$(awk '$1 == "list_sha256" {print $2}' "$OUT/hash-r$r.txt")
	[[ $sum == "$want" ]] || die "sha256sum and the streamed hash disagree"
	got=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["list_sha256"])' \
		"$OUT/record-k$K.json")
	[[ $got == "$want" ]] || die "the record's list_sha256 is not the SHA-256 of the list file"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

/usr/bin/python3 - "$OUT" "$K" "$A" "$BIG_K" "$BIG_A" "$ENTRIES" <<'PY' | tee "$OUT/summary.md"
import statistics, sys
out, k, a, bk, ba, n = sys.argv[1:]
fig = {}
for line in open(f"{out}/runs.tsv"):
    phase, _, key, val = line.rstrip("\n").split("\t")
    try:
        fig.setdefault((phase, key), []).append(float(val))
    except ValueError:
        pass
med = lambda p, key: statistics.median(fig[(p, key)])
ref = med("hash", "hash_cpu_s")
rounds = len(fig[("hash", "hash_s")])
print(f"| {int(n):,} entries, median of {rounds} | wall s | CPU s | CPU × reference | peak RSS |")
print("|---|---:|---:|---:|---:|")
print(f"| **reference**: read + SHA-256 of the list file (streamed) | {med('hash', 'hash_s'):.3f} | {ref:.3f} | 1.0 | {med('hash', 'hash_rss_kib')/1024:.0f} MiB |")
print(f"| reference: `sha256sum` of the list file | {med('sha256sum', 'sha256sum_s'):.3f} | | | |")
rows = (("read", "read the list file into memory"), ("parse", "strict parse + canonical check"),
        ("commit", "commit: list hash + seed"), ("run", "**the draw alone** (check + tree + picks)"),
        ("execute", "execute: hash check + draw"), ("verify", "verify: hash + draw + compare"),
        ("total", "whole process (all of the above + record)"))
for p, kk, aa in (("draw", k, a), ("bigdraw", bk, ba)):
    for key, label in rows:
        rss = f"{med(p, 'draw_rss_kib')/1024:.0f} MiB" if key == "total" else ""
        c = med(p, f"{key}_cpu_s")
        print(f"| K={kk}, A={aa}: {label} | {med(p, f'{key}_s'):.3f} | {c:.3f} | {c/ref:.2f} | {rss} |")
PY
echo "bench/draw: results in ${OUT#"$ROOT"/}"
