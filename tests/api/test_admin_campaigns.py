"""The campaign editor's staff API: list, get, create, update with a version
(a stale save is 409), publish/pause/end, duplicate, target products from
CSV (hostile files too), the participant-page preview of a draft, "test the
reader" on rendered receipts, tenant isolation and the audit records."""
import copy
import json
import sqlite3
import sys
import time
import uuid

import pytest

from conftest import OPS_TOKEN, ROOT, eventually
from staff import OWNER, OWNER_PW, STAFF_PW, add_user, audit, cli_input, login, tenant_db
from staff import owner, srv  # noqa: F401 (fixtures)

sys.path.insert(0, str(ROOT / "tests/receipts"))
import gen  # noqa: E402

BASE = json.loads((ROOT / "demo/campaign.json").read_text())
TARGET = "ポテトチップス うすしお"


def definition(**changes):
    d = copy.deepcopy(BASE)
    d["slug"] = "spring-tea"
    d["title"] = "春のお茶キャンペーン"
    d["status"] = "published"  # never taken from a client: a new campaign is a draft
    for key, value in changes.items():
        target = d
        *path, last = key.split("__")
        for p in path:
            target = target.setdefault(p, {})
        target[last] = value
    return d


def create(owner, **changes):
    status, _, body = owner.req("POST", "/campaigns", {"definition": definition(**changes)})
    assert status == 201, body
    return body["campaign"]


def public_status(srv, slug):
    return srv.request("GET", f"/t/demo/api/campaigns/{slug}")[0]


def test_create_get_update_and_a_stale_save(srv, owner):
    c = create(owner)
    assert c["status"] == "draft" and c["version"] == 1 and c["slug"] == "spring-tea"
    assert c["definition"]["status"] == "draft" and c["definition"]["title"] == "春のお茶キャンペーン"
    assert {p["code"]: p["stock"] for p in c["prizes"]} == {"A": 50, "B": 100}
    assert c["entries"]["total"] == 0
    # Drafts stay invisible to shoppers.
    assert public_status(srv, "spring-tea") == 404

    status, _, got = owner.req("GET", f"/campaigns/{c['id']}")
    assert status == 200 and got["campaign"]["definition"] == c["definition"]

    d = c["definition"]
    d["title"] = "春のお茶キャンペーン 第2弾"
    d["prizes"][0]["stock"] = 10
    d["status"] = "published"  # ignored: only a transition publishes
    status, _, body = owner.req("PUT", f"/campaigns/{c['id']}", {"version": 1, "definition": d})
    assert status == 200, body
    assert body["campaign"]["version"] == 2 and body["campaign"]["status"] == "draft"
    assert body["campaign"]["title"] == "春のお茶キャンペーン 第2弾"
    assert {p["code"]: p["stock"] for p in body["campaign"]["prizes"]}["A"] == 10

    # A second editor still holding version 1 is refused, and nothing changes.
    d["title"] = "上書きされてはいけない"
    status, _, body = owner.req("PUT", f"/campaigns/{c['id']}", {"version": 1, "definition": d})
    assert status == 409 and body["error"]["code"] == "stale_version"
    assert "読み込み直して" in body["error"]["message"]
    got = owner.req("GET", f"/campaigns/{c['id']}")[2]["campaign"]
    assert got["version"] == 2 and got["title"] == "春のお茶キャンペーン 第2弾"

    # A removed prize course goes (nobody won it); the list shows the rest.
    d["title"] = got["title"]
    d["prizes"] = d["prizes"][:1]
    status, _, body = owner.req("PUT", f"/campaigns/{c['id']}", {"version": 2, "definition": d})
    assert status == 200 and [p["code"] for p in body["campaign"]["prizes"]] == ["A"]

    recs = audit(owner, action="campaign.update")
    assert [r["outcome"] for r in recs] == ["success", "failure", "success"]
    assert all(r["object_id"] == c["id"] and r["object_type"] == "campaign" for r in recs)
    assert len(audit(owner, action="campaign.create")) == 1


