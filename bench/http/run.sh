#!/usr/bin/env bash
# bench/http/run.sh — recam's HTTP figures beside a minimal libmicrohttpd
# server (bench/http/hello.c) measured in the same run, with wrk on loopback.
#
# Targets (bench/README.md): recam's JSON read (/t/demo/api/info) at >= 60% of
# hello's requests/s, p99 under 10 ms at 64 connections, idle RSS under 30 MB.
# A missed target is reported, never an error: the exit status is non-zero
# only when the bench could not be set up (no wrk, build failed, a server did
# not start or answered the wrong status).
#
# Settings (environment):
#   BENCH_DURATION  seconds per wrk run            (default 10)
#   BENCH_CONNS     connection counts to measure   (default "8 64")
#   BENCH_ROUNDS    hello/recam rounds, interleaved (default 3; medians kept)
#   BENCH_THREADS   wrk threads                    (default 2)
#   RECAM_BIN       recam binary to measure        (default: make bin/recam)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNS:-"8 64"}
ROUNDS=${BENCH_ROUNDS:-3}
THREADS=${BENCH_THREADS:-2}
WARMUP=2
HOST=127.0.0.1

die() {
	echo "bench/http: $*" >&2
	exit 1
}

for v in "$DURATION" "$ROUNDS" "$THREADS"; do
	[[ $v =~ ^[1-9][0-9]{0,3}$ ]] || die "BENCH_DURATION, BENCH_ROUNDS and BENCH_THREADS take a positive integer"
done
for c in $CONNS; do
	[[ $c =~ ^[1-9][0-9]{0,4}$ ]] || die "BENCH_CONNS takes positive integers, got '$c'"
done
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"
command -v pkg-config >/dev/null || die "pkg-config not found (apt-get install pkg-config)"
pkg-config --exists libmicrohttpd ||
	die "libmicrohttpd not found by pkg-config (apt-get install libmicrohttpd-dev)"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/bench/results/http/$STAMP"
mkdir -p "$OUT"

HELLO_PID=
RECAM_PID=
DATA_DIR=

stop_pid() {
	local pid=$1
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	stop_pid "$HELLO_PID"
	stop_pid "$RECAM_PID"
	HELLO_PID=''
	RECAM_PID=''
	if [[ -n $DATA_DIR && -d $DATA_DIR ]]; then rm -rf -- "$DATA_DIR"; fi
	DATA_DIR=''
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port on 127.0.0.1: bind port 0 and read what the kernel chose.
free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Wait up to 10 s until URL answers 200; fail if the process PID died.
wait_200() {
	local url=$1 pid=$2 code
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 1
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)
		[[ $code == 200 ]] && return 0
		sleep 0.1
	done
	return 1
}

# The endpoint must answer 200 with a JSON body, and keep the connection
# alive (a server that closes it would be measured on connection setup).
check_endpoint() {
	local url=$1 hdr code ctype reused
	hdr=$(curl -s -D - -o /dev/null --max-time 2 "$url" || true)
	code=$(awk 'NR==1 {print $2}' <<<"$hdr")
	ctype=$(tr -d '\r' <<<"$hdr" | awk -F': ' 'tolower($1)=="content-type" {print $2}')
	[[ $code == 200 ]] || die "$url answered '${code:-nothing}', expected 200"
	[[ $ctype == application/json* ]] || die "$url answered Content-Type '$ctype', expected application/json"
	reused=$(curl -sv --max-time 2 -o /dev/null -o /dev/null "$url" "$url" 2>&1 | grep -ci 're-using existing connection' || true)
	[[ $reused -ge 1 ]] || echo "bench/http: warning: $url did not keep the connection alive" | tee -a "$OUT/notes.txt" >&2
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# ---------------------------------------------------------------- setup
echo "bench/http: results in ${OUT#"$ROOT"/}"
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "host: $(uname -srm)"
	echo "nproc: $(nproc)"
	echo "cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "wrk: $(wrk -v 2>&1 | head -1)"
	echo "libmicrohttpd: $(pkg-config --modversion libmicrohttpd)"
	echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' (src has uncommitted changes)')"
	echo "settings: duration=${DURATION}s conns='$CONNS' rounds=$ROUNDS wrk threads=$THREADS"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt"

