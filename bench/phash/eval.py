#!/usr/bin/python3
"""False-match and miss rates of the perceptual image hashes, alone and with
the reading check that entry judging applies (src/campaign/image_dup.c), on
the pairs of bench/phash/corpus.py.

    /usr/bin/python3 bench/phash/eval.py CORPUS_DIR READINGS.jsonl [--photo N --page N] [--strong K]

READINGS.jsonl: one `recam read` line per image (with "file" and "phash").
Two photos match when the photo hashes differ in at most --photo bits OR the
page hashes in at most --page bits (defaults: the thresholds in
src/receipt/phash.h), and, for "+read", their readings agree: no field read
with confidence >= 0.5 in both differs and at least K (default 1) of total,
time, receipt number agree. "or fingerprint" adds what receipt_already_used
catches (the same store, date, time or number and total read in both), to
show what the two checks catch together.

Positive pairs (the same paper): "edit" = the photo modA and its edited
copies (re-encoded at 70% size; turned 3 degrees with noise and more light;
cropped 4% with more contrast); "re-shot" = two independent photos (clean
scan, moderate and heavy phone photos). Negative pairs: the same shop with the
same layout and length but other items, photographed under the same
conditions; receipts of other shops."""
import argparse
import itertools
import json
import os
import re
import sys

FIELDS = ("total", "date", "time", "receipt_number", "phone", "registration_number")
STRONG = ("total", "time", "receipt_number")
CONF = 0.5


def header_value(name):
    src = open(os.path.join(os.path.dirname(__file__), "..", "..", "src", "receipt", "phash.h")).read()
    return int(re.search(r"#define %s (\d+)" % name, src).group(1))


def bits(h):
    return int(h, 16)


def dist(a, b):
    return bin(a ^ b).count("1")


def norm(field, v):
    if field == "phone" and isinstance(v, str):
        return "".join(c for c in v if c.isdigit())
    return v


def reading_agrees(a, b, need=1):
    strong = 0
    for f in FIELDS:
        fa, fb = a.get(f), b.get(f)
        if not isinstance(fa, dict) or not isinstance(fb, dict):
            continue
        if fa.get("value") is None or fb.get("value") is None:
            continue
        if (fa.get("confidence") or 0) < CONF or (fb.get("confidence") or 0) < CONF:
            continue
        if norm(f, fa["value"]) != norm(f, fb["value"]):
            return False
        if f in STRONG:
            strong += 1
    return strong >= need


def fingerprint(r):
    """recam_receipt_fingerprint (campaign/judge.c): the receipt's identity
    for receipt_already_used, or None when too little was read."""
    def f(name):
        x = r.get(name)
        if isinstance(x, dict) and x.get("value") is not None and (x.get("confidence") or 0) >= 0.5:
            return x["value"]
        return None
    who = f("registration_number") or "".join(c for c in (f("phone") or "") if c.isdigit())
    date, time, total, num = f("date"), f("time"), f("total"), f("receipt_number")
    if not who or not date or not isinstance(total, int) or total <= 0 or (not time and not num):
        return None
    return (who, date, time or "", total, num or "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("readings")
    ap.add_argument("--photo", type=int, action="append")
    ap.add_argument("--page", type=int, action="append")
    ap.add_argument("--strong", type=int, default=1)
    a = ap.parse_args()
    idx = json.load(open(os.path.join(a.corpus, "index.json")))
    R = {}
    for line in open(a.readings):
        o = json.loads(line)
        R[os.path.basename(o["file"])] = o
    P = {f: bits(o["phash"]["photo"]) for f, o in R.items() if isinstance(o.get("phash"), dict)}
    G = {f: bits(o["phash"]["page"]) for f, o in R.items() if isinstance(o.get("phash"), dict)}

    def kind(im):
        return "edit" if im["level"] == "edit" else im["level"]

    pos = {}
    for r in idx["receipts"]:
        ims = {im["shot"]: im for im in r["images"]}
        for x, y in itertools.combinations(r["images"], 2):
            if x["file"] not in P or y["file"] not in P:
                continue
            if "edit" in (kind(x), kind(y)):
                if {x["shot"], y["shot"]} & {"modA"} and kind(x) != kind(y):
                    pos.setdefault("edited copy", []).append((x["file"], y["file"]))
                continue
            k = "re-shot " + "-".join(sorted([kind(x), kind(y)]))
            pos.setdefault(k, []).append((x["file"], y["file"]))
    ss, rnd = [], []
    for r in idx["receipts"]:
        for x in r["images"]:
            for y in r.get("same_shop", {}).get("images", []):
                if x["file"] in P and y["file"] in P:
                    ss.append((x["file"], y["file"]))
    rs = idx["receipts"]
    for i, j in itertools.combinations(range(len(rs)), 2):
        for x in rs[i]["images"]:
            for y in rs[j]["images"]:
                if x["file"] in P and y["file"] in P:
                    rnd.append((x["file"], y["file"]))
    unread = sum(1 for r in rs for x in r["images"] if x["file"] not in P)
    photos = a.photo or [header_value("RECAM_PHASH_PHOTO_MAX")]
    pages = a.page or [header_value("RECAM_PHASH_PAGE_MAX")]
    cats = sorted(pos)
    print("pairs: %s; same shop %d; other shops %d; photos without hashes (reader refused) %d"
          % (", ".join("%s %d" % (k, len(pos[k])) for k in cats), len(ss), len(rnd), unread))
    print("rule: photo hash <= P bits of 255 OR page hash <= G bits of 63; '+read': and the readings agree "
          "(at least %d of total/time/receipt number)" % a.strong)
    print("| P | G | check | " + " | ".join("found: %s" % k for k in cats) + " | false match: same shop | "
          "false match: other shops |")
    print("|---|---|---|" + "---|" * (len(cats) + 2))
    for p in photos:
        for g in pages:
            for gate in ("hash only", "hash+read", "hash+read or fingerprint"):
                def match(x, y):
                    if gate == "hash+read or fingerprint":
                        fx = fingerprint(R[x])
                        if fx is not None and fx == fingerprint(R[y]):
                            return True
                    if dist(P[x], P[y]) > p and dist(G[x], G[y]) > g:
                        return False
                    return gate == "hash only" or reading_agrees(R[x], R[y], a.strong)

                def rate(pairs):
                    n = sum(1 for x, y in pairs if match(x, y))
                    return n, len(pairs)
                cells = []
                for k in cats:
                    n, t = rate(pos[k])
                    cells.append("%.1f%%" % (100.0 * n / t))
                n1, t1 = rate(ss)
                n2, t2 = rate(rnd)
                print("| %d | %d | %s | %s | %.2f%% (%d/%d) | %.4f%% (%d/%d) |"
                      % (p, g, gate, " | ".join(cells),
                         100.0 * n1 / t1, n1, t1, 100.0 * n2 / t2, n2, t2))


if __name__ == "__main__":
    sys.exit(main())
