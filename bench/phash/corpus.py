#!/usr/bin/python3
"""Pairs of receipt photos for measuring the perceptual image hash
(src/receipt/phash.c): for each receipt of the corpus, several photos of the
SAME paper (a clean scan and two independent phone photos at each of the
moderate and heavy levels: other angle, light, background, noise, crop) and
one receipt of the SAME SHOP WITH THE SAME LAYOUT AND LENGTH but other items,
other totals and another date, photographed under exactly the same conditions
as the first photo of each level (the hardest case for a hash: only the
content differs).

    /usr/bin/python3 bench/phash/corpus.py --out /tmp/phash --count 40 --seed 11

Writes OUT/NNNN-{clean,modA,modB,hvyA,hvyB}.{png,jpg}, OUT/NNNN-edit{1,2,3}.jpg
(the photo modA edited: re-encoded smaller; turned 3° with noise and more
light; cropped with more contrast), OUT/NNNNs-{clean,modA,hvyA}.* (the
same-shop receipt) and OUT/index.json. Everything derives from the seed."""
import argparse
import json
import os
import io
import random
import sys
from multiprocessing import Pool

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "receipts"))
import gen  # noqa: E402

IDENTITY = ("store", "branch", "phone", "font", "registration_number")


def _renumber(v, R):
    """Another time and receipt number on the twin: two receipts of one shop
    are never printed at the same minute with the same number. The printed
    text and the truth are changed alike; digits only, so the layout stays."""
    t = v["truth"]
    hh, mm = (int(x) for x in t["time"].split(":"))
    nm = (mm + R.randint(5, 50)) % 60
    pairs = [("%02d:%02d" % (hh, mm), "%02d:%02d" % (hh, nm)), ("%02d時%02d分" % (hh, mm), "%02d時%02d分" % (hh, nm))]
    t["time"] = "%02d:%02d" % (hh, nm)
    if t["receipt_number"]:
        old = t["receipt_number"]
        new = "".join(str((int(c) + R.randint(1, 9)) % 10) if c.isdigit() else c for c in old)
        pairs.append((old, new))
        t["receipt_number"] = new
    doc = v["doc"]

    def swap(text):
        for a, b in pairs:
            text = text.replace(a, b)
        return text
    doc.ops = [(op[0], swap(op[1])) + tuple(op[2:]) if op[0] == "text" else op for op in doc.ops]
    doc.lines = [swap(line) for line in doc.lines]
    t["lines"] = doc.lines


def same_shop(rc, seed, idx, force=None):
    """The receipt rc (built from rc["seed"]) again, with other items and another
    date drawn from a second random stream, another time and receipt number,
    everything else (shop, style, header, print quality) as before. The item draws of
    the first stream are still made, so the rest of the stream stays in step.
    Returns None when no variant with the same item count and the same shop
    came out (then the pair is skipped). force: as gen.build_receipt's, and as
    rc was built with."""
    orig_items, orig_date = gen._make_items, gen._random_date
    n_items = len(rc["truth"]["items"])
    try:
        for attempt in range(60):
            R2 = random.Random(gen.sub_seed("same-shop", seed, idx, attempt))

            def items(R, *a):
                orig_items(R, *a)
                return orig_items(R2, *a)

            def date(R):
                d = orig_date(R)
                d2 = orig_date(R2)
                return d2 if d2 != d else d2 + (d2 - d) // abs((d2 - d).days or 1)

            gen._make_items, gen._random_date = items, date
            v = gen.build_receipt(rc["seed"], force=force)
            gen._make_items, gen._random_date = orig_items, orig_date
            t, t0 = v["truth"], rc["truth"]
            if len(t["items"]) != n_items or any(t[k] != t0[k] for k in IDENTITY):
                continue
            if t["total"] == t0["total"] or t["meta"]["paper_mm"] != t0["meta"]["paper_mm"]:
                continue
            v["seed"], v["print_seed"] = rc["seed"], rc["print_seed"]
            _renumber(v, R2)
            return v
    finally:
        gen._make_items, gen._random_date = orig_items, orig_date
    return None


def render(rc, name, outdir, shots):
    files = []
    for tag, level, seed in shots:
        if level == "clean":
            data, info = gen.make_clean(rc, seed)
            fn = "%s-%s.png" % (name, tag)
        else:
            data, info = gen.make_photo(rc, level, seed)
            fn = "%s-%s.jpg" % (name, tag)
        with open(os.path.join(outdir, fn), "wb") as fh:
            fh.write(data)
        files.append({"file": fn, "level": level, "shot": tag, "rotation_deg": info["rotation_deg"],
                      "exif_orientation": info["exif_orientation"]})
    return files


