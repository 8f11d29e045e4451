#!/bin/sh
# bench/reader/prep_steps.sh — the effect of each pre-processing step, on the
# dev split (never the holdout, which is kept for the final figures).
#   CORPUS=/tmp/recam-bench/corpus N=20 bench/reader/prep_steps.sh
set -eu
cd "$(dirname "$0")/../.."
CORPUS=${CORPUS:-/tmp/recam-bench/corpus}
N=${N:-20}
OUT=${OUT:-/tmp/recam-bench/prep}
JOBS=${JOBS:-2}
STEPS=${STEPS:-"none crop crop,deskew crop,deskew,scale crop,deskew,scale,orient crop,deskew,scale,flatten crop,deskew,scale,binarize"}
mkdir -p "$OUT"
/usr/bin/python3 - "$CORPUS" "$N" > "$OUT/images.txt" <<'PYEOF'
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
k = 0
for f in sorted(os.listdir(d)):
    if f.endswith(".json") and k < n:
        t = json.load(open(os.path.join(d, f)))
        if t.get("split") == "dev" and all(os.path.exists(os.path.join(d, im["file"])) for im in t["images"]):
            k += 1
            for im in t["images"]:
                print(os.path.join(d, im["file"]))
PYEOF
files=""
labels=""
for s in $STEPS; do
	xargs bin/recam read --workers "$JOBS" --prep "$s" < "$OUT/images.txt" > "$OUT/$s.jsonl" || true
	files="$files $OUT/$s.jsonl"
	labels="$labels${labels:+,}$s"
done
/usr/bin/python3 bench/reader/eval.py "$CORPUS" $files --label "$labels"
