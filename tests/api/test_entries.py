"""The participant's entry flow against the real server with real readers:
upload, judgement, instant win, duplicates, caps, idempotency and hostile
uploads. Receipts are rendered by tests/receipts/gen.py with known truth."""
import copy
import json
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, eventually, run_cli

sys.path.insert(0, str(ROOT / "tests/receipts"))
import gen  # noqa: E402

TARGET = "ポテトチップス うすしお"
BASE_CAMPAIGN = json.loads((ROOT / "demo/campaign.json").read_text())


@pytest.fixture(scope="module")
def receipts(tmp_path_factory):
    """Clean renders: one with the target product, one with a near-miss
    product only, and a second receipt with the target."""
    d = tmp_path_factory.mktemp("receipts")
    ok = gen.make_receipt_with([TARGET], d, rid="ok", seed=5, levels=["clean"])
    ok2 = gen.make_receipt_with([TARGET], d, rid="ok2", seed=9, levels=["clean"])
    other = gen.make_receipt_with(["ポテトチップス のりしお"], d, rid="other", seed=7, levels=["clean"], kind="supermarket")
    return {"ok": (d / "ok-clean.png", ok), "ok2": (d / "ok2-clean.png", ok2), "other": (d / "other-clean.png", other)}


def campaign(data_dir, tmp_path, tenant="demo", **changes):
    """Imports a variant of the demo campaign into a tenant."""
    c = copy.deepcopy(BASE_CAMPAIGN)
    for key, value in changes.items():
        target = c
        *path, last = key.split("__")
        for p in path:
            target = target.setdefault(p, {})
        target[last] = value
    f = tmp_path / f"{c['slug']}.json"
    f.write_text(json.dumps(c, ensure_ascii=False))
    run_cli(data_dir, "campaign", "import", tenant, str(f))
    return c["slug"]


class Shopper:
    """One browser: keeps its cookie like a phone does."""

    def __init__(self, srv, tenant="demo"):
        self.srv, self.tenant, self.cookie = srv, tenant, None

    def headers(self, extra=None):
        h = dict(extra or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        return h

    def enter(self, slug, photos, email="hanako@example.jp", agree="true", key=None, extra_fields=None):
        boundary = "----recamtest" + uuid.uuid4().hex
        parts = []
        fields = {"email": email, "agree": agree, **(extra_fields or {})}
        for name, value in fields.items():
            if value is None:
                continue
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for i, photo in enumerate(photos):
            data = photo.read_bytes() if isinstance(photo, Path) else photo
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="receipt"; filename="r{i}.jpg"\r\n'
                         f'Content-Type: image/jpeg\r\n\r\n'.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = self.headers({"Content-Type": f"multipart/form-data; boundary={boundary}",
                                "Idempotency-Key": key or uuid.uuid4().hex})
        status, hdrs, data = self.srv.request("POST", f"/t/{self.tenant}/api/campaigns/{slug}/entries", body=body,
                                              headers=headers)
        if "set-cookie" in hdrs:
            self.cookie = hdrs["set-cookie"].split(";", 1)[0]
        return status, json.loads(data)

    def entry(self, slug, entry_id):
        status, _, body = self.srv.json("GET", f"/t/{self.tenant}/api/campaigns/{slug}/entries/{entry_id}",
                                        headers=self.headers())
        return status, body

    def judged(self, slug, entry_id, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.entry(slug, entry_id)
            assert status == 200, body
            if body["entry"]["status"] not in ("queued", "reading"):
                return body["entry"]
            time.sleep(0.3)
        raise AssertionError(f"entry {entry_id} not judged within {timeout}s")


# The generator's purchase dates run to the end of 2027, and a purchase after
# the judging moment goes to review (purchase_date_in_future): entries here
# are judged at noon on the last day of the demo campaign's entry period.
LATE_2027_MS = 1830222000000  # 2027-12-31T12:00:00+09:00


def judge_in_late_2027(srv):
    offset = LATE_2027_MS - int(time.time() * 1000)
    assert srv.json("POST", "/__test/clock", {"offset_ms": offset})[0] == 200


@pytest.fixture
def shop(make_server, data_dir):
    run_cli(data_dir, "demo")
    srv = make_server(reader_workers=1, workers=1)
    judge_in_late_2027(srv)
    return srv


def window_around(truth, before=3, after=3):
    import datetime
    d = datetime.date.fromisoformat(truth["date"])
    return {"first": str(d - datetime.timedelta(days=before)), "last": str(d + datetime.timedelta(days=after))}


def test_accepted_entry_wins_instantly_and_reserves_stock(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["ok"]
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth),
                    prizes=[{"code": "A", "name": "QUOカード", "value": 1000, "stock": 1, "probability_ppm": 1000000}])
    s = Shopper(shop)
    status, body = s.enter(slug, [photo])
    assert status == 202 and body["entry"]["status"] == "queued"
    assert "HttpOnly" in shop.request("GET", "/healthz")[1].get("set-cookie", "HttpOnly")
    e = s.judged(slug, body["entry"]["id"])
    assert e["status"] == "accepted", e
    summary = e["result"]["summary"]
    assert summary["date"] == truth["date"]
    assert [p["name"] for p in summary["products"]] == [TARGET]
    assert e["result"]["instant_win"]["won"] is True
    assert e["result"]["instant_win"]["prize"]["code"] == "A"
    # The stock of one is gone: another shopper accepted later cannot win it.
    s2 = Shopper(shop)
    status, body = s2.enter(slug, [receipts["ok2"][0]], email="jiro@example.jp")
    e2 = s2.judged(slug, body["entry"]["id"])
    if e2["status"] == "accepted":
        assert e2["result"]["instant_win"]["won"] is False
    # History shows the first shopper's entry only to them.
    status, _, mine = shop.json("GET", f"/t/demo/api/campaigns/{slug}/entries", headers=s.headers())
    assert [x["id"] for x in mine["entries"]] == [e["id"]]


def test_near_miss_product_is_rejected(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["other"]
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth))
    s = Shopper(shop)
    status, body = s.enter(slug, [photo])
    e = s.judged(slug, body["entry"]["id"])
    assert e["status"] in ("rejected", "review"), e
    if e["status"] == "rejected":
        assert e["reason"] == "no_target_product"
        assert "対象商品" in e["message"]


