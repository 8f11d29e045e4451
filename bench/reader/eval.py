#!/usr/bin/python3
"""Scores reader output (JSON lines from `recam read`) against the generator's
ground truth (NNNN.json next to the images).

    eval.py CORPUS_DIR RESULTS.jsonl [RESULTS2.jsonl ...] [--label A,B] [--split holdout]

Prints per level and per field the exact-match rate, item precision/recall/F1
(an item is right when its name and amount both match a truth item), the
confidently-wrong rate (a value given confidence >= 0.9 that is wrong) and
time per receipt (wall, and CPU where the results carry timing_ms.cpu: the
time on one core, which wall time is not when other jobs share the machine). Several result files are printed side by side."""
import json
import os
import re
import statistics
import sys
import unicodedata

FIELDS = ["total", "date", "time", "phone", "registration_number", "subtotal", "store"]
SURE = 0.9


def norm_name(s):
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"\s+", "", s)
    # hiragana/katakana and long-vowel look-alikes fold the same way as the reader's key
    out = []
    for ch in s:
        o = ord(ch)
        if 0x30A1 <= o <= 0x30F6:
            ch = chr(o - 0x60)
        out.append(ch)
    return "".join(out).lower()


def load_results(path):
    res = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            base = os.path.basename(o.get("file", ""))
            res[base] = o
    return res


def level_of(fname):
    m = re.match(r"([^-/]+)-(clean|moderate|heavy)\.", fname)
    return (m.group(1), m.group(2)) if m else (None, None)


def truth_for(corpus, rid, cache={}):
    if rid not in cache:
        with open(os.path.join(corpus, rid + ".json"), encoding="utf-8") as f:
            cache[rid] = json.load(f)
    return cache[rid]


def fval(o, k):
    v = o.get(k)
    if isinstance(v, dict):
        return v.get("value"), v.get("confidence", 0) or 0
    return None, 0


def score(corpus, results, split):
    per = {}
    for fname, o in results.items():
        rid, level = level_of(fname)
        if rid is None:
            continue
        t = truth_for(corpus, rid)
        if split and t.get("split") != split:
            continue
        s = per.setdefault(level, {"n": 0, "ok": {k: 0 for k in FIELDS}, "sure_wrong": 0, "slots": 0,
                                    "tp": 0, "np": 0, "nt": 0, "item_sure_wrong": 0, "times": [], "cpu": [], "errors": 0})
        s["n"] += 1
        if "error" in o:
            s["errors"] += 1
            s["nt"] += len(t["items"])
            s["slots"] += len(FIELDS)
            continue
        for k in FIELDS:
            v, c = fval(o, k)
            want = t.get(k)
            right = v is not None and (norm_name(str(v)) == norm_name(str(want)) if k == "store" else v == want)
            s["ok"][k] += right
            s["slots"] += 1
            if v is not None and not right and c >= SURE:
                s["sure_wrong"] += 1
        items, _ = fval(o, "items")
        items = items or []
        truth = [(norm_name(i["name"]), i["amount"]) for i in t["items"]]
        left = list(truth)
        for it in items:
            key = (norm_name(it.get("name")), it.get("amount"))
            if key in left:
                left.remove(key)
                s["tp"] += 1
            elif (it.get("confidence") or 0) >= SURE:
                s["item_sure_wrong"] += 1
        s["np"] += len(items)
        s["nt"] += len(truth)
        tm = o.get("timing_ms", {}).get("total")
        if tm is not None:
            s["times"].append(tm)
        cpu = o.get("timing_ms", {}).get("cpu")
        if cpu is not None:
            s["cpu"].append(cpu)
    return per


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "   - "


def main():
    args = sys.argv[1:]
    label = None
    split = None
    if "--label" in args:
        i = args.index("--label")
        label = args[i + 1].split(",")
        del args[i:i + 2]
    if "--split" in args:
        i = args.index("--split")
        split = args[i + 1]
        del args[i:i + 2]
    corpus, files = args[0], args[1:]
    label = label or [os.path.basename(f) for f in files]
    scores = [score(corpus, load_results(f), split) for f in files]
    for level in ("clean", "moderate", "heavy"):
        if not any(level in s for s in scores):
            continue
        n = max(s.get(level, {}).get("n", 0) for s in scores)
        print("\n== %s (%d receipts%s) ==" % (level, n, ", split " + split if split else ""))
        print("%-22s" % "" + "".join("%14s" % l[:13] for l in label))
        rows = [(k, lambda s, k=k: pct(s["ok"][k], s["n"])) for k in FIELDS]
        rows += [
            ("items precision", lambda s: pct(s["tp"], s["np"])),
            ("items recall", lambda s: pct(s["tp"], s["nt"])),
            ("items F1", lambda s: "%5.1f%%" % (200.0 * s["tp"] / (s["np"] + s["nt"])) if s["np"] + s["nt"] else "   - "),
            ("confidently wrong", lambda s: pct(s["sure_wrong"], s["slots"])),
            ("items conf. wrong", lambda s: pct(s["item_sure_wrong"], s["np"])),
            ("errors", lambda s: "%6d" % s["errors"]),
            ("median ms", lambda s: "%6d" % statistics.median(s["times"]) if s["times"] else "   - "),
            ("p95 ms", lambda s: "%6d" % sorted(s["times"])[int(0.95 * (len(s["times"]) - 1))] if s["times"] else "   - "),
            ("median CPU ms", lambda s: "%6d" % statistics.median(s["cpu"]) if s["cpu"] else "   - "),
            ("p95 CPU ms", lambda s: "%6d" % sorted(s["cpu"])[int(0.95 * (len(s["cpu"]) - 1))] if s["cpu"] else "   - "),
        ]
        for name, fn in rows:
            print("%-22s" % name + "".join("%14s" % (fn(s[level]) if level in s else "-") for s in scores))


if __name__ == "__main__":
    main()
