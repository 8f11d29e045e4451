#!/usr/bin/python3
"""Test-receipt generator: renders Japanese shop receipts with their ground truth,
then makes photo-like variants of each (clean scan, moderate photo, heavy photo).

Run with Debian's Python (stdlib + python3-pil + python3-numpy):

    /usr/bin/python3 tests/receipts/gen.py --out /tmp/corpus --count 300 --seed 1
    /usr/bin/python3 tests/receipts/gen.py --golden      # rewrites tests/receipts/golden/

See README.md next to this file for the ground-truth schema and the levels.
Everything is derived from the seed: the same seed gives a byte-identical corpus
(on the same Pillow/FreeType/libjpeg), and receipt i does not depend on --count.
"""

import argparse
import datetime
import functools
import hashlib
import io
import json
import math
import os
import random
import sys
import time

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import receipt_pools as pools  # noqa: E402

GEN_VERSION = 1
REF_PPM = 8.0          # thermal printer head: 8 dots per mm (203 dpi); layout unit
LEVELS = ("clean", "moderate", "heavy")
KIND_WEIGHTS = {
    "conbini": 17, "supermarket": 17, "drugstore": 13, "restaurant": 12,
    "tax_exclusive": 11, "reduced_mark": 11, "discount": 11, "long": 5, "english": 3,
}
KINDS = tuple(KIND_WEIGHTS)
HOLDOUT_PERCENT = 30
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# fonts

_NOTO = "/usr/share/fonts/opentype/noto/"
_IPAG = "/usr/share/fonts/opentype/ipafont-gothic/"
_IPAM = "/usr/share/fonts/opentype/ipafont-mincho/"
# (printed name, regular file, face index, bold file or None, bold index, weight)
_FONT_TABLE = [
    ("Noto Sans CJK JP", _NOTO + "NotoSansCJK-Regular.ttc", 0, _NOTO + "NotoSansCJK-Bold.ttc", 0, 5),
    ("Noto Sans Mono CJK JP", _NOTO + "NotoSansCJK-Regular.ttc", 5, _NOTO + "NotoSansCJK-Bold.ttc", 5, 4),
    ("Noto Serif CJK JP", _NOTO + "NotoSerifCJK-Regular.ttc", 0, _NOTO + "NotoSerifCJK-Bold.ttc", 0, 2),
    ("IPAGothic", _IPAG + "ipag.ttf", 0, None, 0, 5),
    ("IPAPGothic", _IPAG + "ipagp.ttf", 0, None, 0, 3),
    ("IPAMincho", _IPAM + "ipam.ttf", 0, None, 0, 1),
    ("IPAPMincho", _IPAM + "ipamp.ttf", 0, None, 0, 1),
]
FONTS = [f for f in _FONT_TABLE if os.path.exists(f[1])]
if not FONTS:
    raise SystemExit("gen.py: no Japanese fonts found; install fonts-noto-cjk fonts-ipafont")


@functools.lru_cache(maxsize=512)
def load_font(path, index, size):
    return ImageFont.truetype(path, size=size, index=index)


# ---------------------------------------------------------------------------
# small helpers

def sub_seed(*parts):
    """A 63-bit seed derived from any parts; independent of Python's hash salt."""
    h = hashlib.sha256(repr(parts).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") >> 1


def wchoice(R, table):
    """Weighted choice from a dict {item: weight} (sorted for determinism)."""
    keys = sorted(table)
    return R.choices(keys, [table[k] for k in keys])[0]


def check_digit(base12):
    """Japanese corporate-number check digit for a 12-digit base number."""
    if len(base12) != 12 or not base12.isdigit():
        raise ValueError("base must be 12 digits")
    total = 0
    for n, ch in enumerate(reversed(base12), start=1):
        total += int(ch) * (1 if n % 2 else 2)
    return 9 - total % 9


def registration_number(R):
    base = "".join(str(R.randint(0, 9)) for _ in range(12))
    return "T%d%s" % (check_digit(base), base)


def valid_registration_number(s):
    return (isinstance(s, str) and len(s) == 14 and s[0] == "T" and s[1:].isdigit()
            and int(s[1]) == check_digit(s[2:]))


_KATA_FULL = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォッャュョー・「」、。ヵヶ"
_KATA_HALF = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｯｬｭｮｰ･｢｣､｡ｶｹ"
_DAKU_FULL = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
_DAKU_BASE = "ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ"
_HANDAKU_FULL = "パピプペポ"
_HANDAKU_BASE = "ﾊﾋﾌﾍﾎ"
assert len(_KATA_FULL) == len(_KATA_HALF)
_HALF = dict(zip(_KATA_FULL, _KATA_HALF))
_HALF.update({f: b + "ﾞ" for f, b in zip(_DAKU_FULL, _DAKU_BASE)})
_HALF.update({f: b + "ﾟ" for f, b in zip(_HANDAKU_FULL, _HANDAKU_BASE)})
_HALF["ヴ"] = "ｳﾞ"
_HALF["\u3000"] = " "


def to_halfwidth_kana(s):
    """Katakana (and hiragana, via katakana) to half-width katakana, as old POS
    systems print; kanji, digits and Latin letters are left alone."""
    out = []
    for ch in s:
        o = ord(ch)
        if 0x3041 <= o <= 0x3096:          # hiragana -> katakana
            ch = chr(o + 0x60)
        out.append(_HALF.get(ch, ch))
    return "".join(out)


def to_fullwidth_digits(s):
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in s)


def nice_price(R, lo, hi, step=1):
    p = R.randint(lo, hi)
    if p >= 100:
        r = R.random()
        if r < 0.45:
            p = p - p % 10 + 8
        elif r < 0.7:
            p = p - p % 10
        elif r < 0.78:
            p = p - p % 100 + 98
    if step > 1:
        p = max(step, p - p % step)
    return max(1, p)


# ---------------------------------------------------------------------------
# the receipt's content (ground truth)

SHOP_CATEGORIES = {
    "conbini": {"deli": 3, "drink": 3, "snack": 2, "bread": 2, "sweets": 1.2, "dairy": 0.8,
                "alcohol": 0.8, "household": 0.4, "bag": 0.5, "supplement": 0.4, "food": 0.6,
                "medicine": 0.1},
    "supermarket": {"produce": 3, "meat": 2, "fish": 1, "dairy": 2, "bread": 1, "seasoning": 1.3,
                    "frozen": 1, "snack": 1.2, "drink": 1.5, "food": 2, "deli": 1, "sweets": 0.8,
                    "alcohol": 0.6, "household": 0.6, "bag": 0.2},
    "drugstore": {"medicine": 2.2, "cosmetic": 3, "household": 2.2, "supplement": 1, "snack": 1,
                  "drink": 1.2, "food": 0.5, "pet": 0.3, "sweets": 0.3, "bag": 0.2},
}
_BY_CAT = {}
for _p in pools.PRODUCTS:
    _BY_CAT.setdefault(_p[1], []).append(_p)
_EN_BY_CAT = {}
for _p in pools.EN_PRODUCTS:
    _EN_BY_CAT.setdefault(_p[1], []).append(_p)
_PRODUCT_BY_NAME = {p[0]: p for p in pools.PRODUCTS + pools.EN_PRODUCTS}
_MENU_BY_NAME = {m[0]: m for m in pools.MENU}

ITEM_COUNTS = {"conbini": (1, 7), "supermarket": (5, 18), "drugstore": (2, 10),
               "restaurant": (1, 8), "tax_exclusive": (3, 12), "reduced_mark": (3, 12),
               "discount": (4, 14), "long": (40, 58), "english": (2, 8)}


def product_names():
    """All invented product names (for matcher tests)."""
    return [p[0] for p in pools.PRODUCTS]


def _pick_product(R, shop, en):
    table = SHOP_CATEGORIES[shop]
    by_cat = _EN_BY_CAT if en else _BY_CAT
    table = {c: w for c, w in table.items() if c in by_cat}
    cat = wchoice(R, table)
    return R.choice(by_cat[cat])


def _make_items(R, kind, shop, en, tax_mode, takeout):
    lo, hi = ITEM_COUNTS[kind]
    n = R.randint(lo, hi)
    items = []
    used = set()
    while len(items) < n:
        if shop == "restaurant":
            name, plo, phi, alcohol = R.choice(pools.MENU)
            reduced = takeout and not alcohol
            unit = nice_price(R, plo, phi, step=10)
        else:
            name, cat, plo, phi = _pick_product(R, shop, en)
            reduced = cat in pools.REDUCED_CATEGORIES
            unit = nice_price(R, plo, phi)
        if name in used and R.random() < 0.85:
            continue
        used.add(name)
        rate = 8 if reduced else 10
        if tax_mode == "exclusive" and unit > 20:
            unit = unit * 100 // (100 + rate)
            if unit >= 100 and R.random() < 0.5:
                unit = unit - unit % 10 + 8
        q = 1
        if R.random() < 0.2 and unit < 1500:
            q = R.choice([2, 2, 2, 3, 3, 4, 5, 6])
        items.append({"name": name, "quantity": q, "unit_price": unit, "amount": q * unit,
                      "reduced": reduced, "discount": False})
    if kind == "reduced_mark":
        # both rates must appear for the marks to mean anything
        rates = {it["reduced"] for it in items}
        if len(rates) < 2:
            want_reduced = not items[0]["reduced"]
            cats = [c for c in SHOP_CATEGORIES[shop]
                    if (c in pools.REDUCED_CATEGORIES) == want_reduced and c in _BY_CAT]
            name, cat, plo, phi = R.choice(_BY_CAT[R.choice(sorted(cats))])
            unit = nice_price(R, plo, phi)
            if tax_mode == "exclusive":
                unit = unit * 100 // (108 if want_reduced else 110)
            items.insert(R.randint(0, len(items)), {
                "name": name, "quantity": 1, "unit_price": unit, "amount": unit,
                "reduced": want_reduced, "discount": False})
    return items


def _discount_for(R, parent, en):
    amt = parent["amount"]
    if R.random() < 0.55:
        choices = [d for d in (10, 20, 30, 50, 100, 150, 200) if d <= amt * 0.6]
        if not choices:
            return None
        d = R.choice(choices)
        label = "DISCOUNT" if en else R.choice(["値引", "値引", "割引", "クーポン値引", "単品値引",
                                                  "まとめ買い値引", "タイムセール値引"])
    else:
        pct = R.choice([10, 20, 30, 50])
        d = amt * pct // 100
        if d < 1:
            return None
        if en:
            label = "DISCOUNT %d%%" % pct
        elif pct == 50 and R.random() < 0.5:
            label = "半額"
        else:
            label = R.choice(["割引 %d%%" % pct, "%d%%引" % pct, "値引 %d%%" % pct,
                              "見切り %d%%引" % pct])
    return {"name": label, "quantity": 1, "unit_price": -d, "amount": -d,
            "reduced": parent["reduced"], "discount": True}


def _force_item(R, spec, tax_mode, shop):
    name = spec["name"]
    p = _PRODUCT_BY_NAME.get(name)
    m = _MENU_BY_NAME.get(name)
    if "reduced" in spec:
        reduced = bool(spec["reduced"])
    elif p:
        reduced = p[1] in pools.REDUCED_CATEGORIES
    elif m:
        reduced = False
    else:
        reduced = True
    if spec.get("price") is not None:
        unit = int(spec["price"])
    else:
        lo, hi = (p[2], p[3]) if p else ((m[1], m[2]) if m else (98, 398))
        unit = nice_price(R, lo, hi)
        if tax_mode == "exclusive":
            unit = unit * 100 // (108 if reduced else 110)
    q = int(spec.get("quantity") or 1)
    return {"name": name, "quantity": q, "unit_price": unit, "amount": q * unit,
            "reduced": reduced, "discount": False, "forced": True}


