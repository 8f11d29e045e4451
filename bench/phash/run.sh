#!/bin/sh
# bench/phash/run.sh — false-match and miss rates of the perceptual image
# hashes (src/receipt/phash.c) with and without the reading check of
# src/campaign/image_dup.c: a corpus of the same paper photographed and
# edited several ways, and receipts of the same shop with the same layout
# (bench/phash/corpus.py), read by `recam read` (hashes and readings as in
# production), compared pair by pair (bench/phash/eval.py). Not a timing
# bench: the figures do not depend on the machine's load.
#   COUNT=60 SEED=11 OUT=/tmp/recam-phash JOBS=2 bench/phash/run.sh
set -eu
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-60}
SEED=${SEED:-11}
OUT=${OUT:-/tmp/recam-phash}
JOBS=${JOBS:-2}
PY=/usr/bin/python3
[ -x bin/recam ] || make bin/recam
if [ ! -f "$OUT/corpus/.done-$COUNT-$SEED" ]; then
	$PY bench/phash/corpus.py --out "$OUT/corpus" --count "$COUNT" --seed "$SEED" --jobs "$JOBS"
	touch "$OUT/corpus/.done-$COUNT-$SEED"
fi
(cd "$OUT/corpus" && ls ./*.png ./*.jpg) | sed "s|^\./|$OUT/corpus/|" > "$OUT/images.txt"
echo "phash: reading $(wc -l < "$OUT/images.txt") images with $JOBS workers" >&2
OMP_THREAD_LIMIT=1 xargs bin/recam read --workers "$JOBS" < "$OUT/images.txt" > "$OUT/readings.jsonl" || true
$PY bench/phash/eval.py "$OUT/corpus" "$OUT/readings.jsonl" "$@"
