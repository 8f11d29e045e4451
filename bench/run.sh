#!/usr/bin/env bash
# bench/run.sh — runs every benchmark bench/*/run.sh (what `make bench` calls).
#
#   bench/run.sh            every bench, in name order
#   bench/run.sh http       only the named ones (bench/http/run.sh)
#
# Each bench prints its figures beside a reference measured in the same run
# and writes raw output under bench/results/ (git-ignored). A bench exits
# non-zero only when it could not be set up; a missed target is reported in
# its output, not as a failure. This script exits non-zero if any bench did.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

benches=()
if [[ $# -gt 0 ]]; then
	for name in "$@"; do
		[[ $name =~ ^[A-Za-z0-9_-]+$ && -f $BENCH_DIR/$name/run.sh ]] || {
			echo "bench: no bench named '$name' (bench/$name/run.sh)" >&2
			exit 2
		}
		benches+=("$BENCH_DIR/$name/run.sh")
	done
else
	for f in "$BENCH_DIR"/*/run.sh; do
		[[ -f $f ]] && benches+=("$f")
	done
fi
[[ ${#benches[@]} -gt 0 ]] || {
	echo "bench: no bench/*/run.sh found" >&2
	exit 2
}

failed=()
for f in "${benches[@]}"; do
	name=$(basename "$(dirname "$f")")
	echo "=== bench/$name ==="
	start=$SECONDS
	# By its own interpreter (#!) when executable; sh and bash scripts alike.
	if [[ -x $f ]]; then cmd=("$f"); else cmd=(bash "$f"); fi
	if "${cmd[@]}"; then
		echo "=== bench/$name: done in $((SECONDS - start)) s ==="
	else
		rc=$?
		echo "=== bench/$name: FAILED to run (exit $rc) ===" >&2
		failed+=("$name")
	fi
	echo
done

if [[ ${#failed[@]} -gt 0 ]]; then
	echo "bench: could not run: ${failed[*]}" >&2
	exit 1
fi
echo "bench: ${#benches[@]} bench(es) run; figures and targets above, raw output in bench/results/"