def _tender(R, total):
    r = R.random()
    if r < 0.08:
        return total
    up = lambda unit: -(-total // unit) * unit  # noqa: E731
    if r < 0.55:
        return up(1000)
    if r < 0.68:
        return max(up(1000), 5000 if total <= 5000 else up(5000))
    if r < 0.76:
        return max(10000, up(10000))
    if r < 0.88:
        return up(100)
    return up(1000) + total % 100 if total % 100 else up(1000)


def _random_date(R):
    start = datetime.date(2025, 1, 1)
    d = start + datetime.timedelta(days=R.randint(0, 3 * 365 - 1))
    return d


# ---------------------------------------------------------------------------
# layout: a document of drawing operations in printer dots (REF_PPM)

class Doc:
    def __init__(self, font, em, paper_w, margin, lead):
        self.fontspec = font
        self.em = em
        self.paper_w = paper_w
        self.x0 = margin
        self.x1 = paper_w - margin
        self.pw = self.x1 - self.x0
        self.lead = lead
        self.y = 0.0
        self.height = 0.0
        self.ops = []
        self.lines = []

    def font(self, size, bold=False):
        name, path, idx, bpath, bidx, _ = self.fontspec
        if bold and bpath:
            return load_font(bpath, bidx, size)
        return load_font(path, idx, size)

    def tw(self, text, sx=1.0, sy=1.0, bold=False):
        size = max(6, round(self.em * sy))
        w = self.font(size, bold).getlength(text) * (sx / sy)
        if bold and not self.fontspec[3]:
            w += 2 * max(1, round(size / 26))
        return w

    def fits(self, segs, sx=1.0, sy=1.0, bold=False):
        total = sum(self.tw(t, sx, sy, bold) for t, _ in segs if t)
        return total + self.em * 0.8 * (len([s for s in segs if s[0]]) - 1) <= self.pw - 2

    def fit(self, text, maxw, sx=1.0, sy=1.0, bold=False):
        if self.tw(text, sx, sy, bold) <= maxw:
            return text
        while len(text) > 1 and self.tw(text, sx, sy, bold) > maxw:
            text = text[:-1]
        return text.rstrip()

    def pick(self, R, options, bold=False):
        """A random phrase among those that fit on one line (the shortest if
        none does): receipts choose wording that fits; they don't cut it."""
        ok = [o for o in options if self.tw(o, bold=bold) <= self.pw]
        if not ok:
            return min(options, key=lambda o: self.tw(o, bold=bold))
        return R.choice(ok)

    def space(self, f=0.5):
        self.y += self.em * f

    def row(self, segs, sx=1.0, sy=1.0, bold=False, invert=False, leader=None, truth=True):
        """One printed line.  segs: [(text, where)], where is 'l', 'r', 'c', a
        float x offset (left-aligned there) or ('R', x) (right-aligned at x)."""
        segs = [(t, w) for t, w in segs if t]
        if not segs:
            return
        h = self.em * sy * self.lead
        yc = self.y + h / 2
        if invert:
            self.ops.append(("rect", self.x0 - self.em * 0.3, self.y + h * 0.04,
                             self.x1 + self.em * 0.3, self.y + h * 0.96, 255))
        fill = 0 if invert else 255
        for t, w in segs:
            self.ops.append(("text", t, w, yc, sx, sy, bold, fill))
        if leader and len(segs) == 2 and segs[0][1] == "l" and segs[1][1] == "r":
            a = self.x0 + self.tw(segs[0][0], sx, sy, bold) + self.em * 0.4
            b = self.x1 - self.tw(segs[1][0], sx, sy, bold) - self.em * 0.4
            dw = self.tw(leader)
            n = int((b - a) / dw) if dw > 0 else 0
            if n >= 2:
                self.ops.append(("text", leader * n, ("R", b - self.x0), yc, 1.0, 1.0, False, fill))
        self.y += h
        if truth:
            self.lines.append(" ".join(t.strip() for t, _ in segs).strip())

    def sep(self, style):
        """A separator: a text rule (in the truth lines) or a drawn rule (not)."""
        if style == "blank":
            self.space(0.6)
            return
        if style == "rule":
            h = self.em * 0.7
            self.ops.append(("rect", self.x0, self.y + h / 2 - 1, self.x1, self.y + h / 2 + 1, 255))
            self.y += h
            return
        unit = style
        n = max(1, int(self.pw / max(1.0, self.tw(unit))))
        text = (unit * n).rstrip()
        while len(text) > 1 and self.tw(text) > self.pw:
            text = text[:-1]
        self.row([(text, "c")])


def _yen_formatter(st):
    yen, comma, neg = st["yen"], st["comma"], st["neg"]

    def fmt(n, force_sign=False):
        s = "{:,}".format(abs(n)) if comma else str(abs(n))
        if yen == "円":
            s = s + "円"
        elif yen:
            s = yen + s
        if n < 0:
            s = neg + s
        return s
    return fmt


DATE_STYLES = ["kanji_wd", "slash", "slash_wd", "reiwa", "reiwa_dot", "short_dash",
               "kanji_pad", "dot_sec", "iso", "kanji_full"]


def format_datetime(d, hh, mm, ss, style):
    wd = "月火水木金土日"[d.weekday()]
    y, m, dd = d.year, d.month, d.day
    r = y - 2018
    if style == "kanji_wd":
        return "%d年%d月%d日(%s) %02d:%02d" % (y, m, dd, wd, hh, mm)
    if style == "slash":
        return "%d/%02d/%02d %02d:%02d" % (y, m, dd, hh, mm)
    if style == "slash_wd":
        return "%d/%02d/%02d(%s) %02d:%02d" % (y, m, dd, wd, hh, mm)
    if style == "reiwa":
        return "令和%d年%d月%d日 %02d時%02d分" % (r, m, dd, hh, mm)
    if style == "reiwa_dot":
        return "R%d.%d.%d %02d:%02d" % (r, m, dd, hh, mm)
    if style == "short_dash":
        return "%02d-%02d-%02d %02d:%02d" % (y % 100, m, dd, hh, mm)
    if style == "kanji_pad":
        return "%d年%02d月%02d日 %02d:%02d" % (y, m, dd, hh, mm)
    if style == "dot_sec":
        return "%d.%02d.%02d %02d:%02d:%02d" % (y, m, dd, hh, mm, ss)
    if style == "iso":
        return "%d-%02d-%02d %02d:%02d" % (y, m, dd, hh, mm)
    if style == "kanji_full":
        return to_fullwidth_digits("%d年%d月%d日" % (y, m, dd)) + "(%s) %02d:%02d" % (wd, hh, mm)
    if style == "english":
        return "%02d/%02d/%d %02d:%02d" % (m, dd, y, hh, mm)
    raise ValueError(style)


def _phone(R, area):
    r = R.random()
    if r < 0.05:
        return "0120-%03d-%03d" % (R.randint(100, 999), R.randint(0, 999))
    if r < 0.08:
        return "050-%04d-%04d" % (R.randint(1000, 9999), R.randint(0, 9999))
    local = 10 - len(area)
    if len(area) == 2:
        return "%s-%04d-%04d" % (area, R.randint(1000, 9999), R.randint(0, 9999))
    if len(area) == 3:
        return "%s-%03d-%04d" % (area, R.randint(200, 999), R.randint(0, 9999))
    assert local == 6
    return "%s-%02d-%04d" % (area, R.randint(20, 99), R.randint(0, 9999))


def _phone_printed(R, phone, en):
    a, b, c = phone.split("-")
    if en:
        return R.choice(["TEL ", "TEL:", "Tel. ", "PHONE "]) + phone
    r = R.random()
    if r < 0.12 and not a.startswith("0120"):
        return R.choice(["TEL ", "TEL", "電話 "]) + "%s(%s)%s" % (a, b, c)
    return R.choice(["TEL ", "TEL ", "TEL:", "TEL：", "電話 ", "電話番号 ", "℡", "Tel.", "ＴＥＬ "]) + phone


def build_receipt(seed, kind=None, force=None, kinds=None):
    """Decide a receipt's content, layout and print quality from a seed.

    kind: one of KINDS (random by weight if None).  force: list of dicts
    {"name": str, "price": int (optional), "quantity": int (optional),
    "reduced": bool (optional)} -- products put on the receipt whatever the
    kind (e.g. a campaign's target product).  Returns a dict with "truth"
    (ground truth without id/split/images), "doc" (layout) and "style"."""
    R = random.Random(seed)
    if kind is None:
        pool = {k: KIND_WEIGHTS[k] for k in (kinds or KINDS)}
        kind = wchoice(R, pool)
    if kind not in KIND_WEIGHTS:
        raise ValueError("unknown kind %r" % kind)
    en = kind == "english"
    shop = {"tax_exclusive": R.choice(["supermarket", "drugstore", "drugstore", "restaurant"]),
            "reduced_mark": R.choice(["conbini", "supermarket", "drugstore"]),
            "discount": R.choice(["supermarket", "supermarket", "drugstore"]),
            "long": "supermarket",
            "english": R.choice(["conbini", "conbini", "drugstore"])}.get(kind, kind)
    p_excl = {"conbini": 0.0, "supermarket": 0.2, "drugstore": 0.3, "restaurant": 0.15}[shop]
    if kind == "tax_exclusive":
        tax_mode = "exclusive"
    elif en:
        tax_mode = "inclusive"
    else:
        tax_mode = "exclusive" if R.random() < p_excl else "inclusive"
    takeout = shop == "restaurant" and R.random() < 0.25

    # ---- items
    items = _make_items(R, kind, shop, en, tax_mode, takeout)
    n_disc = 0
    if kind == "discount":
        n_disc = R.randint(2, 4)
    elif shop == "supermarket" and R.random() < 0.25:
        n_disc = R.randint(1, 2)
    elif shop == "drugstore" and R.random() < 0.2:
        n_disc = 1
    elif shop == "conbini" and R.random() < 0.05:
        n_disc = 1
    for _ in range(n_disc):
        cands = [i for i, it in enumerate(items) if not it["discount"]
                 and it["amount"] >= 30 and (i + 1 >= len(items) or not items[i + 1]["discount"])]
        if not cands:
            break
        i = R.choice(cands)
        d = _discount_for(R, items[i], en)
        if d:
            items.insert(i + 1, d)
    if force:
        for spec in force:
            it = _force_item(R, spec, tax_mode, shop)
            pos = R.randint(0, len(items))
            while pos < len(items) and items[pos]["discount"]:
                pos += 1
            items.insert(pos, it)

    # ---- arithmetic
    subtotal = sum(it["amount"] for it in items)
    rates = sorted({8 if it["reduced"] else 10 for it in items})
    if R.random() < 0.5:
        rates.reverse()
    tax = []
    for rate in rates:
        base = sum(it["amount"] for it in items if (8 if it["reduced"] else 10) == rate)
        if tax_mode == "inclusive":
            t = base * rate // (100 + rate)
        else:
            t = base * rate // 100
        tax.append({"rate": rate, "kind": tax_mode, "base": base, "tax": t})
    total = subtotal if tax_mode == "inclusive" else subtotal + sum(t["tax"] for t in tax)
    payment = R.choices(["cash", "card", "emoney", "qr"], [80, 8, 8, 4])[0]
    if payment == "cash":
        tendered = _tender(R, total)
    else:
        tendered = total
    change = tendered - total

    # ---- identity
    place, addr, area = R.choice(pools.BRANCHES)
    if en:
        place_en = pools.BRANCH_EN.get(place) or R.choice(sorted(pools.BRANCH_EN.values()))
        word = R.choice(pools.STORE_TYPE_WORDS_EN[shop])
        store = "%s %s" % (R.choice(pools.STORE_PREFIX_EN), word)
        if R.random() < 0.5:
            store = store.upper()
        branch = place_en + R.choice(["", " Store", " Branch"])
    else:
        pre = R.choice(pools.STORE_PREFIX)
        word, prefix_style = R.choice(pools.STORE_TYPE_WORDS[shop])
        store = word + pre if prefix_style else pre + word
        branch = (place + R.choice(["店", "店", "店", "駅前店", "中央店"])) if not place.endswith("前") else place + "店"
        if R.random() < 0.04:
            branch = "本店"
    phone = _phone(R, area)
    reg = registration_number(R) if R.random() < 0.96 else None
    d = _random_date(R)
    if shop == "restaurant":
        hh = R.randint(11, 22)
    elif shop == "conbini":
        hh = R.choice(list(range(24)) + list(range(7, 22)) * 2)
    else:
        hh = R.randint(9, 21)
    mm, ss = R.randint(0, 59), R.randint(0, 59)
    register = R.choice(["%04d" % R.randint(1, 12), "%02d" % R.randint(1, 12), str(R.randint(1, 9))]) \
        if R.random() < 0.93 else None
    rno_style = R.random()
    if rno_style < 0.6:
        receipt_number = "%04d" % R.randint(1, 9999)
    elif rno_style < 0.8:
        receipt_number = "%06d" % R.randint(1, 999999)
    else:
        receipt_number = "%04d-%04d" % (R.randint(1, 9999), R.randint(1, 9999))
    if R.random() < 0.88:
        if en:
            cashier = R.choice(pools.SURNAMES_EN)
        else:
            cashier = R.choice(pools.SURNAMES) if R.random() < 0.75 else "%04d" % R.randint(1, 9999)
    else:
        cashier = None

    # ---- style
    font = R.choices(FONTS, [f[5] for f in FONTS])[0]
    paper_mm = 80 if (kind == "long" and R.random() < 0.8) else R.choice([58, 80, 80])
    if paper_mm == 58:
        cols = R.choice([30, 32, 32, 34, 36])
        printable = 48.0
    else:
        cols = R.choice([40, 42, 42, 44, 48])
        printable = 72.0 if R.random() < 0.8 else 64.0
    em = int(printable * REF_PPM / (cols / 2))
    paper_w = paper_mm * REF_PPM
    margin = (paper_mm - printable) / 2 * REF_PPM
    st = {
        "paper_mm": paper_mm, "cols": cols, "em_dots": em, "font": font[0],
        "lead": round(R.uniform(1.15, 1.55), 3),
        "yen": R.choices(["¥", "", "￥", "円"], [45, 27, 18, 10])[0] if not en else R.choice(["¥", "¥", ""]),
        "comma": R.random() < 0.92,
        "neg": R.choices(["-", "▲", "△"], [60, 30, 10])[0] if not en else "-",
        "sep": R.choice(["-", "-", "=", "＊", "─", "*", "・", "- ", "rule", "blank", "="]),
        "leader": R.choice([".", "･", "・"]) if R.random() < 0.15 else None,
        "halfwidth": (not en) and shop != "restaurant" and R.random() < (0.3 if shop == "supermarket" else 0.12),
        "item_code": (not en) and shop == "supermarket" and R.random() < 0.2,
        "qty_style": R.choice(["below", "below", "after", "column", "suffix"]),
        "qty_fmt": R.randint(0, 6),
        "tax_mode": tax_mode, "payment": payment, "shop": shop,
        "dotty": R.random() < 0.45,
        "dotty_up": R.choice(["nearest", "bilinear", "bicubic"]),
        "dotty_thr": R.randint(90, 150),
    }
    st["sep2"] = st["sep"] if R.random() < 0.6 else R.choice(["-", "=", "rule", "blank", "*"])
    mixed = len(rates) == 2
    if kind == "reduced_mark" or (mixed and R.random() < 0.6) or (en and mixed):
        st["mark"] = "*" if en else R.choice(["*", "※", "軽", "*", "※"])
        st["mark_pos"] = R.choice(["prefix", "suffix", "price"])
    else:
        st["mark"] = None
    # print quality (applies to every level: it is the paper, not the photo)
    faded = R.random() < 0.2
    st["print"] = {
        "density": round(R.uniform(0.45, 0.72) if faded else R.uniform(0.82, 1.0), 3),
        "ink": R.randint(8, 60),
        "fade": round(R.uniform(0.0, 0.35) if R.random() < 0.35 else 0.0, 3),
        "fade_down": R.random() < 0.5,
        "blotch": round(R.uniform(0.0, 0.3 if faded else 0.12), 3),
        "head_var": round(R.uniform(0.0, 0.12), 3),
        "streaks": [(round(R.uniform(0, paper_mm), 1), round(R.uniform(0.2, 2.5), 2),
                     round(R.uniform(0.3, 0.85), 2))
                    for _ in range(R.randint(1, 3) if R.random() < 0.25 else 0)],
        "dropout": round(R.uniform(0.01, 0.06), 3) if R.random() < 0.25 else 0.0,
        "speckle": round(R.uniform(0.0003, 0.002), 5) if R.random() < 0.3 else 0.0,
    }
    st["ppm_clean"] = round(REF_PPM * R.uniform(1.0, 1.6), 2)

    truth = {
        "kind": kind, "font": font[0], "store": store, "branch": branch, "phone": phone,
        "registration_number": reg, "date": d.isoformat(), "time": "%02d:%02d" % (hh, mm),
        "subtotal": subtotal, "total": total, "currency": "JPY", "tax": tax,
        "tendered": tendered, "change": change, "receipt_number": receipt_number,
        "register": register, "cashier": cashier, "items": items,
    }
    doc = Doc(font, em, paper_w, margin, st["lead"])
    ctx = {"R": R, "st": st, "truth": truth, "en": en, "shop": shop, "doc": doc,
           "fmt": _yen_formatter(st), "d": d, "hh": hh, "mm": mm, "ss": ss,
           "addr": addr, "takeout": takeout}
    _layout(ctx)
    truth["lines"] = doc.lines
    for it in items:
        it.pop("forced", None)
    meta = {"paper_mm": paper_mm, "cols": cols, "tax_mode": tax_mode, "payment": payment,
            "shop": shop, "marks": st["mark"], "halfwidth": st["halfwidth"], "dotty": st["dotty"],
            "products": [it.get("product", it["name"]) for it in items]}
    for it in items:
        it.pop("product", None)
    truth["meta"] = meta
    return {"truth": truth, "doc": doc, "style": st}


# ---------------------------------------------------------------------------
# layout of the sections

def _layout(c):
    d, R, st = c["doc"], c["R"], c["st"]
    d.y = d.em * R.uniform(1.0, 2.5)            # blank paper before the first line
    date_top = R.random() < 0.8
    reg_top = R.random() < 0.75
    _header(c, reg_top)
    if date_top:
        _datetime_block(c)
    d.sep(st["sep"])
    _items(c)
    d.sep(st["sep2"] if R.random() < 0.5 else st["sep"])
    _totals(c)
    if not date_top:
        d.sep(st["sep2"])
        _datetime_block(c)
    _footer(c, reg_top)
    d.y += d.em * R.uniform(2.0, 5.0)            # paper after the last line (cutter)
    d.height = d.y


def _logo(c):
    d, R = c["doc"], c["R"]
    store = c["truth"]["store"]
    size = d.em * R.uniform(2.0, 3.2)
    cx = (d.x0 + d.x1) / 2 if R.random() < 0.75 else d.x0 + size / 2 + d.em * 0.2
    y0 = d.y + d.em * 0.2
    shape = R.choice(["circle", "ring", "box", "diamond", "stripes", "star"])
    x0, x1, y1 = cx - size / 2, cx + size / 2, y0 + size
    ch = store[0]
    if shape == "circle":
        d.ops.append(("ellipse", x0, y0, x1, y1, 255, 0))
        d.ops.append(("text", ch, ("C", cx - d.x0), (y0 + y1) / 2, 1.4, 1.4, True, 0))
    elif shape == "ring":
        d.ops.append(("ellipse", x0, y0, x1, y1, 255, max(2.0, size / 12)))
        d.ops.append(("text", ch, ("C", cx - d.x0), (y0 + y1) / 2, 1.4, 1.4, True, 255))
    elif shape == "box":
        d.ops.append(("rect", x0, y0, x1, y1, 255))
        d.ops.append(("text", ch, ("C", cx - d.x0), (y0 + y1) / 2, 1.4, 1.4, True, 0))
    elif shape == "diamond":
        d.ops.append(("poly", [(cx, y0), (x1, (y0 + y1) / 2), (cx, y1), (x0, (y0 + y1) / 2)], 255))
    elif shape == "stripes":
        w = size * 1.6
        for i in range(3):
            yy = y0 + i * size / 3
            d.ops.append(("rect", cx - w / 2 + i * size / 6, yy, cx + w / 2 - i * size / 6,
                          yy + size / 5, 255))
    else:
        pts = []
        for i in range(10):
            r = size / 2 if i % 2 == 0 else size / 4.6
            a = -math.pi / 2 + i * math.pi / 5
            pts.append((cx + r * math.cos(a), (y0 + y1) / 2 + r * math.sin(a)))
        d.ops.append(("poly", pts, 255))
    d.y = y1 + d.em * 0.5


def _header(c, reg_top):
    d, R, t, en = c["doc"], c["R"], c["truth"], c["en"]
    store, branch = t["store"], t["branch"]
    if R.random() < 0.3:
        _logo(c)
    mode = R.choice(["big", "big", "oneline", "banner", "left"])
    if mode == "big":
        for sx, sy, bold in [(2, 2, True), (2, 1, True), (1.5, 1.5, True), (1, 1, True)][R.randint(0, 2):]:
            if d.fits([(store, "c")], sx, sy, bold):
                d.row([(store, "c")], sx=sx, sy=sy, bold=bold)
                break
        d.row([(branch, "c")], bold=R.random() < 0.3)
    elif mode == "oneline":
        text = store + (" " if R.random() < 0.7 else "　") + branch
        if d.fits([(text, "c")], 1, 1, True):
            d.row([(text, "c")], bold=R.random() < 0.6)
        else:
            d.row([(store, "c")], bold=True)
            d.row([(branch, "c")])
    elif mode == "banner":
        sx = 2 if d.fits([(store, "c")], 2, 1, True) else 1
        d.row([(store, "c")], sx=sx, bold=True, invert=True)
        d.space(0.3)
        d.row([(branch, "c")])
    else:
        d.row([(store, "l")], sx=1.5 if d.fits([(store, "l")], 1.5, 1.5) else 1,
              sy=1.5 if d.fits([(store, "l")], 1.5, 1.5) else 1, bold=True)
        d.row([(branch, "l")])
    align = "l" if mode == "left" else "c"
    if not en and R.random() < 0.25:
        corp = "株式会社" + R.choice(pools.STORE_PREFIX) + R.choice(pools.COMPANY_WORDS)
        if d.fits([(corp, align)]):
            d.row([(corp, align)])
    if R.random() < 0.5:
        addr = c["addr"] + R.choice(pools.TOWNS) + "%d-%d-%d" % (R.randint(1, 9), R.randint(1, 30), R.randint(1, 20))
        if en:
            addr = "%d-%d-%d %s" % (R.randint(1, 9), R.randint(1, 30), R.randint(1, 20), t["branch"].split(" ")[0])
        if d.fits([(addr, align)]):
            d.row([(addr, align)])
        else:
            cut = len(c["addr"])
            d.row([(addr[:cut], align)])
            d.row([(addr[cut:], align)])
    d.row([(_phone_printed(R, t["phone"], en), align)])
    if reg_top:
        _regno(c, align)
    if R.random() < 0.4:
        d.space(0.3)
        if en:
            title = R.choice(["RECEIPT", "** RECEIPT **", "SALES RECEIPT"])
        elif c["shop"] == "restaurant":
            title = R.choice(["領収書", "領 収 書", "お会計明細", "ご利用明細"])
        else:
            title = R.choice(["領収証", "領 収 証", "レシート", "お買上明細", "＊＊ 領収書 ＊＊"])
        sx = R.choice([1, 2])
        sy = R.choice([1, sx])
        if not d.fits([(title, "c")], sx, sy, True):
            sx = sy = 1
        d.row([(title, "c")], sx=sx, sy=sy, bold=R.random() < 0.5)
    if c["shop"] == "restaurant":
        if c["takeout"]:
            d.row([("TAKE OUT" if en else R.choice(["テイクアウト", "お持ち帰り"]), "c")], bold=True)
        else:
            left = ("TABLE %d" if en else R.choice(["テーブル %d", "卓番 %d", "席No.%d"])) % R.randint(1, 30)
            right = ("GUESTS %d" if en else R.choice(["人数 %d名", "%d名様"])) % R.randint(1, 6)
            d.row([(left, "l"), (right, "r")])
    d.space(R.uniform(0.2, 0.8))


def _regno(c, align="c"):
    d, R, t, en = c["doc"], c["R"], c["truth"], c["en"]
    reg = t["registration_number"]
    if not reg:
        return
    if en:
        label = R.choice(["Reg. No. ", "Registration No: ", "登録番号 ", "Invoice Reg.No. "])
    else:
        label = R.choice(["登録番号 ", "登録番号:", "登録番号：", "登録番号　", "インボイス登録番号 ",
                          "事業者登録番号 ", "登録番号 ", "適格請求書発行事業者登録番号"])
    text = label + reg
    if d.fits([(text, align)]) and not label.startswith("適格"):
        d.row([(text, align)])
    else:
        d.row([(d.fit(label.strip(), d.pw), align)])
        d.row([(reg, "r" if align == "l" else align)])


def _datetime_block(c):
    d, R, t, en = c["doc"], c["R"], c["truth"], c["en"]
    style = "english" if en else R.choice(DATE_STYLES)
    dt = format_datetime(c["d"], c["hh"], c["mm"], c["ss"], style)
    sep = R.choice(["", " ", "#", ":", "No."])
    reg = t["register"]
    if reg is not None:
        lab = "REG" if en else R.choice(["レジ", "レジ", "POS", "ﾚｼﾞ", "レジNo"])
        if lab.endswith("No") or lab == "POS" or en:
            sep = R.choice([" ", ".", "#"]) if lab != "レジNo" else R.choice([".", " "])
        regtxt = lab + sep + reg
    else:
        regtxt = ""
    rn = t["receipt_number"]
    if en:
        rnlab = R.choice(["RECEIPT# ", "No. ", "TRANS# "])
    elif "-" in rn:
        rnlab = R.choice(["取引No ", "取引No.", "取引番号 "])
    else:
        rnlab = R.choice(["レシートNo.", "レシートNo ", "No.", "No ", "取引No.", "伝票No.", "#", "ﾚｼｰﾄNo"])
    rntxt = rnlab + rn
    cash = t["cashier"]
    if cash is not None:
        if en:
            clab = R.choice(["CASHIER ", "CASHIER: ", "STAFF "])
        elif cash.isdigit():
            clab = R.choice(["担当者 ", "担当:", "責任者No.", "責No."])
        else:
            clab = R.choice(["責任者 ", "担当 ", "担当:", "担当：", "責:", "レジ担当 ", "[担当]"])
        ctxt = clab + cash
    else:
        ctxt = ""
    if not d.fits([(dt, "l")]):
        dt = format_datetime(c["d"], c["hh"], c["mm"], c["ss"], "slash")
    arrangement = R.randint(0, 3)
    if arrangement == 0 and regtxt and d.fits([(dt, "l"), (regtxt, "r")]):
        d.row([(dt, "l"), (regtxt, "r")])
        if d.fits([(rntxt, "l"), (ctxt, "r")]):
            d.row([(rntxt, "l"), (ctxt, "r")])
        else:
            d.row([(rntxt, "l")])
            d.row([(ctxt, "l")])
    elif arrangement == 1:
        d.row([(dt, R.choice(["l", "c"]))])
        d.row([(regtxt, "l"), (rntxt, "r")] if regtxt else [(rntxt, "l")])
        d.row([(ctxt, "l" if R.random() < 0.6 else "r")])
    elif arrangement == 2 and d.fits([(regtxt, "l"), (ctxt, "r")]):
        d.row([(dt, "l")])
        d.row([(regtxt, "l"), (ctxt, "r")])
        d.row([(rntxt, "r")])
    else:
        d.row([(dt, "l")])
        for txt in (regtxt, rntxt, ctxt):
            d.row([(txt, "l")])


_QTY_FORMATS = [
    lambda q, u, f: "%d個 x 単%s" % (q, "{:,}".format(u)),
    lambda q, u, f: "@%s x %d" % ("{:,}".format(u), q),
    lambda q, u, f: "%d点 X @%s" % (q, "{:,}".format(u)),
    lambda q, u, f: "(%s x %d個)" % (f(u), q),
    lambda q, u, f: "%dコ × %s円" % (q, "{:,}".format(u)),
    lambda q, u, f: "@%s×%d点" % ("{:,}".format(u), q),
    lambda q, u, f: "単価%s 数量%d" % ("{:,}".format(u), q),
]
_QTY_EN = lambda q, u, f: "%d @ %s" % (q, f(u))  # noqa: E731


def _items(c):
    d, R, st, t, en, fmt = c["doc"], c["R"], c["st"], c["truth"], c["en"], c["fmt"]
    mark, mpos = st["mark"], st.get("mark_pos")
    qfmt = _QTY_EN if en else _QTY_FORMATS[st["qty_fmt"]]
    indent = R.choice(["  ", "   ", "    ", "　"])
    for it in t["items"]:
        canonical = it["name"]
        if it["discount"]:
            right = fmt(it["amount"])
            left = R.choice(["", "  ", indent]) + it["name"]
            if R.random() < 0.15 and not en:
                left = indent + "(" + it["name"] + ")"
                it["name"] = "(" + it["name"] + ")"
            d.row([(left, "l"), (right, "r")])
            continue
        name = canonical
        if st["halfwidth"]:
            name = to_halfwidth_kana(name)
        it["product"] = canonical
        code = ("%02d " % R.randint(1, 40)) if st["item_code"] else ""
        mk = mark if (mark and it["reduced"]) else ""
        pre = ((mk + " " if mk == "軽" else mk) or " ") if (mark and mpos == "prefix") else ""
        suf = mk if mpos == "suffix" else ""
        q, u = it["quantity"], it["unit_price"]
        amount = fmt(it["amount"])
        price_txt = amount + (mk if mpos == "price" and mk else "")
        if mpos == "price" and mark and not mk:
            price_txt = amount + " " if mark in "*" else amount + "　"
        qs = st["qty_style"]
        if q > 1 and qs == "suffix":
            qsuf = R.choice([" x%d" % q, " %d個" % q, " ×%d" % q]) if not en else " x%d" % q
        else:
            qsuf = ""
        room = d.pw - d.tw(price_txt) - d.em * 0.9 - d.tw(code + pre + suf + qsuf)
        if q > 1 and qs == "column":
            room -= d.em * 3
        name = d.fit(name, room)
        it["name"] = name
        left = code + pre + name + suf + qsuf
        if q == 1 or qs == "suffix":
            d.row([(left, "l"), (price_txt, "r")], leader=st["leader"])
        elif qs == "column":
            d.row([(left, "l"), (str(q), ("R", d.pw - d.tw(price_txt) - d.em * 1.5)), (price_txt, "r")])
        elif qs == "below":
            d.row([(left, "l")])
            d.row([(indent + qfmt(q, u, fmt), "l"), (price_txt, "r")])
        else:  # after: amount on the name line, unit price below
            d.row([(left, "l"), (price_txt, "r")], leader=st["leader"])
            d.row([(indent + qfmt(q, u, fmt), "l")])


def _totals(c):
    d, R, st, t, en, fmt = c["doc"], c["R"], c["st"], c["truth"], c["en"], c["fmt"]
    excl = st["tax_mode"] == "exclusive"
    n_units = sum(it["quantity"] for it in t["items"] if not it["discount"])
    if excl or R.random() < 0.88:
        lab = "SUBTOTAL" if en else R.choice(["小計", "小計", "小 計", "小　計", "お買上小計"])
        if not en and R.random() < 0.3:
            d.row([(lab, "l"), ("%d点" % n_units, 0.45 * d.pw), (fmt(t["subtotal"]), "r")])
        else:
            d.row([(lab, "l"), (fmt(t["subtotal"]), "r")])
    if not en and R.random() < 0.35:
        d.row([(R.choice(["お買上点数", "点数", "買上点数"]), "l"), ("%d点" % n_units, "r")])
    if excl:
        for tx in t["tax"]:
            _tax_rows(c, tx)
    lab = "TOTAL" if en else R.choice(
        ["合計", "合計", "合 計", "お買上計", "現計", "合計金額", "お買上合計"]
        if c["shop"] != "restaurant" else ["お会計", "御会計", "合計", "ご請求額"])
    right = fmt(t["total"])
    for sx, sy in [(2, 2), (2, 1), (1.5, 1.5), (1, 1)][R.randint(0, 3):]:
        if d.fits([(lab, "l"), (right, "r")], sx, sy, True):
            d.row([(lab, "l"), (right, "r")], sx=sx, sy=sy, bold=R.random() < 0.7)
            break
    if not excl:
        style = R.randint(0, 4)
        for tx in t["tax"]:
            _tax_rows(c, tx, style)
        if R.random() < 0.3 and not en:
            tot = sum(x["tax"] for x in t["tax"])
            d.row([("(内消費税等", "l"), (fmt(tot) + ")", "r")])
    _payment(c)
    if st["mark"]:
        d.space(0.3)
        if en:
            legend = R.choice(["* Reduced tax rate item", "* = reduced tax rate (8%)"])
        else:
            m = st["mark"]
            legend = d.pick(R, ["%sは軽減税率対象商品" % m, "%s印は軽減税率(8%%)適用商品" % m,
                                "「%s」は軽減税率対象商品です" % m, "%s印は軽減税率対象" % m])
        d.row([(legend, R.choice(["l", "c"]))])


def _tax_rows(c, tx, style=0):
    d, R, en, fmt = c["doc"], c["R"], c["en"], c["fmt"]
    rate, base, tax = tx["rate"], tx["base"], tx["tax"]
    if tx["kind"] == "exclusive":
        s = R.randint(0, 3)
        if s == 0:
            d.row([("外税%d%%" % rate, "l"), (fmt(tax), "r")])
        elif s == 1:
            d.row([("消費税等(%d%%)" % rate, "l"), (fmt(tax), "r")])
        elif s == 2:
            d.row([("(%d%%対象" % rate, "l"), (fmt(base) + ")", "r")])
            d.row([("  外税", "l"), (fmt(tax), "r")])
        else:
            d.row([("%d%%対象 %s" % (rate, fmt(base)), "l"), ("外税 %s" % fmt(tax), "r")]) \
                if d.fits([("%d%%対象 %s" % (rate, fmt(base)), "l"), ("外税 %s" % fmt(tax), "r")]) \
                else d.row([("外税%d%%" % rate, "l"), (fmt(tax), "r")])
        return
    if en:
        one = "(%d%% TAXABLE %s  TAX %s)" % (rate, fmt(base), fmt(tax))
        if d.fits([(one, "l")]):
            d.row([(one, "l")])
        else:
            d.row([("%d%% TAXABLE" % rate, "l"), (fmt(base), "r")])
            d.row([("  (TAX", "l"), (fmt(tax) + ")", "r")])
        return
    one = "(%d%%対象 %s 内消費税 %s)" % (rate, fmt(base), fmt(tax))
    if style == 0 and d.fits([(one, "l")]):
        d.row([(one, R.choice(["l", "r"]))])
    elif style in (0, 1):
        d.row([("%d%%対象" % rate, "l"), (fmt(base), "r")])
        d.row([(" 内消費税等", "l"), (fmt(tax), "r")])
    elif style == 2:
        d.row([("(税率%d%%対象" % rate, "l"), (fmt(base) + ")", "r")])
        d.row([("(内消費税等", "l"), (fmt(tax) + ")", "r")])
    elif style == 3:
        d.row([("内税%d%%" % rate, "l"), (fmt(tax), "r")])
        d.row([("%d%%対象額" % rate, "l"), (fmt(base), "r")])
    else:
        left, mid, right = "%d%%対象" % rate, "(内税 %s)" % fmt(tax), fmt(base)
        xr = d.pw * 0.62
        if d.tw(left) + d.em * 0.6 < xr - d.tw(mid) and xr + d.em * 0.6 < d.pw - d.tw(right):
            d.row([(left, "l"), (mid, ("R", xr)), (right, "r")])
        else:
            d.row([(left, "l"), (right, "r")])
            d.row([("内消費税", "l"), (fmt(tax), "r")])


def _payment(c):
    d, R, st, t, en, fmt = c["doc"], c["R"], c["st"], c["truth"], c["en"], c["fmt"]
    pay = st["payment"]
    if pay == "cash":
        lab = "CASH" if en else R.choice(["お預り", "お預かり", "預り金", "お預り金", "現金", "お預り現計"])
        d.row([(lab, "l"), (fmt(t["tendered"]), "r")])
        lab = "CHANGE" if en else R.choice(["お釣り", "お釣", "おつり", "釣銭", "お返し"])
        sx = 1.5 if (R.random() < 0.2 and d.fits([(lab, "l"), (fmt(t["change"]), "r")], 1.5, 1.5, True)) else 1
        d.row([(lab, "l"), (fmt(t["change"]), "r")], sx=sx, sy=sx)
    else:
        if en:
            lab = {"card": "CREDIT", "emoney": "E-MONEY", "qr": "QR PAY"}[pay]
        else:
            lab = R.choice({"card": ["クレジット", "カード", "クレジット支払"],
                            "emoney": ["電子マネー", "交通系電子マネー", "電子マネー支払"],
                            "qr": ["QR決済", "コード決済", "バーコード決済"]}[pay])
        d.row([(lab, "l"), (fmt(t["tendered"]), "r")])
        if R.random() < 0.3:
            d.row([("CHANGE" if en else "お釣り", "l"), (fmt(0), "r")])
        if pay == "emoney" and R.random() < 0.6:
            d.row([("BALANCE" if en else "残高", "l"), (fmt(R.randint(0, 9000)), "r")])


def _footer(c, reg_top):
    d, R, st, t, en = c["doc"], c["R"], c["st"], c["truth"], c["en"]
    if not en and R.random() < 0.35:
        d.space(0.3)
        d.row([("今回ポイント", "l"), ("%dP" % (t["total"] // 100), "r")])
        if R.random() < 0.6:
            d.row([("ポイント残高", "l"), ("%dP" % R.randint(0, 3000), "r")])
    if not reg_top:
        d.sep(st["sep2"])
        _regno(c, R.choice(["l", "c"]))
    if R.random() < 0.5 and not en:
        d.space(0.3)
        d.row([(d.pick(R, pools.FOOTER_NOTES), "c")])
    d.space(0.4)
    bold = R.random() < 0.3
    thanks = d.pick(R, ["THANK YOU", "Thank you for shopping!", "Thank you!"] if en else pools.THANKS, bold)
    d.row([(thanks, "c")], bold=bold)
    r = R.random()
    if r < 0.45:
        _barcode(c)
    elif r < 0.55:
        _qrcode(c)


def _barcode(c):
    d, R = c["doc"], c["R"]
    d.space(0.6)
    module = R.choice([1.5, 2.0, 2.0, 2.5])
    widths = [2, 1, 1, 2]                      # a start pattern
    while sum(widths) * module < d.pw * R.uniform(0.5, 0.8):
        widths.append(R.randint(1, 4))
    if len(widths) % 2 == 0:
        widths.append(1)
    widths += [2, 3, 1, 1]
    total = sum(widths) * module
    h = R.uniform(6.0, 11.0) * REF_PPM
    d.ops.append(("bars", (d.x0 + d.x1) / 2 - total / 2, d.y, h, module, widths))
    d.y += h + d.em * 0.2
    if R.random() < 0.7:
        digits = "".join(str(R.randint(0, 9)) for _ in range(R.choice([13, 16, 20])))
        d.row([(digits, "c")])


def _qrcode(c):
    d, R = c["doc"], c["R"]
    d.space(0.6)
    n = 25
    mod = R.choice([3.0, 4.0])
    bits = [[R.random() < 0.5 for _ in range(n)] for _ in range(n)]
    for oy, ox in ((0, 0), (0, n - 7), (n - 7, 0)):     # the three finder squares
        for y in range(7):
            for x in range(7):
                edge = y in (0, 6) or x in (0, 6)
                core = 2 <= y <= 4 and 2 <= x <= 4
                bits[oy + y][ox + x] = edge or core
    x0 = (d.x0 + d.x1) / 2 - n * mod / 2
    d.ops.append(("qr", x0, d.y, mod, bits))
    d.y += n * mod + d.em * 0.3
    d.row([(d.pick(R, ["アンケートはこちら", "公式アプリでポイント2倍", "レビューご協力のお願い"]), "c")])


# ---------------------------------------------------------------------------
# rendering the paper

def _text_pos(doc, where, k):
    if where == "l":
        return doc.x0 * k, "l"
    if where == "r":
        return doc.x1 * k, "r"
    if where == "c":
        return (doc.x0 + doc.x1) / 2 * k, "m"
    if isinstance(where, tuple):
        tag, x = where
        return (doc.x0 + x) * k, ("r" if tag == "R" else "m")
    return (doc.x0 + where) * k, "l"


def render_coverage(doc, res):
    """Ink coverage (255 = ink) of the receipt at `res` pixels per mm."""
    k = res / REF_PPM
    W = max(1, int(round(doc.paper_w * k)))
    H = max(1, int(round(doc.height * k)))
    img = Image.new("L", (W, H), 0)
    dr = ImageDraw.Draw(img)
    for op in doc.ops:
        kind = op[0]
        if kind == "text":
            _, text, where, yc, sx, sy, bold, fill = op
            size = max(6, int(round(doc.em * sy * k)))
            font = doc.font(size, bold)
            stroke = max(1, int(round(size / 26))) if (bold and not doc.fontspec[3]) else 0
            x, anchor = _text_pos(doc, where, k)
            if abs(sx / sy - 1.0) < 1e-6:
                dr.text((x, yc * k), text, font=font, fill=fill, anchor=anchor + "m",
                        stroke_width=stroke, stroke_fill=fill)
            else:
                w = int(math.ceil(font.getlength(text))) + 2 * stroke + 4
                h = int(math.ceil(size * 1.6))
                tmp = Image.new("L", (w, h), 0)
                ImageDraw.Draw(tmp).text((2 + stroke, h / 2), text, font=font, fill=255, anchor="lm",
                                         stroke_width=stroke, stroke_fill=255)
                nw = max(1, int(round(w * sx / sy)))
                tmp = tmp.resize((nw, h), Image.BILINEAR)
                if anchor == "l":
                    left = x
                elif anchor == "r":
                    left = x - nw
                else:
                    left = x - nw / 2
                img.paste(fill, (int(round(left)), int(round(yc * k - h / 2))), mask=tmp)
        elif kind == "rect":
            _, x0, y0, x1, y1, fill = op
            dr.rectangle([x0 * k, y0 * k, x1 * k, y1 * k], fill=fill)
        elif kind == "ellipse":
            _, x0, y0, x1, y1, fill, width = op
            if width:
                dr.ellipse([x0 * k, y0 * k, x1 * k, y1 * k], outline=fill, width=max(1, int(round(width * k))))
            else:
                dr.ellipse([x0 * k, y0 * k, x1 * k, y1 * k], fill=fill)
        elif kind == "poly":
            dr.polygon([(x * k, y * k) for x, y in op[1]], fill=op[2])
        elif kind == "bars":
            _, x, y0, h, module, widths = op
            for i, w in enumerate(widths):
                if i % 2 == 0:
                    dr.rectangle([x * k, y0 * k, (x + w * module) * k - 0.5, (y0 + h) * k], fill=255)
                x += w * module
        elif kind == "qr":
            _, x0, y0, mod, bits = op
            for yy, row in enumerate(bits):
                for xx, b in enumerate(row):
                    if b:
                        dr.rectangle([(x0 + xx * mod) * k, (y0 + yy * mod) * k,
                                      (x0 + (xx + 1) * mod) * k - 0.5, (y0 + (yy + 1) * mod) * k - 0.5], fill=255)
    return img


def render_paper(rc, ppm):
    """The printed receipt as a grey image (255 = paper) at `ppm` pixels per mm.
    Print defects come from a generator seeded by the receipt, laid out in
    printer-dot space, so every variant shows the same physical paper."""
    doc, st = rc["doc"], rc["style"]
    W = max(1, int(round(doc.paper_w * ppm / REF_PPM)))
    H = max(1, int(round(doc.height * ppm / REF_PPM)))
    if st["dotty"]:
        cov = render_coverage(doc, REF_PPM)
        thr = st["dotty_thr"]
        cov = cov.point(lambda v: 255 if v >= thr else 0)
        up = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC}[st["dotty_up"]]
        cov = cov.resize((W, H), up)
    else:
        cov = render_coverage(doc, ppm)
        if cov.size != (W, H):
            cov = cov.resize((W, H), Image.BILINEAR)
    pq = st["print"]
    rng = np.random.default_rng(rc["print_seed"])
    dots_w = int(doc.paper_w)
    dots_h = max(2, int(doc.height))
    gh = max(2, int(doc.height / REF_PPM / 5))
    gw = max(2, int(doc.paper_w / REF_PPM / 5))
    blot = rng.random((gh, gw), dtype=np.float32)
    field = 1.0 - pq["blotch"] * blot
    ramp = np.linspace(0.0, 1.0, gh, dtype=np.float32)[:, None]
    if not pq["fade_down"]:
        ramp = ramp[::-1]
    field = field * (1.0 - pq["fade"] * ramp) * pq["density"]
    F = np.asarray(Image.fromarray(field.astype(np.float32), "F").resize((W, H), Image.BICUBIC))
    prof = 1.0 - pq["head_var"] * rng.random(dots_w, dtype=np.float32)
    for xmm, wmm, s in pq["streaks"]:
        a = int(xmm * REF_PPM)
        b = int((xmm + wmm) * REF_PPM) + 1
        prof[a:b] *= (1.0 - s)
    P = prof[np.minimum((np.arange(W) * dots_w) // W, dots_w - 1)]
    ink = np.asarray(cov, dtype=np.float32) * (1.0 / 255.0)
    if pq["dropout"] > 0:
        m = (rng.random((dots_h, dots_w), dtype=np.float32) < pq["dropout"]).astype(np.uint8) * 255
        M = np.asarray(Image.fromarray(m, "L").resize((W, H), Image.NEAREST), dtype=np.float32)
        ink = ink * (1.0 - 0.9 / 255.0 * M)
    ink = ink * F * P[None, :]
    if pq["speckle"] > 0:
        s = (rng.random((dots_h, dots_w), dtype=np.float32) < pq["speckle"]).astype(np.uint8) * 140
        S = np.asarray(Image.fromarray(s, "L").resize((W, H), Image.BILINEAR), dtype=np.float32) / 255.0
        ink = np.maximum(ink, S)
    gray = 255.0 - np.clip(ink, 0.0, 1.0) * (255.0 - pq["ink"])
    return Image.fromarray(gray.astype(np.uint8), "L")


def paper_size_mm(rc):
    doc = rc["doc"]
    return doc.paper_w / REF_PPM, doc.height / REF_PPM


# ---------------------------------------------------------------------------
# the clean (scan-like) variant

def make_clean(rc, seed):
    R = random.Random(seed)
    ppm = rc["style"]["ppm_clean"]
    paper = render_paper(rc, ppm)
    W, H = paper.size
    m = int(round(R.uniform(2.0, 7.0) * ppm))
    bed = R.choice([255, 255, 250, 244, 236])
    img = Image.new("L", (W + 2 * m, H + 2 * m), bed)
    if bed >= 250:
        # a white scanner lid: the paper edge shows as a faint shadow line
        dr = ImageDraw.Draw(img)
        dr.rectangle([m - 1, m - 1, m + W, m + H], outline=228)
        dr.line([(m + W + 1, m + 2), (m + W + 1, m + H + 1)], fill=238)
    img.paste(paper, (m, m))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    quad = [[m, m], [m + W, m], [m + W, m + H], [m, m + H]]
    return buf.getvalue(), {"rotation_deg": 0.0, "exif_orientation": None,
                            "width": img.width, "height": img.height, "quad": quad,
                            "stored_rotation_deg": 0.0, "background": "scanner"}


# ---------------------------------------------------------------------------
# photo variants

def _smooth(rng, h, w, gh, gw):
    a = rng.random((max(2, gh), max(2, gw)), dtype=np.float32)
    return np.asarray(Image.fromarray(a, "F").resize((w, h), Image.BICUBIC))


def _to_rgb_img(arr):
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


_PLAIN = [(236, 234, 230), (205, 204, 200), (150, 118, 86), (62, 62, 68), (48, 92, 72),
          (184, 164, 134), (112, 128, 148), (226, 214, 196), (90, 70, 56), (172, 176, 180),
          (120, 40, 36), (30, 34, 40)]

# Background makers return a picture at half the working size (or less); the
# caller darkens the paper's drop shadow into it and scales it up once.


def bg_plain(R, rng, w, h, textured):
    base = np.array(R.choice(_PLAIN), np.float32) * R.uniform(0.85, 1.05)
    var = 1.0 + R.uniform(0.02, 0.08) * (_smooth(rng, h, w, 4, 3) - 0.5)
    arr = base[None, None, :] * var[..., None]
    if textured:
        # linen / laminate: a fine weave of two line sets plus grain
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        p = R.uniform(2.0, 4.0)
        weave = np.sin(xx * 2 * np.pi / p) * np.sin(yy * 2 * np.pi / (p * R.uniform(0.8, 1.3)))
        grain = rng.standard_normal((h, w), dtype=np.float32)
        arr = arr + (R.uniform(2, 6) * weave + R.uniform(2, 5) * grain)[..., None]
    return _to_rgb_img(arr)


def bg_wood(R, rng, w, h):
    big = int(math.hypot(w, h)) + 4
    yy = np.arange(big, dtype=np.float32)[:, None]
    xx = np.arange(big, dtype=np.float32)[None, :]
    warp = (_smooth(rng, big, big, 4, 3) * R.uniform(40, 140)
            + _smooth(rng, big, big, 12, 5) * R.uniform(5, 20))
    period = R.uniform(25, 70)
    rings = 0.5 + 0.5 * np.sin((yy + warp + 0.02 * xx) * 2 * np.pi / period)
    rings = rings ** R.uniform(1.5, 4.0)
    fine = 0.5 + 0.5 * np.sin((yy + warp * 1.3) * 2 * np.pi / (period / R.uniform(4, 7)))
    fibers = np.asarray(Image.fromarray(rng.random((big, 40), dtype=np.float32), "F")
                        .resize((big, big), Image.BICUBIC))
    rings2 = 0.5 + 0.5 * np.sin((yy + warp * 0.7 + 0.05 * xx) * 2 * np.pi / (period * R.uniform(1.6, 2.6)))
    t = np.clip(0.35 * rings + 0.2 * rings2 + 0.12 * fine + 0.33 * fibers, 0, 1)
    plank = R.uniform(150, 400)
    seam = _band(yy, plank, 1.5)
    light = np.array(R.choice([(196, 150, 104), (222, 184, 135), (160, 110, 70), (120, 80, 50),
                               (205, 170, 125), (92, 60, 40), (230, 200, 160)]), np.float32)
    dark = light * R.uniform(0.55, 0.78)
    arr = light[None, None] * (1 - t[..., None]) + dark[None, None] * t[..., None]
    arr = arr * (1 - 0.55 * seam[..., None])
    img = _to_rgb_img(arr).rotate(R.uniform(0, 180), resample=Image.BILINEAR)
    x0, y0 = (big - w) // 2, (big - h) // 2
    return img.crop((x0, y0, x0 + w, y0 + h))


def _band(u, p, width):
    """Anti-aliased periodic band: 1 inside a band of `width` every `p` pixels."""
    r = np.mod(u - width / 2 + p / 2, p) - p / 2
    return np.clip(width / 2 - np.abs(r) + 0.5, 0, 1)


def bg_cloth(R, rng, w, h):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = math.radians(R.uniform(-25, 25))
    u = xx * math.cos(a) + yy * math.sin(a)
    v = -xx * math.sin(a) + yy * math.cos(a)
    # soft folds in the cloth bend the pattern a little
    bend = _smooth(rng, h, w, 4, 4) * R.uniform(5, 20)
    u = u + bend
    v = v + bend * 0.5
    pattern = R.choice(["gingham", "stripes", "dots", "plaid"])
    c1 = np.array(R.choice([(200, 40, 40), (40, 70, 160), (40, 120, 70), (230, 160, 40),
                            (120, 60, 140), (30, 30, 30)]), np.float32)
    c0 = np.array(R.choice([(245, 242, 236), (230, 225, 210), (250, 250, 250)]), np.float32)
    p = R.uniform(14, 40)
    if pattern == "gingham":
        t = 0.45 * _band(u, 2 * p, p) + 0.45 * _band(v, 2 * p, p)
    elif pattern == "stripes":
        t = _band(u, p, p * R.uniform(0.2, 0.5))
    elif pattern == "dots":
        du = np.mod(u, p) - p / 2
        dv = np.mod(v, p) - p / 2
        t = np.clip(p * R.uniform(0.15, 0.3) - np.sqrt(du * du + dv * dv) + 0.5, 0, 1)
    else:
        t = 0.3 * _band(u, p, p * 0.4) + 0.3 * _band(v, p, p * 0.4) \
            + 0.4 * np.maximum(_band(u, p * 3, 2), _band(v, p * 3, 2))
    weave = 0.06 * np.sin(xx * 2.2) * np.sin(yy * 2.2)
    shade = 1.0 - 0.15 * _smooth(rng, h, w, 5, 4)
    arr = (c0[None, None] * (1 - t[..., None]) + c1[None, None] * t[..., None]) * (shade + weave)[..., None]
    return _to_rgb_img(arr)


def bg_granite(R, rng, w, h):
    base = np.array(R.choice([(90, 90, 92), (200, 196, 188), (60, 50, 48), (150, 140, 130)]), np.float32)
    n = rng.random((h, w), dtype=np.float32)
    spk = np.where(n < 0.06, -70.0, np.where(n > 0.95, 60.0, 0.0)).astype(np.float32)
    cl = _smooth(rng, h, w, 30, 24) * 40 - 20
    arr = base[None, None] + (spk + cl)[..., None]
    return _to_rgb_img(arr).filter(ImageFilter.BoxBlur(0.5))


def _homography(dst, src):
    """Coefficients mapping output (dst) points to input (src) points, for PIL."""
    A, b = [], []
    for (x, y), (u, v) in zip(dst, src):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        b.append(u)
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.append(v)
    return [float(c) for c in np.linalg.solve(np.array(A, np.float64), np.array(b, np.float64))]


def _warp_paper(R, rng, rgba, heavy, pad):
    """Curl, crumples and folds: a height field seen slightly off-axis gives both
    the displacement (a MESH transform) and the shading of the paper."""
    W, H = rgba.size
    cell = max(32, min(W, H) // 16) if heavy else max(48, min(W, H) // 8)
    nx, ny = W // cell + 2, H // cell + 2
    gy, gx = np.mgrid[0:ny, 0:nx].astype(np.float32)
    px, py = gx * cell, gy * cell
    pw, ph = W - 2 * pad, H - 2 * pad
    h = np.zeros((ny, nx), np.float32)
    desc = []
    # gentle curl across the width (receipts come off a roll)
    curl = R.uniform(0.0, 0.04 if not heavy else 0.08) * pw
    h += curl * ((px - W / 2) / (pw / 2)) ** 2
    if heavy and R.random() < 0.7:
        # crumpled: many short creases make facets that catch the light differently
        for _ in range(R.randint(5, 14)):
            x0, y0 = pad + R.uniform(0, 1) * pw, pad + R.uniform(0, 1) * ph
            ang = R.uniform(0, math.pi)
            dist = (px - x0) * math.sin(ang) - (py - y0) * math.cos(ang)
            along = np.abs((px - x0) * math.cos(ang) + (py - y0) * math.sin(ang))
            reach = R.uniform(0.3, 1.2) * pw
            L = R.uniform(0.08, 0.35) * pw
            A = R.uniform(0.004, 0.02) * pw * R.choice([1, -1])
            h += A * np.maximum(0.0, 1.0 - np.abs(dist) / L) * np.clip(1.5 - along / reach, 0, 1)
        h += R.uniform(0.002, 0.01) * pw * (_smooth(rng, ny, nx, max(3, ny // 6), max(3, nx // 4)) - 0.5)
        desc.append("crumple")
    nfold = R.choice([0, 1, 1, 2, 3]) if heavy else 0
    for _ in range(nfold):
        yc = pad + R.uniform(0.15, 0.85) * ph
        ang = math.radians(R.uniform(-6, 6))
        dist = (py - yc) * math.cos(ang) - (px - W / 2) * math.sin(ang)
        L = R.uniform(0.15, 0.5) * pw
        A = R.uniform(0.01, 0.04) * pw * R.choice([1, -1])
        h += A * np.maximum(0.0, 1.0 - np.abs(dist) / L)
        desc.append("fold")
    view = np.array([R.uniform(-0.5, 0.5), R.uniform(0.2, 0.7)], np.float32)
    dx, dy = h * view[0], h * view[1]
    data = []
    for j in range(ny - 1):
        for i in range(nx - 1):
            x0, y0 = i * cell, j * cell
            quad = (x0 - dx[j, i], y0 - dy[j, i],
                    x0 - dx[j + 1, i], y0 + cell - dy[j + 1, i],
                    x0 + cell - dx[j + 1, i + 1], y0 + cell - dy[j + 1, i + 1],
                    x0 + cell - dx[j, i + 1], y0 - dy[j, i + 1])
            data.append(((x0, y0, x0 + cell, y0 + cell), tuple(float(v) for v in quad)))
    size = ((nx - 1) * cell, (ny - 1) * cell)
    rgba = rgba.transform(size, Image.MESH, data, Image.BILINEAR).crop((0, 0, W, H))
    # shading from the slope of the height field, lit from one side
    gyh, gxh = np.gradient(h, cell)
    la = R.uniform(0, 2 * math.pi)
    k = R.uniform(0.7, 1.4) if heavy else 0.5
    shade = np.clip(0.94 + k * (gxh * math.cos(la) + gyh * math.sin(la)), 0.6, 1.0)
    S = Image.fromarray((shade * 255).astype(np.uint8), "L").resize((W, H), Image.BILINEAR)
    r, g, b, a = rgba.split()
    rgba = Image.merge("RGBA", [ImageChops.multiply(r, S), ImageChops.multiply(g, S),
                                ImageChops.multiply(b, S), a])
    return rgba, desc


def _lighting(R, rng, W, H, heavy):
    """A multiplicative light field (gradient, vignette, shadows) as an RGB image."""
    w, h = max(16, W // 8), max(16, H // 8)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xn, yn = xx / w - 0.5, yy / h - 0.5
    g = R.uniform(0.05, 0.25 if heavy else 0.15)
    a = R.uniform(0, 2 * math.pi)
    field = 1.0 - g * (0.5 + xn * math.cos(a) + yn * math.sin(a))
    field -= R.uniform(0.05, 0.3) * (xn * xn + yn * yn)         # vignette
    field -= R.uniform(0.0, 0.08) * _smooth(rng, h, w, 4, 3)
    desc = []
    if heavy and R.random() < 0.65:
        # a hand or phone shadow coming in from one side
        sh = Image.new("L", (w, h), 0)
        side = R.randint(0, 3)
        depth = R.uniform(0.25, 0.55)
        pts = []
        nseg = 7
        for i in range(nseg + 1):
            t = i / nseg
            d = depth + R.uniform(-0.12, 0.12)
            if side == 0:
                pts.append((t * w, d * h))
            elif side == 1:
                pts.append(((1 - d) * w, t * h))
            elif side == 2:
                pts.append((t * w, (1 - d) * h))
            else:
                pts.append((d * w, t * h))
        corners = {0: [(w, -1), (-1, -1)], 1: [(w + 1, h), (w + 1, -1)],
                   2: [(w, h + 1), (-1, h + 1)], 3: [(-1, h), (-1, -1)]}[side]
        ImageDraw.Draw(sh).polygon(pts + corners, fill=255)
        sh = sh.filter(ImageFilter.GaussianBlur(R.uniform(1.0, 6.0)))
        field = field * (1.0 - R.uniform(0.3, 0.55) * np.asarray(sh, np.float32) / 255.0)
        desc.append("shadow")
    field = np.clip(field / max(1e-3, field.max()) * R.uniform(0.85, 1.0), 0.05, 1.0)
    warm = R.uniform(-0.06, 0.08)
    arr = np.stack([field * (1 + warm), field, field * (1 - warm)], axis=-1) * 255
    # blotchy colour noise of a small sensor, at the field's low resolution
    arr = arr * (1.0 + rng.standard_normal(arr.shape, dtype=np.float32) * R.uniform(0.005, 0.02 if heavy else 0.01))
    return _to_rgb_img(arr).resize((W, H), Image.BILINEAR), desc


def _motion_blur(img, angle, length):
    """Camera shake: the average of copies shifted along one direction."""
    dx, dy = length * math.cos(angle) / 2, length * math.sin(angle) / 2
    a = ImageChops.offset(img, int(round(dx)), int(round(dy)))
    b = ImageChops.offset(img, -int(round(dx)), -int(round(dy)))
    return Image.blend(Image.blend(a, b, 0.5), img, 1 / 3)


def _rot_point(p, op, W, H):
    """Where a point goes when the image (W x H) is transposed by op."""
    x, y = p
    if op == Image.ROTATE_90:       # counter-clockwise
        return [y, W - x]
    if op == Image.ROTATE_270:      # clockwise
        return [H - y, x]
    if op == Image.ROTATE_180:
        return [W - x, H - y]
    return [x, y]


def _norm_angle(a):
    a = (a + 180.0) % 360.0 - 180.0
    return 180.0 if a == -180.0 else round(a, 2)


ORIENTS = ("none", "exif1", "exif6", "exif8", "exif3", "pix90", "pix270", "pix180")


def make_photo(rc, level, seed, orient=None):
    """A phone-photo-like JPEG of the receipt.  orient forces the orientation
    treatment, one of ORIENTS (default: random by level)."""
    R = random.Random(seed)
    rng = np.random.default_rng(sub_seed("np", seed))
    heavy = level == "heavy"
    final_long = R.randint(3000, 4000) if heavy else R.randint(1600, 2600)
    FW, FH = final_long * 3 // 4, final_long
    ws = R.uniform(0.55, 0.7) if heavy else 1.0       # heavy: composed small, upscaled (phone softness)
    WW, WH = int(FW * ws), int(FH * ws)
    theta = R.uniform(-20, 20) if heavy else R.uniform(-5, 5)
    pw_mm, ph_mm = paper_size_mm(rc)
    if ph_mm > 2.5 * pw_mm:
        # long receipts are photographed along the phone's long side
        theta = theta * 0.5
        th = math.radians(theta)
        frac = R.uniform(0.82, 0.95)
    else:
        frac = R.uniform(0.62, 0.9) if heavy else R.uniform(0.68, 0.9)
        th = math.radians(theta)
    bw = pw_mm * abs(math.cos(th)) + ph_mm * abs(math.sin(th))
    bh = pw_mm * abs(math.sin(th)) + ph_mm * abs(math.cos(th))
    s = min(frac * WH / bh, frac * WW / bw)
    ppm = min(s, 40.0)
    paper = render_paper(rc, ppm)
    W, H = paper.size
    sc = s / ppm                                         # >1 only for tiny receipts
    # paper and ink colours
    white = tuple(int(v) for v in (R.randint(238, 255), R.randint(236, 253), R.randint(228, 250)))
    inkc = R.choice([(20, 20, 24), (40, 38, 48), (34, 30, 60), (50, 50, 50)])
    rgb = ImageOps.colorize(paper, black=inkc, white=white)
    pad = 8 + int(0.06 * W) if heavy else 8 + int(0.03 * W)
    rgb = ImageOps.expand(rgb, border=pad, fill=white)
    alpha = Image.new("L", (W + 2 * pad, H + 2 * pad), 0)
    ImageDraw.Draw(alpha).rectangle([pad, pad, pad + W - 1, pad + H - 1], fill=255)
    if R.random() < (0.5 if heavy else 0.2):
        # a torn or serrated bottom edge
        adr = ImageDraw.Draw(alpha)
        tooth = max(3, W // R.randint(30, 70))
        pts = [(pad - 1, pad + H - tooth)]
        x = pad
        while x < pad + W:
            pts.append((x + tooth / 2, pad + H - R.uniform(0, tooth * 1.2)))
            pts.append((x + tooth, pad + H - tooth))
            x += tooth
        pts += [(pad + W + 1, pad + H + 2), (pad - 1, pad + H + 2)]
        adr.polygon(pts, fill=0)
    rgba = rgb.copy()
    rgba.putalpha(alpha)
    paper_desc = []
    if heavy or R.random() < 0.35:
        rgba, paper_desc = _warp_paper(R, rng, rgba, heavy, pad)
    # where the paper lands: rotate, keystone, jitter
    hw, hh = W * sc / 2, H * sc / 2
    corners = [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
    kmax = 0.14 if heavy else 0.05
    kx = R.uniform(-kmax, kmax)
    ky = R.uniform(-kmax, kmax) * 0.6
    jit = (0.025 if heavy else 0.008) * min(hw, hh) * 2
    pts = []
    for x, y in corners:
        x2 = x * (1 + kx * (y / hh))
        y2 = y * (1 + ky * (x / hw))
        x2 += R.uniform(-jit, jit)
        y2 += R.uniform(-jit, jit)
        # visually counter-clockwise rotation in y-down coordinates
        pts.append((x2 * math.cos(th) + y2 * math.sin(th), -x2 * math.sin(th) + y2 * math.cos(th)))
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    shrink = min(1.0, 0.97 * WW / (max(xs) - min(xs)), 0.97 * WH / (max(ys) - min(ys)))
    if shrink < 1.0:                                    # keystone pushed a corner out
        pts = [(x * shrink, y * shrink) for x, y in pts]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    mx = max(4.0, (WW - (max(xs) - min(xs))) / 2 - 4)
    my = max(4.0, (WH - (max(ys) - min(ys))) / 2 - 4)
    cx = WW / 2 - (max(xs) + min(xs)) / 2 + R.uniform(-mx, mx) * 0.8
    cy = WH / 2 - (max(ys) + min(ys)) / 2 + R.uniform(-my, my) * 0.8
    dst = [(x + cx, y + cy) for x, y in pts]
    src = [(pad, pad), (pad + W, pad), (pad + W, pad + H), (pad, pad + H)]
    # map the padded border too, so crumpled edges are kept
    bx0 = max(0, int(min(p[0] for p in dst)) - pad * 2)
    by0 = max(0, int(min(p[1] for p in dst)) - pad * 2)
    bx1 = min(WW, int(max(p[0] for p in dst)) + pad * 2 + 1)
    by1 = min(WH, int(max(p[1] for p in dst)) + pad * 2 + 1)
    coeffs = _homography([(x - bx0, y - by0) for x, y in dst], src)
    # the table, with the paper's drop shadow darkened in at low resolution
    bgkind = R.choice(["plain", "plain", "textured"]) if not heavy else \
        R.choice(["wood", "wood", "cloth", "cloth", "granite", "textured"])
    q = 2 if bgkind != "plain" else 8
    bw_, bh_ = WW // q + 1, WH // q + 1
    if bgkind in ("plain", "textured"):
        bg = bg_plain(R, rng, bw_, bh_, bgkind == "textured")
    elif bgkind == "wood":
        bg = bg_wood(R, rng, bw_, bh_)
    elif bgkind == "cloth":
        bg = bg_cloth(R, rng, bw_, bh_)
    else:
        bg = bg_granite(R, rng, bw_, bh_)
    shadow = Image.new("L", (bw_, bh_), 0)
    off = (R.uniform(-1, 1) * 0.01 * WW, R.uniform(0.2, 1.0) * 0.012 * WH)
    ImageDraw.Draw(shadow).polygon([((x + off[0]) / q, (y + off[1]) / q) for x, y in dst], fill=255)
    shadow = shadow.filter(ImageFilter.GaussianBlur(R.uniform(0.008, 0.025) * WW / q))
    sm = shadow.point(lambda v, k=R.uniform(0.2, 0.45): int(255 - v * k))
    bg = ImageChops.multiply(bg, Image.merge("RGB", [sm] * 3))
    img = bg.resize((WW, WH), Image.BILINEAR)
    fg = rgba.transform((bx1 - bx0, by1 - by0), Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    img.paste(fg, (bx0, by0), fg)
    light, ldesc = _lighting(R, rng, WW, WH, heavy)
    img = ImageChops.multiply(img, light)
    if heavy and R.random() < 0.25:
        g = 8
        glare = Image.new("L", (WW // g + 1, WH // g + 1), 0)
        gx, gy = R.uniform(0.2, 0.8) * WW / g, R.uniform(0.2, 0.8) * WH / g
        rx, ry = R.uniform(0.05, 0.2) * WW / g, R.uniform(0.03, 0.12) * WH / g
        ImageDraw.Draw(glare).ellipse([gx - rx, gy - ry, gx + rx, gy + ry], fill=int(255 * R.uniform(0.3, 0.6)))
        glare = glare.filter(ImageFilter.GaussianBlur(max(rx, ry) * 0.5)).resize((WW, WH), Image.BILINEAR)
        img = ImageChops.screen(img, Image.merge("RGB", [glare] * 3))
        ldesc.append("glare")
    # optics: defocus, shake, depth of field
    blur = R.uniform(0.7, 1.6) if heavy else R.uniform(0.3, 0.9)
    img = img.filter(ImageFilter.BoxBlur(blur))
    if heavy and R.random() < 0.4:
        img = _motion_blur(img, R.uniform(0, math.pi), R.uniform(2, 6) * WW / 2000)
        ldesc.append("motion")
    if heavy and R.random() < 0.3:
        far = img.filter(ImageFilter.BoxBlur(R.uniform(1.2, 2.5)))
        grad = Image.linear_gradient("L").resize((WW, WH), Image.BILINEAR)
        if R.random() < 0.5:
            grad = grad.transpose(Image.FLIP_TOP_BOTTOM)
        img = Image.composite(far, img, grad)
        ldesc.append("dof")
    # sensor noise: luminance grain plus a little blotchy chroma noise
    sig = R.uniform(5.0, 11.0) if heavy else R.uniform(2.0, 5.0)
    lum = rng.standard_normal((WH, WW), dtype=np.float32) * sig + 128.5
    L = Image.fromarray(np.clip(lum, 0, 255).astype(np.uint8), "L")
    img = ImageChops.add(img, Image.merge("RGB", [L, L, L]), 1.0, -128)
    if (FW, FH) != (WW, WH):
        img = img.resize((FW, FH), Image.BICUBIC)
    f = FW / WW
    quad = [[round(x * f, 1), round(y * f, 1)] for x, y in dst]
    # orientation
    if orient is None:
        r = R.random()
        if heavy:
            orient = ("exif6" if r < 0.17 else "exif8" if r < 0.21 else "exif3" if r < 0.24 else
                      "pix90" if r < 0.30 else "pix270" if r < 0.36 else "pix180" if r < 0.44 else
                      "exif1" if r < 0.6 else "none")
        else:
            orient = "exif6" if r < 0.08 else "exif1" if r < 0.2 else "none"
    if orient not in ORIENTS:
        raise ValueError("orient must be one of %s" % (ORIENTS,))
    ops = {"exif6": Image.ROTATE_90, "exif8": Image.ROTATE_270, "exif3": Image.ROTATE_180,
           "pix90": Image.ROTATE_90, "pix270": Image.ROTATE_270, "pix180": Image.ROTATE_180}
    deltas = {Image.ROTATE_90: 90.0, Image.ROTATE_270: -90.0, Image.ROTATE_180: 180.0}
    exif_tag = {"exif1": 1, "exif6": 6, "exif8": 8, "exif3": 3}.get(orient)
    op = ops.get(orient)
    shown = stored = theta
    if op is not None:
        Wb, Hb = img.size
        img = img.transpose(op)
        stored = theta + deltas[op]
        if orient.startswith("pix"):
            shown = stored
            quad = [_rot_point(p, op, Wb, Hb) for p in quad]
    exif_bytes = None
    gps = False
    if exif_tag is not None:
        ex = Image.Exif()
        ex[0x010F] = "RecamTest"
        ex[0x0110] = "Virtual Phone %d" % R.randint(1, 9)
        ex[0x0112] = exif_tag
        if R.random() < 0.5:
            # a made-up location in central Tokyo: recam must strip it
            ex[0x8825] = {1: "N", 2: (35.0, 40.0, round(R.uniform(0, 59), 2)),
                          3: "E", 4: (139.0, 45.0, round(R.uniform(0, 59), 2))}
            gps = True
        exif_bytes = ex.tobytes()
    quality = R.randint(50, 70) if heavy else R.randint(80, 90)
    buf = io.BytesIO()
    if exif_bytes:
        img.save(buf, "JPEG", quality=quality, exif=exif_bytes)
    else:
        img.save(buf, "JPEG", quality=quality)
    return buf.getvalue(), {
        "rotation_deg": _norm_angle(shown), "exif_orientation": exif_tag,
        "width": img.width, "height": img.height, "quad": quad,
        "stored_rotation_deg": _norm_angle(stored), "jpeg_quality": quality,
        "background": bgkind, "effects": paper_desc + ldesc, "exif_gps": gps,
    }


def downscale_jpeg(data, info, long_side):
    """Shrink a JPEG (keeping EXIF) so golden files stay small."""
    img = Image.open(io.BytesIO(data))
    exif = img.info.get("exif")
    W, H = img.size
    f = long_side / max(W, H)
    if f >= 1:
        return data, info
    img = img.resize((int(round(W * f)), int(round(H * f))), Image.LANCZOS)
    buf = io.BytesIO()
    kw = {"quality": info["jpeg_quality"]}
    if exif:
        kw["exif"] = exif
    img.save(buf, "JPEG", **kw)
    info = dict(info, width=img.width, height=img.height,
                quad=[[round(x * f, 1), round(y * f, 1)] for x, y in info["quad"]])
    return buf.getvalue(), info


# ---------------------------------------------------------------------------
# corpus

def parse_force(items):
    """--force values: NAME, NAME=PRICE, NAME=PRICExQTY."""
    out = []
    for s in items or []:
        spec = {"name": s}
        if "=" in s:
            name, rest = s.rsplit("=", 1)
            spec["name"] = name
            if "x" in rest:
                p, q = rest.split("x", 1)
                spec["price"], spec["quantity"] = int(p), int(q)
            else:
                spec["price"] = int(rest)
        out.append(spec)
    return out


def receipt_for(seed, idx, kinds=None, force=None, force_ratio=1.0, kind=None):
    """The receipt (content + layout) with index idx of the corpus for seed."""
    s = sub_seed("receipt", seed, idx)
    f = None
    if force and (sub_seed("force", seed, idx) % 10000) / 10000.0 < force_ratio:
        f = force
    rc = build_receipt(s, kind=kind, force=f, kinds=kinds)
    rc["seed"] = s
    rc["print_seed"] = sub_seed("print", s)
    return rc


def split_for(seed, idx):
    return "holdout" if sub_seed("split", seed, idx) % 100 < HOLDOUT_PERCENT else "dev"


def _ordered_truth(rid, split, truth, images):
    keys = ["kind", "split", "font", "store", "branch", "phone", "registration_number", "date",
            "time", "subtotal", "total", "currency", "tax", "tendered", "change",
            "receipt_number", "register", "cashier", "items", "lines"]
    out = {"id": rid}
    for k in keys:
        out[k] = split if k == "split" else truth[k]
    out["images"] = images
    out["meta"] = truth["meta"]
    return out


def render_levels(rc, levels, prefix, outdir, orient=None, golden=False):
    images = []
    for level in levels:
        lseed = sub_seed("image", rc["seed"], level)
        if level == "clean":
            data, info = make_clean(rc, lseed)
            name = prefix + "-clean.png"
        else:
            data, info = make_photo(rc, level, lseed, orient=(orient or {}).get(level))
            if golden:
                data, info = downscale_jpeg(data, info, 1600 if level == "heavy" else 1400)
            name = prefix + "-%s.jpg" % level
        with open(os.path.join(outdir, name), "wb") as fh:
            fh.write(data)
        entry = {"file": name, "level": level}
        entry.update(info)
        images.append(entry)
    return images


def dumps_truth(obj):
    """JSON with one key per line and one list element (item, tax line, image,
    printed line) per line: easy to read and to diff."""
    def one(v):
        return json.dumps(v, ensure_ascii=False)
    parts = []
    for k, v in obj.items():
        if isinstance(v, list) and v:
            inner = ",\n".join("  " + one(x) for x in v)
            parts.append(" %s: [\n%s\n ]" % (one(k), inner))
        else:
            parts.append(" %s: %s" % (one(k), one(v)))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _write_json(path, obj):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps_truth(obj))


def write_receipt(outdir, rid, rc, split="dev", levels=LEVELS, orient=None, golden=False):
    """Render rc's images into outdir as RID-LEVEL.{png,jpg} and write RID.json;
    returns the ground truth (as written)."""
    images = render_levels(rc, levels, rid, outdir, orient=orient, golden=golden)
    truth = _ordered_truth(rid, split, rc["truth"], images)
    _write_json(os.path.join(outdir, rid + ".json"), truth)
    return truth


def make_receipt_with(products, outdir, rid="forced", seed=1, kind=None, levels=LEVELS,
                      split="dev", orient=None):
    """One receipt that certainly carries `products` (e.g. a campaign's target
    products), rendered at `levels` into outdir.  products: names (from the pool
    or any string) or dicts {"name", "price", "quantity", "reduced"}.  The name
    is printed as the receipt prints names: it may come out in half-width kana
    or cut short on a narrow receipt; truth["meta"]["products"] keeps the full
    names item by item."""
    specs = [{"name": p} if isinstance(p, str) else dict(p) for p in products]
    rc = build_receipt(sub_seed("forced", seed), kind=kind, force=specs)
    rc["seed"] = sub_seed("forced", seed)
    rc["print_seed"] = sub_seed("print", rc["seed"])
    os.makedirs(outdir, exist_ok=True)
    return write_receipt(outdir, rid, rc, split=split, levels=levels, orient=orient)


def _entry(truth):
    return {"id": truth["id"], "kind": truth["kind"], "split": truth["split"],
            "truth": truth["id"] + ".json",
            "images": [{"file": im["file"], "level": im["level"]} for im in truth["images"]]}


def _one(job):
    outdir, seed, idx, width, levels, kinds, force, force_ratio = job
    rid = "%0*d" % (width, idx)
    rc = receipt_for(seed, idx, kinds=kinds, force=force, force_ratio=force_ratio)
    return _entry(write_receipt(outdir, rid, rc, split_for(seed, idx), levels))


def generate(outdir, count, seed, levels=LEVELS, kinds=None, force=None, force_ratio=1.0, jobs=None):
    os.makedirs(outdir, exist_ok=True)
    width = max(4, len(str(count)))
    jobs_list = [(outdir, seed, i, width, tuple(levels), tuple(kinds) if kinds else None,
                  force, force_ratio) for i in range(1, count + 1)]
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and count > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            entries = list(pool.imap(_one, jobs_list, chunksize=1))
    else:
        entries = [_one(j) for j in jobs_list]
    index = {"generator": "tests/receipts/gen.py", "version": GEN_VERSION, "seed": seed,
             "count": count, "levels": list(levels), "kinds": list(kinds) if kinds else list(KINDS),
             "holdout_percent": HOLDOUT_PERCENT, "receipts": entries}
    _write_json(os.path.join(outdir, "index.json"), index)
    return index


# The golden sample: a fixed handful covering the kinds and the three levels.
GOLDEN_SEED = 20261120
GOLDEN = [
    ("g01", "conbini", "clean", None),
    ("g02", "tax_exclusive", "clean", None),
    ("g03", "reduced_mark", "moderate", None),
    ("g04", "discount", "moderate", None),
    ("g05", "drugstore", "heavy", "exif6"),
    ("g06", "restaurant", "heavy", "none"),
    ("g07", "long", "clean", None),
    ("g08", "english", "moderate", None),
]


def generate_golden(outdir=None):
    outdir = outdir or os.path.join(HERE, "golden")
    os.makedirs(outdir, exist_ok=True)
    entries = []
    for i, (rid, kind, level, orient) in enumerate(GOLDEN, start=1):
        rc = receipt_for(GOLDEN_SEED, i, kind=kind)
        truth = write_receipt(outdir, rid, rc, "golden", [level], orient={level: orient}, golden=True)
        entries.append(_entry(truth))
    index = {"generator": "tests/receipts/gen.py --golden", "version": GEN_VERSION,
             "seed": GOLDEN_SEED, "count": len(entries), "levels": list(LEVELS),
             "kinds": sorted({e["kind"] for e in entries}), "holdout_percent": 0,
             "receipts": entries}
    _write_json(os.path.join(outdir, "index.json"), index)
    return index


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="output directory")
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--levels", default=",".join(LEVELS), help="comma list of clean,moderate,heavy")
    ap.add_argument("--kinds", default="", help="comma list from: " + ",".join(KINDS))
    ap.add_argument("--force", action="append", metavar="NAME[=PRICE[xQTY]]",
                    help="put this product on receipts (repeatable)")
    ap.add_argument("--force-ratio", type=float, default=1.0,
                    help="fraction of receipts that get the --force products (default 1)")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    ap.add_argument("--golden", action="store_true", help="rewrite tests/receipts/golden/ (or --out)")
    ap.add_argument("--list-products", action="store_true", help="print the product pool and exit")
    a = ap.parse_args(argv)
    if a.list_products:
        for name in product_names():
            print(name)
        return 0
    if a.golden:
        t0 = time.time()
        idx = generate_golden(a.out)
        print("golden: %d receipts in %.1fs" % (len(idx["receipts"]), time.time() - t0), file=sys.stderr)
        return 0
    if not a.out:
        ap.error("--out is required")
    levels = [x for x in a.levels.split(",") if x]
    bad = [x for x in levels if x not in LEVELS]
    kinds = [x for x in a.kinds.split(",") if x] or None
    badk = [x for x in (kinds or []) if x not in KIND_WEIGHTS]
    if bad or badk or a.count < 1:
        ap.error("bad --levels/--kinds/--count: %s" % (bad + badk))
    t0 = time.time()
    generate(a.out, a.count, a.seed, levels, kinds, parse_force(a.force), a.force_ratio, a.jobs or None)
    print("%d receipts x %d levels in %.1fs -> %s" % (a.count, len(levels), time.time() - t0, a.out),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