def test_validation_errors_come_back_at_the_field(srv, owner):
    d = definition()
    d["prizes"][1]["stock"] = -1
    d["title"] = ""
    d["rules"]["target_products"][0]["jan"] = "123"
    d["entry_period"]["end"] = "2020-01-01T00:00:00+09:00"
    status, _, body = owner.req("POST", "/campaigns", {"definition": d})
    assert status == 400 and body["error"]["code"] == "invalid_input"
    f = body["error"]["fields"]
    assert set(f) == {"prizes[1].stock", "title", "rules.target_products[0].jan", "entry_period.end"}
    assert f["prizes[1].stock"] == "0〜100000000の整数で入力してください。"
    assert f["title"] == "入力してください。"
    # In English when the console asks for it.
    status, _, body = owner.req("POST", "/campaigns", {"definition": d}, headers={"Accept-Language": "en"})
    assert body["error"]["fields"]["prizes[1].stock"] == "A whole number from 0 to 100000000."
    # No definition, no version: named too.
    status, _, body = owner.req("POST", "/campaigns", {"title": "x"})
    assert status == 400 and "definition" in body["error"]["fields"]
    c = create(owner)
    status, _, body = owner.req("PUT", f"/campaigns/{c['id']}", {"definition": c["definition"]})
    assert status == 400 and "version" in body["error"]["fields"]
    # Nothing was created by the refused requests.
    assert [x["slug"] for x in owner.req("GET", "/campaigns")[2]["campaigns"]] == ["spring-tea"]


def test_slug_is_unique_and_fixed_once_published(srv, owner):
    c = create(owner)
    status, _, body = owner.req("POST", "/campaigns", {"definition": definition()})
    assert status == 409 and "slug" in body["error"]["fields"]
    # A draft may still change its URL.
    d = c["definition"]
    d["slug"] = "spring-tea-2026"
    status, _, body = owner.req("PUT", f"/campaigns/{c['id']}", {"version": 1, "definition": d})
    assert status == 200 and body["campaign"]["slug"] == "spring-tea-2026"
    assert owner.req("POST", f"/campaigns/{c['id']}/publish", {"version": 2})[0] == 200
    assert public_status(srv, "spring-tea-2026") == 200
    d["slug"] = "renamed"
    status, _, body = owner.req("PUT", f"/campaigns/{c['id']}", {"version": 3, "definition": d})
    assert status == 400 and body["error"]["fields"]["slug"] == "公開したキャンペーンのURLは変更できません。"


def test_status_transitions_and_impossible_ones(srv, owner):
    c = create(owner)
    cid = c["id"]

    def go(action, version=None):
        return owner.req("POST", f"/campaigns/{cid}/{action}", {"version": version} if version else None)

    for action in ("pause", "end"):
        status, _, body = go(action)
        assert status == 409 and body["error"]["code"] == "invalid_transition" and "公開前" in body["error"]["message"]
    status, _, body = go("publish", version=7)
    assert status == 409 and body["error"]["code"] == "stale_version"
    status, _, body = go("publish", version=1)
    assert status == 200 and body["campaign"]["status"] == "published" and body["campaign"]["phase"] == "open"
    assert body["campaign"]["definition"]["status"] == "published"
    assert public_status(srv, "spring-tea") == 200
    status, _, body = go("publish")
    assert status == 409 and body["error"]["message"] == "すでに公開中です。"
    assert go("pause")[2]["campaign"]["status"] == "paused"
    assert go("publish")[2]["campaign"]["status"] == "published"
    assert go("end")[2]["campaign"]["status"] == "ended"
    status, _, body = go("publish")
    assert status == 409 and "複製" in body["error"]["message"]
    # Publishing after the entry period is refused with the reason.
    late = create(owner, slug="late", entry_period={"start": "2020-01-01T00:00:00+09:00",
                                                     "end": "2020-02-01T00:00:00+09:00"})
    status, _, body = owner.req("POST", f"/campaigns/{late['id']}/publish")
    assert status == 409 and "応募期間" in body["error"]["message"]
    outcomes = {a: [r["outcome"] for r in audit(owner, action=f"campaign.{a}")] for a in ("publish", "pause", "end")}
    # newest first
    assert outcomes == {"publish": ["failure", "failure", "success", "failure", "success", "failure"],
                        "pause": ["success", "failure"], "end": ["success", "failure"]}


