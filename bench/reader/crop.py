#!/usr/bin/python3
"""How well the paper finder found the receipt: its rectangle (the `prep`
block of `recam read` output: crop centre and sides, turned by paper_deg)
against the paper's corners in the photo, which the generator writes into
the ground truth (images[].quad).

    crop.py RESULTS.jsonl [--list]

coverage = share of the paper inside the rectangle (below 1: text cut off),
precision = share of the rectangle that is paper (below 1: table let in).
Prints per level the counts of poor crops and the means; --list prints every
photo below coverage 0.95 or precision 0.85. Truth is read next to each
image, so results of several corpora may be mixed. The generator's quad
is in the upright frame the reader decodes to (EXIF orientation applied)."""
import json
import math
import os
import re
import sys

import numpy as np
from PIL import Image, ImageDraw

SCALE = 0.25


def mask(poly, w, h):
    im = Image.new("L", (max(1, int(w * SCALE)), max(1, int(h * SCALE))), 0)
    ImageDraw.Draw(im).polygon([(x * SCALE, y * SCALE) for x, y in poly], fill=1)
    return np.array(im, bool)


def upright_size(orientation, w, h):
    """The decoded image's size: the reader turns the stored image (w × h)
    by its EXIF orientation; the generator's quad is already in that frame."""
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def rectangle(prep):
    """The paper finder's rectangle in the decoded image's pixels."""
    x, y, w, h = prep["crop"]
    cx, cy = x + w / 2.0, y + h / 2.0
    th = math.radians(prep["paper_deg"])
    c, s = math.cos(th), math.sin(th)
    pts = []
    for ux, uy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        dx, dy = ux * w / 2.0, uy * h / 2.0
        pts.append((cx + dx * c + dy * s, cy - dx * s + dy * c))
    return pts


def main():
    args = sys.argv[1:]
    listing = "--list" in args
    args = [a for a in args if a != "--list"]
    per = {}
    for line in open(args[0], encoding="utf-8"):
        try:
            o = json.loads(line)
        except ValueError:
            continue
        f = o.get("file", "")
        m = re.search(r"(\d{4})-(clean|moderate|heavy)\.[a-z]+$", f)
        if not m or "prep" not in o or "image" not in o:
            continue
        truth = json.load(open(os.path.join(os.path.dirname(f), m.group(1) + ".json"), encoding="utf-8"))
        img = [i for i in truth["images"] if i["file"] == os.path.basename(f)]
        if not img or "quad" not in img[0]:
            continue
        w, h = o["image"]["width"], o["image"]["height"]
        w, h = upright_size(img[0].get("exif_orientation"), w, h)
        t = mask(img[0]["quad"], w, h)
        if o["prep"]["crop"][2] <= 0:
            cov, prec = 1.0, float(t.sum()) / t.size  # not cropped: the whole frame
        else:
            r = mask(rectangle(o["prep"]), w, h)
            inter = float((t & r).sum())
            cov, prec = inter / max(t.sum(), 1), inter / max(r.sum(), 1)
        s = per.setdefault(m.group(2), {"n": 0, "cut": 0, "loose": 0, "cov": 0.0, "prec": 0.0})
        s["n"] += 1
        s["cut"] += cov < 0.95
        s["loose"] += prec < 0.85
        s["cov"] += cov
        s["prec"] += prec
        if listing and (cov < 0.95 or prec < 0.85):
            print("%s coverage %.3f precision %.3f background %s" % (f, cov, prec, img[0].get("background")))
    for level in ("clean", "moderate", "heavy"):
        s = per.get(level)
        if s:
            print("%-9s %4d photos: coverage < 0.95 %3d, precision < 0.85 %3d, mean coverage %.3f, mean precision %.3f"
                  % (level, s["n"], s["cut"], s["loose"], s["cov"] / s["n"], s["prec"] / s["n"]))


if __name__ == "__main__":
    main()
