"""Issue 4's leftovers, through the real server and reader: a photo of a
receipt already used, sent again with other bytes (turned, noisier,
smaller, re-encoded), is rejected as already used (duplicate_image), while
another receipt of the same shop with the same layout is accepted; a
purchase date after the judging moment (Asia/Tokyo, on the injectable
clock) sends the entry to review with that reason."""
import io
import sys

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, run_cli
from test_entries import LATE_2027_MS, Shopper, campaign

sys.path.insert(0, str(ROOT / "tests/receipts"))
sys.path.insert(0, str(ROOT / "bench/phash"))
import corpus  # noqa: E402
import gen  # noqa: E402

TARGET = "ポテトチップス うすしお"
SEED = 5  # test_entries' accepted receipt (2027-05-08); its twin (same shop, other items) is of 2026-04-12


@pytest.fixture(scope="module")
def photos():
    force = [{"name": TARGET}]
    rc = gen.build_receipt(gen.sub_seed("forced", SEED), force=force)
    rc["seed"] = gen.sub_seed("forced", SEED)
    rc["print_seed"] = gen.sub_seed("print", rc["seed"])
    twin = corpus.same_shop(rc, 1, SEED, force=force)
    assert twin is not None
    first, _ = gen.make_clean(rc, gen.sub_seed("image", rc["seed"], "clean"))
    other, _ = gen.make_clean(twin, gen.sub_seed("image", rc["seed"], "clean"))
    # The first photo again with other bytes: turned a degree, with sensor
    # noise, as a JPEG. (Larger turns and crops are caught less often; see
    # docs/reader.md, "Perceptual hash".)
    img = Image.open(io.BytesIO(first)).convert("L")
    img = img.rotate(1.0, resample=Image.BICUBIC, expand=True, fillcolor=235)
    arr = np.asarray(img, dtype=np.float32) + np.random.default_rng(3).normal(0, 5, (img.height, img.width))
    buf = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=90)
    return {"first": first, "again": buf.getvalue(), "other": other, "truth": rc["truth"], "twin": twin["truth"]}


def set_clock(srv, unix_ms):
    import time
    assert srv.json("POST", "/__test/clock", {"offset_ms": unix_ms - int(time.time() * 1000)})[0] == 200


@pytest.fixture
def shop(make_server, data_dir):
    run_cli(data_dir, "demo")
    return make_server(reader_workers=1, workers=1)


def test_the_same_receipt_photographed_again_is_already_used(shop, data_dir, tmp_path, photos):
    assert photos["truth"]["store"] == photos["twin"]["store"] and photos["truth"]["total"] != photos["twin"]["total"]
    assert photos["first"] != photos["again"]
    set_clock(shop, LATE_2027_MS)
    slug = campaign(data_dir, tmp_path, purchase_period={"first": "2026-01-01", "last": "2027-12-31"})
    a = Shopper(shop)
    e1 = a.judged(slug, a.enter(slug, [photos["first"]])[1]["entry"]["id"])
    assert e1["status"] == "accepted", e1
    b = Shopper(shop)
    e2 = b.judged(slug, b.enter(slug, [photos["again"]], email="jiro@example.jp")[1]["entry"]["id"])
    assert e2["status"] == "rejected" and e2["reason"] == "duplicate_image", e2
    assert "すでに応募に使われています" in e2["message"]
    # Another receipt of the same shop, same layout, other items and total: not a duplicate.
    c = Shopper(shop)
    e3 = c.judged(slug, c.enter(slug, [photos["other"]], email="saburo@example.jp")[1]["entry"]["id"])
    assert e3["status"] == "accepted", e3


def test_two_photos_of_one_receipt_in_one_entry(shop, data_dir, tmp_path, photos):
    # A campaign that sums receipts: the same receipt twice must not count twice.
    set_clock(shop, LATE_2027_MS)
    slug = campaign(data_dir, tmp_path, purchase_period={"first": "2026-01-01", "last": "2027-12-31"})
    s = Shopper(shop)
    e = s.judged(slug, s.enter(slug, [photos["first"], photos["again"]])[1]["entry"]["id"])
    assert e["status"] == "rejected" and e["reason"] == "duplicate_image", e


def test_a_purchase_date_after_today_goes_to_review(shop, data_dir, tmp_path, photos):
    # The receipt says 2027-05-08; "now" is 2027-05-01 in Tokyo.
    set_clock(shop, 1_809_129_600_000)  # 2027-05-01T09:00:00+09:00
    slug = campaign(data_dir, tmp_path, purchase_period={"first": "2026-01-01", "last": "2027-12-31"})
    s = Shopper(shop)
    e = s.judged(slug, s.enter(slug, [photos["first"]])[1]["entry"]["id"])
    assert e["status"] == "review" and e["reason"] == "purchase_date_in_future", e
    assert "今日より後" in e["message"]
    assert e["result"]["summary"]["date"] == "2027-05-08"
    # English for an English page.
    status, _, body = shop.json("GET", f"/t/demo/api/campaigns/{slug}/entries/{e['id']}",
                                headers=s.headers({"Accept-Language": "en"}))
    assert "after today" in body["entry"]["message"]