HELLO_BIN="$ROOT/bench/results/http/hello"
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror $(pkg-config --cflags libmicrohttpd) \
	-o "$HELLO_BIN" bench/http/hello.c $(pkg-config --libs libmicrohttpd) -lpthread ||
	die "cannot build bench/http/hello.c"

if [[ -z ${RECAM_BIN:-} ]]; then
	make --no-print-directory bin/recam >"$OUT/make.log" 2>&1 || {
		tail -20 "$OUT/make.log" >&2
		die "make bin/recam failed (see $OUT/make.log)"
	}
	RECAM_BIN="$ROOT/bin/recam"
fi
[[ -x $RECAM_BIN ]] || die "$RECAM_BIN is not an executable"

HELLO_PORT=$(free_port) || die "no free port"
"$HELLO_BIN" "$HELLO_PORT" >"$OUT/hello.log" 2>&1 &
HELLO_PID=$!
wait_200 "http://$HOST:$HELLO_PORT/" "$HELLO_PID" || die "hello did not start (see $OUT/hello.log)"

DATA_DIR=$(mktemp -d /tmp/recam-bench-http.XXXXXX)
export RECAM_DATA_DIR="$DATA_DIR" RECAM_WEB_DIR="$ROOT/web"
"$RECAM_BIN" demo >"$OUT/recam-demo.log" 2>&1 || die "recam demo failed (see $OUT/recam-demo.log)"
RECAM_PORT=$(free_port) || die "no free port"
RECAM_LISTEN="$HOST:$RECAM_PORT" "$RECAM_BIN" serve >"$OUT/recam.log" 2>&1 &
RECAM_PID=$!
wait_200 "http://$HOST:$RECAM_PORT/readyz" "$RECAM_PID" || die "recam serve did not become ready (see $OUT/recam.log)"

HELLO_URL="http://$HOST:$HELLO_PORT/"
HEALTH_URL="http://$HOST:$RECAM_PORT/healthz"
INFO_URL="http://$HOST:$RECAM_PORT/t/demo/api/info"
for u in "$HELLO_URL" "$HEALTH_URL" "$INFO_URL"; do
	check_endpoint "$u"
done

RSS_START_RECAM=$(rss_kb "$RECAM_PID")
RSS_START_HELLO=$(rss_kb "$HELLO_PID")

# Warm-up: page caches, SQLite connections, libmicrohttpd pools, then idle.
maxc=0
for c in $CONNS; do
	if ((c > maxc)); then maxc=$c; fi
done
for u in "$HELLO_URL" "$HEALTH_URL" "$INFO_URL"; do
	timeout $((WARMUP + 30)) wrk -t"$THREADS" -c"$maxc" -d"${WARMUP}s" "$u" >>"$OUT/warmup.txt" 2>&1 ||
		die "wrk warm-up against $u failed (see $OUT/warmup.txt)"
done
sleep 2
T0=$(cpu_ticks "$RECAM_PID")
sleep 2
IDLE_CPU_TICKS=$(($(cpu_ticks "$RECAM_PID") - T0))
RSS_IDLE_RECAM=$(rss_kb "$RECAM_PID")
RSS_IDLE_HELLO=$(rss_kb "$HELLO_PID")

# ---------------------------------------------------------------- runs
# One line per wrk run: conns round target req/s p50_ms p99_ms errors
# server_cpu_us/req wrk_cpu_us/req
CLK_TCK=$(getconf CLK_TCK)
RUNS="$OUT/runs.tsv"
: >"$RUNS"

to_ms() { # wrk prints 671.00us, 3.51ms, 1.02s, 2.00m
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f", n }'
}