def test_purchase_outside_the_window_is_rejected(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["ok"]
    import datetime
    d = datetime.date.fromisoformat(truth["date"])
    slug = campaign(data_dir, tmp_path, purchase_period={"first": str(d + datetime.timedelta(days=1)),
                                                          "last": str(d + datetime.timedelta(days=30))})
    s = Shopper(shop)
    status, body = s.enter(slug, [photo])
    e = s.judged(slug, body["entry"]["id"])
    assert e["status"] == "rejected" and e["reason"] == "purchase_before_period", e


def test_the_same_photo_cannot_be_used_twice(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["ok"]
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth))
    first = Shopper(shop)
    e1 = first.judged(slug, first.enter(slug, [photo])[1]["entry"]["id"])
    assert e1["status"] == "accepted"
    other = Shopper(shop)
    e2 = other.judged(slug, other.enter(slug, [photo], email="someone@example.jp")[1]["entry"]["id"])
    assert e2["status"] == "rejected" and e2["reason"] in ("image_already_used", "receipt_already_used")


def test_retry_with_the_same_idempotency_key_returns_the_first_entry(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["ok"]
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth))
    s = Shopper(shop)
    status1, b1 = s.enter(slug, [photo], key="same-key-1")
    status2, b2 = s.enter(slug, [photo], key="same-key-1")
    assert (status1, status2) == (202, 200)
    assert b1["entry"]["id"] == b2["entry"]["id"]
    # Its photos were not stored twice.
    assert eventually(lambda: len(list((data_dir / "tenants").rglob("blobs/??/*"))) == 1)


def test_daily_cap(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["ok"]
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth), rules__caps={"per_day": 1})
    s = Shopper(shop)
    assert s.enter(slug, [photo])[0] == 202
    status, body = s.enter(slug, [receipts["ok2"][0]])
    assert status == 409 and body["error"]["code"] == "daily_cap_reached"
    assert "明日" in body["error"]["message"]


def test_campaign_not_open_or_not_published(shop, data_dir, tmp_path, receipts):
    photo, _ = receipts["ok"]
    ended = campaign(data_dir, tmp_path, slug="ended-one",
                     entry_period={"start": "2020-01-01T00:00:00+09:00", "end": "2020-02-01T00:00:00+09:00"})
    status, body = Shopper(shop).enter(ended, [photo])
    assert status == 409 and body["error"]["code"] == "campaign_not_open"
    draft = campaign(data_dir, tmp_path, slug="draft-one", status="draft")
    assert Shopper(shop).enter(draft, [photo])[0] == 404
    assert shop.request("GET", f"/t/demo/api/campaigns/{draft}")[0] == 404
    status, _, pub = shop.json("GET", f"/t/demo/api/campaigns/{ended}")
    assert status == 200 and pub["campaign"]["phase"] == "ended"
    assert "stock" not in json.dumps(pub)


@pytest.mark.parametrize("kwargs,code", [
    ({"email": "not-an-email"}, "invalid_email"),
    ({"email": "<script>@x.jp"}, "invalid_email"),
    ({"agree": None}, "terms_not_accepted"),
    ({"photos": []}, "no_receipt"),
    ({"photos": [b"x"] * 4}, "too_many_receipts"),
])
def test_invalid_uploads_are_refused_with_a_reason(shop, data_dir, tmp_path, receipts, kwargs, code):
    photo, truth = receipts["ok"]
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth))
    photos = kwargs.pop("photos", [photo])
    status, body = Shopper(shop).enter(slug, photos, **kwargs)
    assert status == 400 and body["error"]["code"] == code, body
    assert body["error"]["message"]
    # Nothing was kept of a refused upload.
    assert eventually(lambda: not list((data_dir / "tenants").rglob("blobs/??/*")))


