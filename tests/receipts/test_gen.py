"""Self-check of the receipt generator (gen.py).

    /usr/bin/python3 -m pytest tests/receipts

Checks what the reader's tests rely on: the same seed gives the same bytes, the
ground truth adds up, registration numbers carry a valid check digit, printed
names are really printed, and the images open with the sizes and EXIF
orientations the truth claims.
"""

import datetime
import io
import json
import os
import re
import sys

import pytest
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402


def _rate(item):
    return 8 if item["reduced"] else 10


def check_truth(t):
    """Every arithmetic and format promise of one ground-truth record."""
    items = t["items"]
    assert items
    for it in items:
        assert it["quantity"] * it["unit_price"] == it["amount"], it
        assert it["discount"] == (it["amount"] < 0), it
        assert it["name"].strip() == it["name"] and it["name"], it
    assert sum(it["amount"] for it in items) == t["subtotal"]
    kinds = {tx["kind"] for tx in t["tax"]}
    assert len(kinds) == 1
    assert sorted(tx["rate"] for tx in t["tax"]) == sorted({_rate(it) for it in items})
    for tx in t["tax"]:
        base = sum(it["amount"] for it in items if _rate(it) == tx["rate"])
        assert tx["base"] == base > 0
        if tx["kind"] == "inclusive":
            assert tx["tax"] == base * tx["rate"] // (100 + tx["rate"])
        else:
            assert tx["tax"] == base * tx["rate"] // 100
    if kinds == {"inclusive"}:
        assert t["total"] == t["subtotal"]
    else:
        assert t["total"] == t["subtotal"] + sum(tx["tax"] for tx in t["tax"])
    assert t["tendered"] - t["change"] == t["total"]
    assert t["change"] >= 0
    assert t["currency"] == "JPY"
    datetime.date.fromisoformat(t["date"])
    assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t["time"])
    assert re.fullmatch(r"0\d{1,3}-\d{2,4}-\d{3,4}", t["phone"]) and len(t["phone"]) in (12, 13)
    if t["registration_number"] is not None:
        assert gen.valid_registration_number(t["registration_number"])
    lines = t["lines"]
    text = "\n".join(lines)
    for it in items:
        assert any(it["name"] in ln for ln in lines), it["name"]
    for key in ("store", "branch", "registration_number", "receipt_number", "register", "cashier"):
        if t[key] is not None:
            assert t[key] in text, key
    assert "{:,}".format(t["total"]) in text or str(t["total"]) in text


def test_check_digit():
    # 7000012050002 is the published corporate number of Japan's National Tax
    # Agency: its check digit 7 comes from the base 000012050002.
    assert gen.check_digit("000012050002") == 7
    assert gen.valid_registration_number("T7000012050002")
    assert not gen.valid_registration_number("T6000012050002")
    assert not gen.valid_registration_number("7000012050002")
    import random
    R = random.Random(3)
    for _ in range(200):
        assert gen.valid_registration_number(gen.registration_number(R))


def test_halfwidth_kana():
    assert gen.to_halfwidth_kana("ポテトチップス うすしお") == "ﾎﾟﾃﾄﾁｯﾌﾟｽ ｳｽｼｵ"
    assert gen.to_halfwidth_kana("緑茶 500ml") == "緑茶 500ml"


@pytest.mark.parametrize("kind", gen.KINDS)
def test_truth_is_consistent(kind):
    for i in range(1, 26):
        rc = gen.receipt_for(77, i, kind=kind)
        t = rc["truth"]
        assert t["kind"] == kind
        check_truth(t)
        text = "\n".join(t["lines"])
        if kind == "reduced_mark":
            assert len(t["tax"]) == 2 and "軽減税率" in text
        if kind == "discount":
            assert any(it["discount"] for it in t["items"])
        if kind == "long":
            assert sum(not it["discount"] for it in t["items"]) >= 40
        if kind == "tax_exclusive":
            assert all(tx["kind"] == "exclusive" for tx in t["tax"])
        if kind == "english":
            assert "TOTAL" in text


def test_variety():
    fonts, papers, kinds = set(), set(), set()
    for i in range(1, 200):
        t = gen.receipt_for(5, i)["truth"]
        fonts.add(t["font"])
        papers.add(t["meta"]["paper_mm"])
        kinds.add(t["kind"])
    assert len(fonts) >= min(4, len(gen.FONTS))
    assert papers == {58, 80}
    assert kinds == set(gen.KINDS)


def test_split_and_seed_independence():
    splits = [gen.split_for(1, i) for i in range(1, 1001)]
    share = splits.count("holdout") / len(splits)
    assert 0.25 < share < 0.35
    assert splits == [gen.split_for(1, i) for i in range(1, 1001)]
    # receipt i does not depend on how many receipts are made
    a = gen.receipt_for(9, 4)["truth"]
    b = gen.receipt_for(9, 4)["truth"]
    assert a == b
    assert gen.receipt_for(10, 4)["truth"] != a


