#!/usr/bin/python3
"""What a campaign sees: are a receipt's products found by the campaign matcher
(src/receipt/match.c, the one judging uses) in what the reader read?

    match.py CORPUS_DIR MATCH_EVAL_BIN RESULTS.jsonl [RESULTS2.jsonl ...] [--label A,B] [--split holdout]

For each receipt every product on it becomes a campaign target (its catalogue
name, with the name as printed on this receipt as an alias, as a campaign
lists them), beside 40 decoys: products of the corpus that are not on it.
Per level:
  found          a target product matched to a read item with its amount right
  found (any)    matched at all (a quantity or amount rule may still miss it)
  false match    a decoy matched to some read item, per receipt (a product the
                 shopper did not buy would count: the worst outcome)
Discount lines are not products. Exact item F1 (eval.py) counts a name one
glyph off as wrong; the matcher tolerates such slips but not other products."""
import json
import os
import random
import subprocess
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval import level_of, load_results  # noqa: E402

DECOYS = 40


def canon(s):
    return unicodedata.normalize("NFKC", s or "").replace(" ", "")


def main(argv):
    labels, split, pos = None, None, []
    i = 0
    while i < len(argv):
        if argv[i] == "--label":
            labels = argv[i + 1].split(",")
            i += 2
        elif argv[i] == "--split":
            split = argv[i + 1]
            i += 2
        else:
            pos.append(argv[i])
            i += 1
    corpus, tool, files = pos[0], pos[1], pos[2:]
    labels = labels or [os.path.basename(f) for f in files]
    truths = {}
    for f in sorted(os.listdir(corpus)):
        if f.endswith(".json") and f[:4].isdigit():
            t = json.load(open(os.path.join(corpus, f), encoding="utf-8"))
            if split is None or t.get("split") == split:
                truths[f[:4]] = t
    catalogue = sorted({p for t in truths.values() for p in t.get("meta", {}).get("products", [])})
    table = {}
    for label, f in zip(labels, files):
        res = load_results(f)
        reqs, keys = [], []
        for base, o in sorted(res.items()):
            rid, level = level_of(base)
            t = truths.get(rid)
            if t is None or not t.get("meta", {}).get("products"):
                continue
            prods = t["meta"]["products"]
            # products on the receipt in order; truth items align with them
            targets, amounts = [], []
            seen = {}
            for p, it in zip(prods, t["items"]):
                if it.get("discount"):
                    continue
                if canon(p) in seen:
                    amounts[seen[canon(p)]].add(it["amount"])
                    continue
                seen[canon(p)] = len(targets)
                alias = [it["name"]] if canon(it["name"]) != canon(p) else []
                targets.append({"name": p, "aliases": alias})
                amounts.append({it["amount"]})
            rnd = random.Random(rid)
            on = {canon(p) for p in prods}
            decoys = [p for p in catalogue if canon(p) not in on]
            decoys = rnd.sample(decoys, min(DECOYS, len(decoys)))
            items = ((o.get("items") or {}).get("value")) or []
            reqs.append({"items": items, "targets": targets + [{"name": d, "aliases": []} for d in decoys]})
            keys.append((level, len(targets), amounts, items))
        out = subprocess.run([tool], input="".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reqs),
                             capture_output=True, text=True).stdout.splitlines()
        for (level, nt, amounts, items), line in zip(keys, out):
            hits = json.loads(line)["hits"]
            s = table.setdefault((level, label), [0, 0, 0, 0, 0])
            s[0] += nt
            found_any, found_amt, false = set(), set(), 0
            for item, target, _sim in hits:
                if target < nt:
                    found_any.add(target)
                    if items[item].get("amount") in amounts[target]:
                        found_amt.add(target)
                else:
                    false = 1
            s[1] += len(found_amt)
            s[2] += len(found_any)
            s[3] += false
            s[4] += 1
    for level in ("clean", "moderate", "heavy"):
        rows = [(lb, table.get((level, lb))) for lb in labels]
        if not any(r for _, r in rows):
            continue
        n = max(r[4] for _, r in rows if r)
        print("\n== %s (%d receipts): campaign matcher ==" % (level, n))
        print("%-28s" % "" + "".join("%16s" % lb[:15] for lb in labels))
        for name, k, den in (("products found", 1, 0), ("found (any amount)", 2, 0), ("false match/receipt", 3, 4)):
            print("%-28s" % name + "".join(
                "%15.1f%%" % (100.0 * r[k] / max(1, r[den])) if r else "%16s" % "-" for _, r in rows))


if __name__ == "__main__":
    main(sys.argv[1:])
