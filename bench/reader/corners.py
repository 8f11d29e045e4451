#!/usr/bin/python3
"""The paper finder's corners against the paper's corners in the photo,
which the generator writes into the ground truth (images[].quad, in the
upright frame the reader decodes to).

    corners.py CORNERS.jsonl [--list]

CORNERS.jsonl is the output of bench/reader/corners (one line per image).
The error of a set of corners is the largest distance of a corner from the
truth's, over the paper's width (the corners taken in the order that fits
best). Per level: photos, corners used by the perspective map, used but off
by more than 5% of the width (the page is cut or takes in table), not used
(the region's rectangle is cropped instead), and the median and 90th
percentile error of the corners used. --list prints the photos off by more
than 5%."""
import json
import math
import os
import sys

LIMIT = 0.05


def truth_quad(path):
    base = os.path.basename(path)
    t = json.load(open(os.path.join(os.path.dirname(path), base.split("-")[0] + ".json")))
    for im in t.get("images", []):
        if os.path.basename(im.get("file", "")) == base:
            return im.get("quad")
    return None


def error(q, tq):
    width = (math.dist(tq[0], tq[1]) + math.dist(tq[3], tq[2])) / 2
    return min(max(math.dist(q[(i + s) % 4], tq[i]) for i in range(4)) for s in range(4)) / width


def main():
    args = sys.argv[1:]
    listing = "--list" in args
    levels = {}
    for line in open(args[0]):
        o = json.loads(line)
        tq = truth_quad(o["file"])
        if not tq:
            continue
        level = os.path.basename(o["file"]).split("-")[1].split(".")[0]
        s = levels.setdefault(level, {"n": 0, "used": 0, "off": 0, "errs": []})
        s["n"] += 1
        if not o["used"]:
            continue
        e = error(o["quad"], tq)
        s["used"] += 1
        s["errs"].append(e)
        if e > LIMIT:
            s["off"] += 1
            if listing:
                print("%s corners off by %.3f of the width" % (o["file"], e))
    for level, s in sorted(levels.items()):
        errs = sorted(s["errs"])
        med = errs[len(errs) // 2] if errs else float("nan")
        p90 = errs[len(errs) * 9 // 10] if errs else float("nan")
        print("%-9s %4d photos: corners used %4d, off > 5%% %3d, not used %3d, error median %.3f p90 %.3f"
              % (level, s["n"], s["used"], s["off"], s["n"] - s["used"], med, p90))


if __name__ == "__main__":
    main()