def test_list_shows_entry_counts_and_prize_stock(srv, owner, data_dir):
    c = create(owner)
    owner.req("POST", f"/campaigns/{c['id']}/publish")
    con = sqlite3.connect(tenant_db(data_dir))
    con.execute("INSERT INTO participants(id, email_hash, email_sealed, created_at) VALUES ('p1', 'h', x'00', 't')")
    for i, st in enumerate(["accepted", "accepted", "rejected", "review"]):
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, campaign_day, created_at)"
                    " VALUES (?, ?, 'p1', ?, 1, 1)", (f"e{i}", c["id"], st))
    con.execute("UPDATE prizes SET stock = stock - 3, won = 3 WHERE campaign_id = ? AND code = 'A'", (c["id"],))
    con.commit()
    con.close()
    status, _, body = owner.req("GET", "/campaigns")
    assert status == 200
    row = body["campaigns"][0]
    assert row["id"] == c["id"] and row["status"] == "published" and "definition" not in row
    assert row["entries"] == {"total": 4, "accepted": 2, "rejected": 1, "review": 1, "queued": 0, "reading": 0}
    assert {p["code"]: (p["stock"], p["won"]) for p in row["prizes"]} == {"A": (47, 3), "B": (100, 0)}
    assert row["entry_period"]["start"].startswith("2025-12-31T15:00:00")
    # Raising the stock to 60 leaves 57 once 3 were won.
    d = owner.req("GET", f"/campaigns/{c['id']}")[2]["campaign"]
    d["definition"]["prizes"][0]["stock"] = 60
    status, _, body = owner.req("PUT", f"/campaigns/{c['id']}", {"version": d["version"], "definition": d["definition"]})
    assert {p["code"]: p["stock"] for p in body["campaign"]["prizes"]}["A"] == 57


def test_duplicate_makes_a_draft_copy(srv, owner):
    c = create(owner)
    owner.req("POST", f"/campaigns/{c['id']}/publish")
    status, _, body = owner.req("POST", f"/campaigns/{c['id']}/duplicate")
    assert status == 201, body
    copy1 = body["campaign"]
    assert copy1["slug"] == "spring-tea-copy" and copy1["status"] == "draft" and copy1["version"] == 1
    assert copy1["title"] == "春のお茶キャンペーン（コピー）" and copy1["id"] != c["id"]
    assert copy1["definition"]["rules"] == c["definition"]["rules"]
    assert owner.req("POST", f"/campaigns/{c['id']}/duplicate")[2]["campaign"]["slug"] == "spring-tea-copy-2"
    status, _, body = owner.req("POST", f"/campaigns/{c['id']}/duplicate", {"slug": "Bad Slug"})
    assert status == 400 and "slug" in body["error"]["fields"]
    status, _, body = owner.req("POST", f"/campaigns/{c['id']}/duplicate", {"slug": "spring-tea"})
    assert status == 409 and "slug" in body["error"]["fields"]
    status, _, body = owner.req("POST", f"/campaigns/{c['id']}/duplicate", {"slug": "autumn-tea"},
                                headers={"Accept-Language": "en"})
    assert status == 201 and body["campaign"]["title"] == "春のお茶キャンペーン (copy)"
    recs = audit(owner, action="campaign.duplicate")
    assert [r["outcome"] for r in recs] == ["success", "failure", "success", "success"]
    assert recs[-1]["object_id"] == copy1["id"]


def test_preview_shows_a_draft_to_staff_only(srv, owner):
    c = create(owner)
    d = c["definition"]
    d["title"] = "まだ保存していないタイトル"
    status, _, body = owner.req("POST", "/campaigns/preview", {"definition": d})
    assert status == 200
    p = body["campaign"]
    assert p["title"] == "まだ保存していないタイトル" and p["phase"] == "draft"
    assert p["target_products"] == [x["name"] for x in d["rules"]["target_products"]]
    assert all("stock" not in x for x in p["prizes"])
    d["prizes"][0]["stock"] = "many"
    status, _, body = owner.req("POST", "/campaigns/preview", {"definition": d})
    assert status == 400 and "prizes[0].stock" in body["error"]["fields"]
    # The public API keeps refusing the draft.
    assert public_status(srv, "spring-tea") == 404
    assert srv.request("GET", "/t/demo/api/campaigns")[2].count(b"spring-tea") == 0


# ---- target products from CSV ----

def import_csv(owner, cid, data, version, mode=None, lang=None):
    q = f"version={version}" + (f"&mode={mode}" if mode else "")
    h = {"Content-Type": "text/csv"}
    if lang:
        h["Accept-Language"] = lang
    return owner.req("POST", f"/campaigns/{cid}/products/import?{q}", data, headers=h)