def test_non_image_is_judged_not_a_receipt_and_server_survives(shop, data_dir, tmp_path, receipts):
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(receipts["ok"][1]))
    s = Shopper(shop)
    for junk in [b"%PDF-1.4 not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, b"\xff\xd8\xff" + b"\x00" * 10]:
        status, body = s.enter(slug, [junk])
        assert status == 202
        e = s.judged(slug, body["entry"]["id"])
        assert e["status"] == "rejected" and e["reason"] == "not_a_receipt_image", e
    assert shop.request("GET", "/healthz")[0] == 200


def test_oversized_upload_is_413(make_server, data_dir, tmp_path, receipts):
    run_cli(data_dir, "demo")
    srv = make_server(max_upload_bytes="64k")
    slug = campaign(data_dir, tmp_path)
    status, body = Shopper(srv).enter(slug, [b"\xff\xd8\xff" + b"\x00" * 100000])
    assert status == 413 and body["error"]["code"] == "too_large"


def test_wrong_content_type_is_415(shop, data_dir, tmp_path):
    slug = campaign(data_dir, tmp_path)
    status, _, body = shop.request("POST", f"/t/demo/api/campaigns/{slug}/entries", body=b"{}",
                                   headers={"Content-Type": "application/json"})
    assert status == 415


def test_entries_are_private_and_tenant_bound(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["ok"]
    run_cli(data_dir, "tenant", "create", "rival", "ライバル食品")
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth))
    campaign(data_dir, tmp_path, tenant="rival", purchase_period=window_around(truth))
    s = Shopper(shop)
    entry_id = s.enter(slug, [photo])[1]["entry"]["id"]
    # Without the cookie, or from another browser: not found.
    assert shop.request("GET", f"/t/demo/api/campaigns/{slug}/entries/{entry_id}")[0] == 404
    assert Shopper(shop).entry(slug, entry_id)[0] == 404
    # The same ids under another tenant: not found, even with the cookie.
    assert shop.request("GET", f"/t/rival/api/campaigns/{slug}/entries/{entry_id}", headers=s.headers())[0] == 404
    assert s.entry(slug, entry_id)[0] == 200


GOOD_ADDRESS = {"name": "山田 花子", "furigana": "やまだ はなこ", "postal_code": "1500001", "prefecture": "東京都",
                "address1": "渋谷区神宮前1-2-3", "address2": "レシートビル101", "phone": "090-1234-5678",
                "email": "Hanako@Example.jp"}


def test_winner_sends_delivery_details_sealed(shop, data_dir, tmp_path, receipts):
    photo, truth = receipts["ok"]
    slug = campaign(data_dir, tmp_path, purchase_period=window_around(truth),
                    prizes=[{"code": "A", "name": "QUOカード", "value": 1000, "stock": 5, "probability_ppm": 1000000}])
    s = Shopper(shop)
    e = s.judged(slug, s.enter(slug, [photo])[1]["entry"]["id"])
    win_id = e["result"]["instant_win"]["win_id"]
    url = f"/t/demo/api/campaigns/{slug}/wins/{win_id}/delivery"
    bad = dict(GOOD_ADDRESS, furigana="Yamada", postal_code="12-34", prefecture="東京", phone="12345",
               email="nope", name="")
    status, _, body = shop.json("POST", url, body=bad, headers=s.headers())
    assert status == 400
    assert set(body["error"]["fields"]) == {"furigana", "postal_code", "prefecture", "phone", "email", "name"}
    assert "ひらがな" in body["error"]["fields"]["furigana"]
    # Another browser cannot claim it; a page of another site cannot post it.
    assert shop.json("POST", url, body=GOOD_ADDRESS, headers=Shopper(shop).headers())[0] == 404
    cross = dict(s.headers(), Origin="https://evil.example")
    assert shop.json("POST", url, body=GOOD_ADDRESS, headers=cross)[0] == 403
    name = GOOD_ADDRESS["name"] + "<script>alert(1)</script>"
    status, _, body = shop.json("POST", url, body=dict(GOOD_ADDRESS, name=name, extra="dropped"), headers=s.headers())
    assert status == 200 and body["win"]["status"] == "claimed" and body["win"]["delivery_sent"] is True
    # At rest the details are ciphertext only.
    import sqlite3
    db = next((data_dir / "tenants").glob("*/tenant.db"))
    con = sqlite3.connect(db)
    (blob,) = con.execute("SELECT delivery FROM wins WHERE id = ?", (win_id,)).fetchone()
    (email_blob,) = con.execute("SELECT email_sealed FROM participants").fetchone()
    con.close()
    for secret in ["山田".encode(), b"1234-5678", b"150-0001", b"hanako"]:
        assert secret not in bytes(blob) and secret not in bytes(email_blob)