def test_force_products(tmp_path):
    t = gen.make_receipt_with(["ポテトチップス のりしお", {"name": "テスト限定ドリンク", "price": 150, "quantity": 2}],
                              str(tmp_path), seed=4, kind="conbini", levels=["clean"])
    check_truth(t)
    assert "ポテトチップス のりしお" in t["meta"]["products"]
    k = t["meta"]["products"].index("テスト限定ドリンク")
    assert t["items"][k]["amount"] == 300 and t["items"][k]["quantity"] == 2
    assert os.path.exists(os.path.join(str(tmp_path), "forced-clean.png"))


def _files(d):
    out = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as fh:
            out[name] = fh.read()
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    a = str(tmp_path_factory.mktemp("a"))
    gen.generate(a, 2, seed=42, kinds=["conbini", "reduced_mark"], jobs=1)
    return a


def test_same_seed_same_bytes(corpus, tmp_path):
    b = str(tmp_path / "b")
    gen.generate(b, 2, seed=42, kinds=["conbini", "reduced_mark"], jobs=2)
    fa, fb = _files(corpus), _files(b)
    assert sorted(fa) == sorted(fb)
    for name in fa:
        assert fa[name] == fb[name], name
    c = str(tmp_path / "c")
    gen.generate(c, 1, seed=43, levels=["clean"], kinds=["conbini"], jobs=1)
    assert _files(c)["0001-clean.png"] != fa["0001-clean.png"]


def test_corpus_images(corpus):
    index = json.load(open(os.path.join(corpus, "index.json"), encoding="utf-8"))
    assert index["count"] == 2 and len(index["receipts"]) == 2
    for entry in index["receipts"]:
        t = json.load(open(os.path.join(corpus, entry["truth"]), encoding="utf-8"))
        check_truth(t)
        assert t["split"] in ("dev", "holdout")
        assert [im["level"] for im in t["images"]] == list(gen.LEVELS)
        for im in t["images"]:
            path = os.path.join(corpus, im["file"])
            assert re.fullmatch(r"\d{4}-(clean\.png|moderate\.jpg|heavy\.jpg)", im["file"])
            img = Image.open(path)
            img.load()
            assert img.size == (im["width"], im["height"])
            assert img.format == ("PNG" if im["level"] == "clean" else "JPEG")
            exif = img.getexif().get(0x0112) if img.format == "JPEG" else None
            assert exif == im["exif_orientation"]
            shown = ImageOps.exif_transpose(img)
            long_side = max(shown.size)
            if im["level"] == "heavy":
                assert 3000 <= long_side <= 4000
                assert -180 < im["rotation_deg"] <= 180
            elif im["level"] == "moderate":
                assert 1600 <= long_side <= 2600
                assert abs(im["rotation_deg"]) <= 5
            else:
                assert im["rotation_deg"] == 0 and im["exif_orientation"] is None
            for x, y in im["quad"]:
                assert -1 <= x <= shown.width + 1 and -1 <= y <= shown.height + 1


@pytest.mark.parametrize("orient,tag,turn", [("exif6", 6, True), ("exif3", 3, False),
                                              ("pix90", None, True), ("none", None, False)])
def test_orientation(orient, tag, turn):
    rc = gen.receipt_for(8, 2, kind="conbini")
    data, info = gen.make_photo(rc, "moderate", 11, orient=orient)
    img = Image.open(io.BytesIO(data))
    assert img.getexif().get(0x0112) == tag == info["exif_orientation"]
    assert (img.width > img.height) == turn                  # stored pixels
    shown = ImageOps.exif_transpose(img)
    if orient.startswith("exif"):
        assert shown.height > shown.width                    # displays upright
        assert abs(info["rotation_deg"]) <= 5
    if orient == "pix90":
        assert abs(info["rotation_deg"] - 90) <= 5


def test_golden():
    gdir = os.path.join(HERE, "golden")
    index = json.load(open(os.path.join(gdir, "index.json"), encoding="utf-8"))
    levels = set()
    for i, entry in enumerate(index["receipts"], start=1):
        t = json.load(open(os.path.join(gdir, entry["truth"]), encoding="utf-8"))
        check_truth(t)
        # the committed truth is what the generator still produces
        rid, kind, level, _ = gen.GOLDEN[i - 1]
        assert t["id"] == rid and t["kind"] == kind
        fresh = gen.receipt_for(gen.GOLDEN_SEED, i, kind=kind)["truth"]
        for key in fresh:
            assert t[key] == fresh[key], (rid, key)
        for im in t["images"]:
            path = os.path.join(gdir, im["file"])
            assert os.path.getsize(path) < 400 * 1024
            img = Image.open(path)
            assert img.size == (im["width"], im["height"])
            levels.add(im["level"])
    assert levels == set(gen.LEVELS)