def jan13(prefix12):
    s = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(prefix12))
    return prefix12 + str((10 - s % 10) % 10)


def test_import_products_from_csv_in_utf8_and_shift_jis(srv, owner):
    c = create(owner)
    jan = jan13("490123456789")
    csv = ("商品名,表記ゆれ,JANコード,単価\r\n"
           f"緑茶 500ml,ﾘｮｸﾁｬ 500ML|緑茶500ml／ﾘｮｸﾁｬ500,{jan},\"¥1,280\"\r\n"
           "\"ほうじ茶 \"\"焙煎\"\" 500ml\",ﾎｳｼﾞﾁｬ,,128\r\n"
           "\r\n"
           "麦茶　２Ｌ,,,１９８円\r\n")
    status, _, body = import_csv(owner, c["id"], b"\xef\xbb\xbf" + csv.encode(), 1)
    assert status == 200, body
    assert body["imported"] == 3 and body["campaign"]["version"] == 2
    products = body["campaign"]["definition"]["rules"]["target_products"]
    assert products == [
        {"name": "緑茶 500ml", "aliases": ["ﾘｮｸﾁｬ 500ML", "緑茶500ml", "ﾘｮｸﾁｬ500"], "jan": jan, "unit_price": 1280},
        {"name": 'ほうじ茶 "焙煎" 500ml', "aliases": ["ﾎｳｼﾞﾁｬ"], "unit_price": 128},
        {"name": "麦茶　２Ｌ", "aliases": [], "unit_price": 198},
    ]
    # Shift_JIS (CP932, as older Excel saves it), no header: columns in order; appended.
    sjis = "ウーロン茶 ５００ｍｌ,ｳｰﾛﾝ茶|烏龍茶,,150\r\n㈱お茶本舗 ジャスミン茶,,,\r\n".encode("cp932")
    status, _, body = import_csv(owner, c["id"], sjis, 2, mode="append")
    assert status == 200, body
    names = [p["name"] for p in body["campaign"]["definition"]["rules"]["target_products"]]
    assert names == ["緑茶 500ml", 'ほうじ茶 "焙煎" 500ml', "麦茶　２Ｌ", "ウーロン茶 ５００ｍｌ", "㈱お茶本舗 ジャスミン茶"]
    # Replace (the default) with a tab-separated file.
    status, _, body = import_csv(owner, c["id"], "name\taliases\n紅茶\tｺｳﾁｬ\n".encode(), 3)
    assert status == 200 and [p["name"] for p in body["campaign"]["definition"]["rules"]["target_products"]] == ["紅茶"]
    # A stale version is refused like any other save.
    status, _, body = import_csv(owner, c["id"], "紅茶\n".encode(), 3)
    assert status == 409 and body["error"]["code"] == "stale_version"
    recs = audit(owner, action="campaign.products.import")
    assert [r["outcome"] for r in recs] == ["failure", "success", "success", "success"]  # newest first


@pytest.mark.parametrize("data, key, words", [
    (b"", "csv", "空"),
    (b"name,aliases\n", "csv", "商品がありません"),
    (b"name\n\x81\x20tea\n", "csv", "文字コード"),                       # neither UTF-8 nor CP932
    (b"\xef\xbb\xbf\xe7\xb7\x91\xff,\n", "csv", "文字コード"),            # BOM says UTF-8, bytes disagree
    (b"PK\x03\x04" + b"\x00" * 40, "csv", "Excel"),
    (b"name\n" + b"a" * 9000 + b"\n", "csv[2].row", "長すぎ"),
    (("name\n" + "".join(f"商品{i}\n" for i in range(201))).encode(), "csv", "200件"),
    (b"name,aliases\n=HYPERLINK(\"http://x\"),a\n", "csv[2].name", "数式"),
    (b"name,aliases\n\xe7\xb7\x91\xe8\x8c\xb6,@SUM(A1)\n", "csv[2].aliases", "数式"),
    (b"name,jan\n\xe7\xb7\x91\xe8\x8c\xb6,4.90123E+12\n", "csv[2].jan", "指数表記"),
    (b"name,jan\n\xe7\xb7\x91\xe8\x8c\xb6,4901234567890\n", "csv[2].jan", "チェックディジット"),
    (b"name,unit_price\n\xe7\xb7\x91\xe8\x8c\xb6,abc\n", "csv[2].unit_price", "単価"),
    (b"name\n\"unclosed\n", "csv[2].row", "引用符"),
    (b"name\nsame\nsame\n", "csv[3].name", "2行目"),
    (b"jan\n4901234567894\n", "csv[1].row", "商品名"),
    (b"name\n" + b"x\x00y\n", "csv", "CSV"),
], ids=["empty", "header-only", "not-sjis", "bad-bom", "xlsx", "huge-line", "too-many-rows", "formula-name",
        "formula-alias", "jan-exponent", "jan-check-digit", "price", "unclosed-quote", "duplicate", "no-name-column",
        "nul"])
