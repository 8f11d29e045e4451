#!/bin/sh
# bench/reader/run.sh — the reader next to the tesseract command line, same
# images, same run. Generates the corpus with tests/receipts/gen.py (fixed
# seed), reads the holdout split with `recam read` (one worker per core) and
# with `tesseract -l jpn --psm 6` + recam's parser, and prints per level and
# per field figures side by side (bench/reader/eval.py).
#   COUNT=300 SEED=2026 OUT=/tmp/recam-bench JOBS=2 bench/reader/run.sh
set -eu
cd "$(dirname "$0")/../.."
COUNT=${COUNT:-300}
SEED=${SEED:-2026}
OUT=${OUT:-/tmp/recam-bench}
JOBS=${JOBS:-2}
SPLIT=${SPLIT:-holdout}
PY=/usr/bin/python3
[ -x bin/recam ] || make bin/recam
mkdir -p "$OUT"
if [ ! -f "$OUT/corpus/.done-$COUNT-$SEED" ]; then
	$PY tests/receipts/gen.py --out "$OUT/corpus" --count "$COUNT" --seed "$SEED" --jobs "$JOBS"
	touch "$OUT/corpus/.done-$COUNT-$SEED"
fi
# the images of the chosen split
$PY - "$OUT/corpus" "$SPLIT" > "$OUT/images.txt" <<'PYEOF'
import json, os, sys
d, split = sys.argv[1], sys.argv[2]
for f in sorted(os.listdir(d)):
    if f.endswith(".json"):
        t = json.load(open(os.path.join(d, f)))
        if split in ("", "all") or t.get("split") == split:
            for im in t["images"]:
                print(os.path.join(d, im["file"]))
PYEOF
echo "reader: $(wc -l < "$OUT/images.txt") images ($SPLIT split), $JOBS workers" >&2
t0=$(date +%s)
xargs bin/recam read --workers "$JOBS" < "$OUT/images.txt" > "$OUT/recam.jsonl" || true
t1=$(date +%s)
BENCH_JOBS=$JOBS xargs $PY bench/reader/baseline.py bin/recam "$OUT/tesseract-txt" < "$OUT/images.txt" > "$OUT/tesseract-cli.jsonl"
t2=$(date +%s)
echo "wall: recam read $((t1 - t0)) s, tesseract CLI $((t2 - t1)) s" >&2
$PY bench/reader/eval.py "$OUT/corpus" "$OUT/recam.jsonl" "$OUT/tesseract-cli.jsonl" --label "recam read,tesseract CLI" --split "$SPLIT"
# how well the paper was found: the crop against the generator's paper corners
echo "paper finder (crop against the paper's corners):"
$PY bench/reader/crop.py "$OUT/recam.jsonl"
# the corners the perspective map takes, against the paper's
cc -std=c11 -D_GNU_SOURCE -Isrc -O2 -o "$OUT/corners" bench/reader/corners.c \
	build/rel/src/receipt/paper.o build/rel/src/receipt/image.o build/rel/src/receipt/prep.o build/rel/src/receipt/dewarp.o build/rel/src/core/*.o \
	$(pkg-config --libs jansson lept libheif libexif libsodium) -lm -lpthread
xargs "$OUT/corners" < "$OUT/images.txt" > "$OUT/corners.jsonl"
$PY bench/reader/corners.py "$OUT/corners.jsonl"
# what a campaign sees: the products found by the campaign matcher (match.c)
cc -std=c11 -D_GNU_SOURCE -Isrc -O2 -o "$OUT/match_eval" bench/reader/match_eval.c \
	build/rel/src/receipt/match.o build/rel/src/receipt/normalize.o build/rel/src/core/*.o \
	$(pkg-config --libs jansson libsodium libutf8proc) -lm -lpthread
$PY bench/reader/match.py "$OUT/corpus" "$OUT/match_eval" "$OUT/recam.jsonl" "$OUT/tesseract-cli.jsonl" --label "recam read,tesseract CLI" --split "$SPLIT"
$PY - "$OUT/recam.jsonl" "$OUT/tesseract-cli.jsonl" <<'PYEOF'
import json, sys
for name, f in zip(("recam worker", "tesseract CLI"), sys.argv[1:]):
    peaks = [json.loads(l).get("worker", {}).get("peak_rss_kb", 0) for l in open(f)]
    print("peak RSS per engine, %s: %.0f MB" % (name, max(peaks or [0]) / 1024))
PYEOF