run_wrk() { # name conns round url server-pid
	local name=$1 c=$2 r=$3 url=$4 pid=$5 f rps p50 p99 non2xx sockerr total t0 t1 cpu_us
	f="$OUT/wrk-c$c-r$r-$name.txt"
	t0=$(cpu_ticks "$pid")
	# bash's time keyword gives wrk's own CPU time (user and system).
	local TIMEFORMAT='%U %S' wrk_cpu
	{ time timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency "$url" >"$f" 2>&1; } \
		2>"$f.cpu" || die "wrk against $url failed (see $f)"
	kill -0 "$pid" 2>/dev/null || die "the server behind $url exited during the run (see $OUT/*.log)"
	t1=$(cpu_ticks "$pid")
	total=$(awk '/requests in/ {print $1}' "$f")
	# Server CPU time (user + system) per request: unlike req/s, it hardly
	# moves when other work on the machine takes CPU away from the server.
	cpu_us=$(awk -v d=$((t1 - t0)) -v n="${total:-0}" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", (n > 0 ? d * 1e6 / hz / n : 0) }')
	wrk_cpu=$(awk -v n="${total:-0}" '{ printf "%.1f", (n > 0 ? ($1 + $2) * 1e6 / n : 0) }' "$f.cpu")
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
	p50=$(awk '$1 == "50%" {print $2}' "$f")
	p99=$(awk '$1 == "99%" {print $2}' "$f")
	[[ -n $rps && -n $p50 && -n $p99 ]] || die "cannot parse wrk output $f"
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f")
	sockerr=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$f")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$r" "$name" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" \
		"$((${non2xx:-0} + ${sockerr:-0}))" "$cpu_us" "$wrk_cpu" >>"$RUNS"
	printf '  c=%-3s round %s  %-8s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  CPU us/req: server %5.1f wrk %5.1f  load %s\n' \
		"$c" "$r" "$name" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "$cpu_us" "$wrk_cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "bench/http: $ROUNDS round(s) x ${DURATION}s per target, reference and recam interleaved"
for c in $CONNS; do
	for r in $(seq "$ROUNDS"); do
		run_wrk hello "$c" "$r" "$HELLO_URL" "$HELLO_PID"
		run_wrk healthz "$c" "$r" "$HEALTH_URL" "$RECAM_PID"
		run_wrk info "$c" "$r" "$INFO_URL" "$RECAM_PID"
	done
done
RSS_HWM_RECAM=$(hwm_kb "$RECAM_PID")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
cleanup

# ---------------------------------------------------------------- report
# The median of the rounds for each figure (one disturbed round does not move
# it); req/s also shows the rounds' range. The ratio is recam's median req/s
# over hello's median at the same connection count.
SUMMARY="$OUT/summary.md"
awk -F'\t' -v conns="$CONNS" \
	-v rss_recam="$RSS_IDLE_RECAM" -v rss_hello="$RSS_IDLE_HELLO" \
	-v rss_start_recam="$RSS_START_RECAM" -v rss_start_hello="$RSS_START_HELLO" \
	-v hwm_recam="$RSS_HWM_RECAM" -v idle_ticks="$IDLE_CPU_TICKS" -v hz="$CLK_TCK" '
# median of v[k, f, 1..n] (insertion sort; a handful of rounds)
function median(k, f, cnt,    a, i, j, x) {
	for (i = 1; i <= cnt; i++) {
		x = v[k, f, i] + 0
		for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]
		a[j + 1] = x
	}
	return cnt % 2 ? a[(cnt + 1) / 2] : (a[cnt / 2] + a[cnt / 2 + 1]) / 2
}
{
	k = $1 SUBSEP $3
	i = ++n[k]
	for (f = 4; f <= 9; f++) v[k, f, i] = $f
	err[k] += $7
	if (!(k in lo) || $4 + 0 < lo[k]) lo[k] = $4 + 0
	if (!(k in hi) || $4 + 0 > hi[k]) hi[k] = $4 + 0
}
END {
	label["hello"] = "hello `/` (reference)"
	label["healthz"] = "recam `/healthz`"
	label["info"] = "recam `/t/demo/api/info` (JSON read)"
	print "| conns | target | req/s (range of rounds) | p50 ms | p99 ms | recam/hello req/s | server CPU µs/req | hello/recam server CPU | wrk CPU µs/req | errors |"
	print "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	nc = split(conns, cs, " ")
	nt = split("hello healthz info", ts, " ")
	for (i = 1; i <= nc; i++) {
		c = cs[i]
		for (j = 1; j <= nt; j++) {
			k = c SUBSEP ts[j]
			if (!(k in n)) continue
			rps[k] = median(k, 4, n[k]); p99[k] = median(k, 6, n[k]); cpu[k] = median(k, 8, n[k])
		}
		h = c SUBSEP "hello"
		for (j = 1; j <= nt; j++) {
			k = c SUBSEP ts[j]
			if (!(k in n)) continue
			ratio = (h in rps && rps[h] > 0) ? sprintf("%.2f", rps[k] / rps[h]) : "-"
			cratio = (h in cpu && cpu[k] > 0) ? sprintf("%.2f", cpu[h] / cpu[k]) : "-"
			printf "| %s | %s | %.0f (%.0f–%.0f) | %.2f | %.2f | %s | %.1f | %s | %.1f | %d |\n", c, label[ts[j]],
				rps[k], lo[k], hi[k], median(k, 5, n[k]), p99[k], ratio, cpu[k], cratio, median(k, 9, n[k]), err[k]
		}
	}
	printf "\nIdle RSS after warm-up: recam %.1f MB, hello %.1f MB (at start: recam %.1f MB, hello %.1f MB; recam peak during the runs %.1f MB). recam used %.2f s of CPU in 2 s idle.\n",
		rss_recam / 1024, rss_hello / 1024, rss_start_recam / 1024, rss_start_hello / 1024, hwm_recam / 1024, idle_ticks / hz
	print "\nTargets:"
	k = "64" SUBSEP "info"; h = "64" SUBSEP "hello"
	if ((h in rps) && (k in rps) && rps[h] > 0) {
		r = rps[k] / rps[h]
		printf "- JSON read >= 60%% of hello req/s at 64 connections: %.0f%% — %s\n", r * 100, (r >= 0.6 ? "met" : "MISSED")
		printf "- JSON read p99 < 10 ms at 64 connections: %.2f ms — %s (hello p99: %.2f ms)\n", p99[k],
			(p99[k] < 10 ? "met" : "MISSED"), p99[h]
	} else {
		print "- (64 connections not measured: BENCH_CONNS excludes it)"
	}
	printf "- idle RSS < 30 MB: %.1f MB — %s\n", rss_recam / 1024, (rss_recam < 30 * 1024 ? "met" : "MISSED")
}' "$RUNS" >"$SUMMARY"

# Other work on the machine takes CPU from both servers in proportions that
# have nothing to do with their speed: say so when it was there.
LOAD_BEFORE=$(awk '/^load before:/ {print $3}' "$OUT/machine.txt")
LOAD_AFTER=$(awk '/^load after:/ {print $3}' "$OUT/machine.txt")
# The runs themselves keep about THREADS + 2 threads busy (wrk and a server).
if awk -v a="$LOAD_BEFORE" -v b="$LOAD_AFTER" -v n="$(nproc)" -v own=$((THREADS + 2)) \
	'BEGIN { exit !(a > n || b > n + own) }'; then
	printf '\nWarning: the machine was busy with other work (load average %s before, %s after, on %s CPUs): req/s, its ratio and p99 mostly measure the share of CPU each server got; server CPU µs/req is the figure to compare.\n' \
		"$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" >>"$SUMMARY"
fi

echo
cat "$SUMMARY"
if [[ -s $OUT/notes.txt ]]; then cat "$OUT/notes.txt"; fi
echo
echo "wrk and both servers share the $(nproc) CPUs of this machine; figures are for comparison within this run."
echo "raw output: ${OUT#"$ROOT"/}"