def test_hostile_csv_is_refused_at_the_line_and_changes_nothing(srv, owner, data, key, words):
    c = create(owner)
    status, _, body = import_csv(owner, c["id"], data, 1)
    assert status == 400, body
    fields = body["error"]["fields"]
    assert key in fields and words in fields[key], fields
    got = owner.req("GET", f"/campaigns/{c['id']}")[2]["campaign"]
    assert got["version"] == 1 and got["definition"]["rules"] == c["definition"]["rules"]


def test_oversized_csv_is_413_and_english_messages(srv, owner):
    c = create(owner)
    # Refused on its Content-Length, before a byte of the body is read.
    head = (f"POST /t/demo/api/admin/campaigns/{c['id']}/products/import?version=1 HTTP/1.1\r\n"
            f"Host: x\r\nCookie: recam_s={owner.token}\r\nX-CSRF-Token: {owner.csrf}\r\n"
            f"Content-Type: text/csv\r\nContent-Length: {(1 << 20) + 1}\r\n\r\n").encode()
    assert srv.raw(head + b"name\n").startswith(b"HTTP/1.1 413")
    status, _, body = import_csv(owner, c["id"], b"name,unit_price\nx,-5\n", 1, lang="en")
    assert status == 400 and "formulas" in body["error"]["fields"]["csv[2].unit_price"]
    status, _, body = import_csv(owner, c["id"], b"x", 1, mode="merge")
    assert status == 400 and "mode" in body["error"]["fields"]


# ---- other tenants and roles ----

def test_another_tenants_campaign_ids_are_404_and_change_nothing(srv, owner, data_dir):
    c = create(owner)
    assert srv.json("POST", "/ops/api/tenants", {"slug": "acme", "name": "Acme"}, token=OPS_TOKEN)[0] == 201
    p = cli_input(data_dir, STAFF_PW + "\n", "user", "add", "acme", "boss@acme.example", "Boss", "--role", "owner")
    assert p.returncode == 0, p.stderr
    acme = login(srv, "boss@acme.example", STAFF_PW, slug="acme")
    cid = c["id"]
    for method, path, body in [("GET", f"/campaigns/{cid}", None),
                               ("PUT", f"/campaigns/{cid}", {"version": 1, "definition": c["definition"]}),
                               ("POST", f"/campaigns/{cid}/publish", None),
                               ("POST", f"/campaigns/{cid}/pause", None),
                               ("POST", f"/campaigns/{cid}/end", None),
                               ("POST", f"/campaigns/{cid}/duplicate", None),
                               ("GET", f"/campaigns/{cid}/reader-tests/zzzzzzzzzzzzzzzzzzzzzzzzzz", None)]:
        status, _, resp = acme.req(method, path, body)
        assert status == 404, (method, path, status, resp)
    status, _, _ = import_csv(acme, cid, "紅茶\n".encode(), 1)
    assert status == 404
    assert acme.req("GET", "/campaigns")[2]["campaigns"] == []
    got = owner.req("GET", f"/campaigns/{cid}")[2]["campaign"]
    assert got["version"] == 1 and got["status"] == "draft"
    assert [x["slug"] for x in owner.req("GET", "/campaigns")[2]["campaigns"]] == ["spring-tea"]


def test_viewer_reads_but_cannot_edit(srv, owner):
    c = create(owner)
    add_user(owner, "viewer@demo.example", "viewer")
    viewer = login(srv, "viewer@demo.example", STAFF_PW)
    assert viewer.req("GET", "/campaigns")[0] == 200
    assert viewer.req("GET", f"/campaigns/{c['id']}")[0] == 200
    assert viewer.req("POST", "/campaigns/preview", {"definition": c["definition"]})[0] == 200
    assert viewer.req("PUT", f"/campaigns/{c['id']}", {"version": 1, "definition": c["definition"]})[0] == 403
    assert viewer.req("POST", f"/campaigns/{c['id']}/publish")[0] == 403
    assert "campaigns.test" not in viewer.body["perms"] and "campaigns.test" in owner.body["perms"]