def edits(outdir, name, seed):
    """The same photo as it comes back edited: what a second submission of
    one picture looks like when its bytes differ."""
    # an app that re-sends a photo shows it upright and drops the EXIF block
    src = ImageOps.exif_transpose(Image.open(os.path.join(outdir, name + "-modA.jpg"))).convert("RGB")
    rng = np.random.default_rng(gen.sub_seed("phash-edit", seed))
    w, h = src.size
    out = []
    # 1: re-encoded at a lower quality and 70% of the size (a messenger app)
    e1 = src.resize((w * 7 // 10, h * 7 // 10), Image.LANCZOS)
    # 2: turned 3 degrees, sensor noise, 15% brighter
    e2 = src.rotate(float(rng.choice([-3.0, 3.0])), resample=Image.BICUBIC, expand=True, fillcolor=(128, 128, 128))
    arr = np.asarray(e2, dtype=np.float32) + rng.normal(0, 8, (e2.height, e2.width, 1))
    e2 = ImageEnhance.Brightness(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))).enhance(1.15)
    # 3: 4% cropped off each side, more contrast
    m = (w * 4 // 100, h * 4 // 100)
    e3 = ImageEnhance.Contrast(src.crop((m[0], m[1], w - m[0], h - m[1]))).enhance(1.3)
    for k, (img, q) in enumerate([(e1, 60), (e2, 85), (e3, 80)], 1):
        fn = "%s-edit%d.jpg" % (name, k)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=q)
        with open(os.path.join(outdir, fn), "wb") as fh:
            fh.write(buf.getvalue())
        out.append({"file": fn, "level": "edit", "shot": "edit%d" % k})
    return out


def one(job):
    seed, idx, outdir = job
    rc = gen.receipt_for(seed, idx)
    name = "%04d" % idx
    sA = {lv: gen.sub_seed("phash-A", seed, idx, lv) for lv in gen.LEVELS}
    sB = {lv: gen.sub_seed("phash-B", seed, idx, lv) for lv in gen.LEVELS}
    shots = [("clean", "clean", sA["clean"]), ("modA", "moderate", sA["moderate"]),
             ("modB", "moderate", sB["moderate"]), ("hvyA", "heavy", sA["heavy"]),
             ("hvyB", "heavy", sB["heavy"])]
    rec = {"id": name, "kind": rc["truth"]["kind"], "store": rc["truth"]["store"], "total": rc["truth"]["total"],
           "date": rc["truth"]["date"], "items": len(rc["truth"]["items"]),
           "images": render(rc, name, outdir, shots)}
    rec["images"] += edits(outdir, name, gen.sub_seed(seed, idx))
    v = same_shop(rc, seed, idx)
    if v is not None:
        # the same photo conditions as shot A of each level: only the content differs
        vshots = [("clean", "clean", sA["clean"]), ("modA", "moderate", sA["moderate"]),
                  ("hvyA", "heavy", sA["heavy"])]
        rec["same_shop"] = {"id": name + "s", "total": v["truth"]["total"], "date": v["truth"]["date"],
                            "images": render(v, name + "s", outdir, vshots)}
    return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--edits-only", action="store_true", help="add the edited copies to an existing corpus")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.edits_only:
        path = os.path.join(a.out, "index.json")
        index = json.load(open(path))
        for i, r in enumerate(index["receipts"]):
            r["images"] = [im for im in r["images"] if im["level"] != "edit"]
            r["images"] += edits(a.out, r["id"], gen.sub_seed(a.seed, i))
        with open(path, "w") as fh:
            json.dump(index, fh, ensure_ascii=False, indent=1)
        return
    jobs = [(a.seed, i, a.out) for i in range(a.count)]
    with Pool(a.jobs) as p:
        recs = p.map(one, jobs, chunksize=1)
    with open(os.path.join(a.out, "index.json"), "w") as fh:
        json.dump({"seed": a.seed, "count": a.count, "receipts": recs}, fh, ensure_ascii=False, indent=1)
    n_ss = sum(1 for r in recs if "same_shop" in r)
    print("phash corpus: %d receipts, %d with a same-shop twin, in %s" % (len(recs), n_ss, a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
