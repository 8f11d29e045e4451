#!/usr/bin/python3
"""kanji_confusions.py — which kanji (and half-width kana) the reader takes
for which, measured.

The recognizer reads some kanji one stroke off (詰 as 庄, 顆 as 題, 烏 as 鳥).
To know which, this script makes receipts whose item names are dictionary
words instead of products — IPADIC nouns of two to four kanji, chosen so
that each of the commoner kanji is printed several times — photographs them
the way tests/receipts/gen.py does (its renderer and its moderate photo
level), and, after `recam read` has read them, counts which printed kanji
came out as which. The table it writes (src/receipt/kanji_confusions.tsv)
lists the pairs read at least twice; the parser (kanji_lex.c) tries those
swaps on item names that are not words.

  scripts/kanji_confusions.py gen kanji OUT COUNT SEED     # corpus of word receipts
  bin/recam read OUT/*-moderate.jpg > OUT/read.jsonl
  scripts/kanji_confusions.py count kanji OUT OUT/read.jsonl [OUT2 OUT2/read.jsonl ...] > table.tsv

With `kana` instead of `kanji`, the names are katakana nouns of IPADIC (3 to
8 glyphs, the commonest 6,000) printed in half-width katakana on every
receipt, and the table (src/receipt/kana_confusions.tsv) lists the
katakana read as other katakana after the stretched re-read of half-width
lines (halfwidth.c) and the parser's own choice between twins (kana_lex.c).

The product names of the generator are not used, so the table holds what the
recognizer confuses in general, not what it confuses in the test corpus.
"""
import collections
import difflib
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "receipts"))

IPADIC = "/usr/share/chasen/ipadic"
KANJI = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
KATA = re.compile(r"^[\u30a1-\u30fa\u30fc]{3,8}$")
KANA_WORDS = 6000
# Pairs kept: a kanji is printed six times in two corpora, so twice is a
# habit; a katakana hundreds of times, and the rarer kana slips let the
# word list excuse right names it lacks (カツカレー, ウインナーパン: 18
# lost at 2 reads, none at 8 — docs/reader.md).
MIN_READS = {"kanji": 2, "kana": 8}
EACH = 3  # times each kanji should be printed
KANJI_MAX = 3500  # the commonest kanji of the nouns, by use


def nouns(pattern=KANJI):
    """(word, cost) of IPADIC's common nouns matching pattern (kanji only by
    default); a lower cost is a commoner word."""
    out = {}
    pat = re.compile(r"\(見出し語 \(([^ ]+) (\d+)\)\)")
    for f in ("Noun.dic", "Noun.verbal.dic", "Noun.adjv.dic"):
        with open(os.path.join(IPADIC, f), encoding="utf-8") as fh:
            for line in fh:
                m = pat.search(line)
                if m and pattern.match(m.group(1)):
                    w, c = m.group(1), int(m.group(2))
                    out[w] = min(c, out.get(w, c))
    return sorted(out.items(), key=lambda wc: (wc[1], wc[0]))


def word_list(seed):
    """Words covering the commonest kanji about EACH times, shuffled with seed."""
    ws = nouns()
    use = collections.Counter(ch for w, _ in ws[:20000] for ch in w)
    common = {ch for ch, _ in use.most_common(KANJI_MAX)}
    seen = collections.Counter()
    chosen = []
    for w, _ in ws:
        if any(ch in common and seen[ch] < EACH for ch in w):
            chosen.append(w)
            seen.update(w)
    random.Random(seed).shuffle(chosen)
    return chosen


def is_kanji(ch):
    return "\u4e00" <= ch <= "\u9fff"


def is_kata(ch):
    return "\u30a1" <= ch <= "\u30fa" or ch == "\u30fc"


def gen(script, out, count, seed):
    import gen as G
    if script == "kana":
        words = [w for w, _ in nouns(KATA)[:KANA_WORDS]]
        random.Random(seed).shuffle(words)
        layout = G._layout

        def halfwidth_layout(c):
            c["st"]["halfwidth"] = True  # every receipt printed in half-width kana
            return layout(c)

        G._layout = halfwidth_layout
    else:
        words = word_list(seed)
    state = {"i": 0}

    def pick(R, shop, en):
        # two words per name, in order, so that every word is printed once
        i = state["i"] % len(words)
        state["i"] += 2
        return (words[i] + " " + words[(i + 1) % len(words)], "word", 100, 900)

    G._pick_product = pick
    kinds = ("supermarket", "drugstore", "tax_exclusive", "reduced_mark", "discount")
    # one process: the word pointer is shared state
    G.generate(out, count, seed, levels=("moderate",), kinds=kinds, jobs=1)


def count(script, runs):
    pairs = collections.Counter()
    printed = collections.Counter()
    kind = is_kata if script == "kana" else is_kanji
    for corpus, readings in runs:
        count_one(corpus, readings, kind, pairs, printed)
    seeds = [str(json.load(open(os.path.join(c, "index.json"), encoding="utf-8")).get("seed")) for c, _ in runs]
    least = MIN_READS[script]
    print("# printed\tread\ttimes read so (at least %d)\ttimes printed — scripts/kanji_confusions.py %s, corpora of seeds %s"
          % (least, script, ", ".join(seeds)))
    for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        if n >= least:
            print("%s\t%s\t%d\t%d" % (a, b, n, printed[a]))


def count_one(corpus, readings, kind, pairs, printed):
    for line in open(readings, encoding="utf-8"):
        try:
            o = json.loads(line)
        except ValueError:
            continue
        rid = os.path.basename(o.get("file", ""))[:4]
        try:
            t = json.load(open(os.path.join(corpus, rid + ".json"), encoding="utf-8"))
        except OSError:
            continue
        got = [(i.get("name") or "", i.get("amount")) for i in (o.get("items") or {}).get("value") or []]
        for w in t["items"]:
            if w.get("discount"):
                continue
            name = unicodedata.normalize("NFKC", w["name"]).replace(" ", "")
            printed.update(ch for ch in name if kind(ch))
            cands = [g for g, a in got if a == w["amount"]]
            if not cands:
                continue
            g = max(cands, key=lambda s: difflib.SequenceMatcher(None, name, s.replace(" ", "")).ratio())
            g = unicodedata.normalize("NFKC", g).replace(" ", "")
            sm = difflib.SequenceMatcher(None, name, g, autojunk=False)
            for op, a1, a2, b1, b2 in sm.get_opcodes():
                if op == "replace" and a2 - a1 == b2 - b1:
                    for a, b in zip(name[a1:a2], g[b1:b2]):
                        if kind(a) and kind(b):
                            pairs[(a, b)] += 1


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "gen" and sys.argv[2] in ("kanji", "kana"):
        gen(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) >= 5 and len(sys.argv) % 2 == 1 and sys.argv[1] == "count" and sys.argv[2] in ("kanji", "kana"):
        count(sys.argv[2], list(zip(sys.argv[3::2], sys.argv[4::2])))
    else:
        sys.exit(__doc__)