# ---- test the reader ----

def multipart(photos):
    boundary = "----recamtest" + uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="receipt"; filename="r{i}.png"\r\n'
             f'Content-Type: image/png\r\n\r\n'.encode() + data + b"\r\n" for i, data in enumerate(photos)]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def send_test(staff, cid, photos):
    body, ct = multipart(photos)
    return staff.req("POST", f"/campaigns/{cid}/reader-tests", body, headers={"Content-Type": ct})


def wait_result(staff, cid, tid, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, body = staff.req("GET", f"/campaigns/{cid}/reader-tests/{tid}")
        assert status == 200, body
        if body["test"]["status"] in ("done", "failed"):
            return body["test"]
        time.sleep(0.3)
    raise AssertionError("the reader test did not finish")


def blob_files(data_dir):
    return sorted(p.name for p in data_dir.glob("tenants/*/blobs/*/*"))


def test_reader_test_reads_and_judges_without_an_entry(make_server, data_dir, tmp_path):
    srv = make_server(demo_password=OWNER_PW, reader_workers=1)
    owner = login(srv, OWNER, OWNER_PW)
    truth = gen.make_receipt_with([TARGET], tmp_path, rid="ok", seed=5, levels=["clean"])
    photo = (tmp_path / truth["images"][0]["file"]).read_bytes()
    c = create(owner)  # a draft: staff test before launch
    status, _, body = send_test(owner, c["id"], [photo])
    assert status == 202, body
    t = wait_result(owner, c["id"], body["test"]["id"])
    assert t["status"] == "done"
    j = t["result"]["judgement"]
    assert j["status"] == "accepted", j
    assert [p["name"] for p in j["summary"]["products"]] == [TARGET]
    assert j["total_amount"] == truth["total"]
    r = t["result"]["receipts"][0]
    assert r["total"]["value"] == truth["total"] and 0 < r["total"]["confidence"] <= 1
    assert all(len(line["box"]) == 4 for line in r["lines"]) and len(r["lines"]) > 5
    assert r["matches"] and r["matches"][0]["product"] == TARGET
    assert "prep" in r and "image" in r and "worker" not in r
    # No entry, no stock used, the photo not kept.
    con = sqlite3.connect(tenant_db(data_dir))
    assert con.execute("SELECT count(*) FROM entries").fetchone() == (0,)
    assert con.execute("SELECT sum(won) FROM prizes").fetchone() == (0,)
    con.close()
    eventually(lambda: blob_files(data_dir) == [])
    assert [r["outcome"] for r in audit(owner, action="campaign.reader_test")] == ["success"]

    # A file that is not a photo is judged as a shopper's would be.
    status, _, body = send_test(owner, c["id"], [b"%PDF-1.4 not an image"])
    assert status == 202
    t = wait_result(owner, c["id"], body["test"]["id"])
    assert t["result"]["judgement"]["status"] == "rejected"
    assert t["result"]["judgement"]["reason"] == "not_a_receipt_image"
    assert "JPEG" in t["result"]["judgement"]["message"]
    # Refusals at the door.
    status, _, body = send_test(owner, c["id"], [])
    assert status == 400 and body["error"]["code"] == "no_receipt"
    status, _, body = send_test(owner, c["id"], [b"x"] * 11)
    assert status == 400 and body["error"]["code"] == "too_many_receipts"
    status, _, body = owner.req("POST", f"/campaigns/{c['id']}/reader-tests", b"{}",
                                headers={"Content-Type": "application/json"})
    assert status == 415
    assert send_test(owner, "zzzzzzzzzzzzzzzzzzzzzzzzzz", [photo])[0] == 404
    eventually(lambda: blob_files(data_dir) == [])


def test_reader_test_without_readers_is_503(srv, owner, data_dir):
    c = create(owner)
    status, hdrs, body = send_test(owner, c["id"], [b"\x89PNG\r\n\x1a\n"])
    assert status == 503 and body["error"]["code"] == "reader_unavailable" and hdrs["retry-after"]
    eventually(lambda: blob_files(data_dir) == [])
