"""Winners and shipping in the admin console, on real wins: two shoppers enter
generated receipts, win instantly and send their delivery details. Staff
read them (decrypted for owners, masked for viewers, the read audited), mark
shipping, upload a tracking-number file (UTF-8 or Shift_JIS; a report per
line; nothing applied from a malformed file) and export the winners as CSV,
Shift_JIS CSV and .xlsx (a personal-data export, audited). The claim
deadline closes the shopper's delivery form."""
import csv
import io
import sqlite3

import pytest

from conftest import ROOT, run_cli
from staff import OWNER, OWNER_PW, STAFF_PW, add_user, audit, cli_input, login, set_clock, tenant_db
from test_entries import GOOD_ADDRESS, Shopper, campaign, gen

DAY = 86400
HANAKO = GOOD_ADDRESS
TARO = dict(GOOD_ADDRESS, name="佐藤　太郎", furigana="さとう たろう", postal_code="100-0001", prefecture="北海道",
            address1="札幌市中央区1-1", address2="", phone="011-222-3333", email="taro@example.jp")


# Seeds of generated receipts bought in 2025 (the purchase window below), in
# the order they are tried: the reader may refuse a render, so the fixture
# takes the first two that win.
SEEDS_2025 = [6, 13, 15, 17, 16, 3, 4]


@pytest.fixture(scope="module")
def receipts_2025(tmp_path_factory):
    d = tmp_path_factory.mktemp("receipts2025")
    out = []
    for seed in SEEDS_2025:
        truth = gen.make_receipt_with(["ポテトチップス うすしお"], d, rid=f"r{seed}", seed=seed, levels=["clean"])
        assert truth["date"].startswith("2025-"), truth["date"]
        out.append(d / f"r{seed}-clean.png")
    return out


@pytest.fixture
def world(make_server, data_dir, tmp_path, receipts_2025):
    """The demo tenant; a campaign where every accepted entry wins prize A;
    two shoppers who won and sent their details; the owner logged in."""
    run_cli(data_dir, "demo", str(ROOT / "demo/campaign.json"), demo_password=OWNER_PW)
    slug = campaign(data_dir, tmp_path, slug="quo-spring", purchase_period={"first": "2025-01-01", "last": "2025-12-31"},
                    prizes=[{"code": "A", "name": "QUOカード 1,000円分", "value": 1000, "stock": 5,
                             "probability_ppm": 1000000}], draw="none", rules__review_threshold=0.0)
    srv = make_server(create_demo=False, reader_workers=1, workers=1)
    shoppers = []
    forms = [("hanako@example.jp", HANAKO), ("taro@example.jp", TARO)]
    for photo in receipts_2025:
        if len(shoppers) == 2:
            break
        email, form = forms[len(shoppers)]
        s = Shopper(srv)
        status, body = s.enter(slug, [photo], email=email)
        assert status == 202, body
        e = s.judged(slug, body["entry"]["id"])
        if e["status"] != "accepted":
            continue
        win_id = e["result"]["instant_win"]["win_id"]
        status, _, body = srv.json("POST", f"/t/demo/api/campaigns/{slug}/wins/{win_id}/delivery", body=form,
                                   headers=s.headers())
        assert status == 200, body
        shoppers.append((s, win_id, e["id"]))
    assert len(shoppers) == 2, "the reader accepted fewer than two of the generated receipts"
    con = sqlite3.connect(tenant_db(data_dir))
    (cid,) = con.execute("SELECT id FROM campaigns WHERE slug = ?", (slug,)).fetchone()
    # A third win, never claimed (no details): made directly.
    con.execute("INSERT INTO participants VALUES ('p-late', 'h-late', x'00', 'now')")
    con.execute("INSERT INTO wins(id, campaign_id, participant_id, prize_code, kind, claim_deadline, created_at)"
                " VALUES ('wunclaimed0000000000000000', ?, 'p-late', 'A', 'instant', 4102444800, 3)", (cid,))
    con.commit()
    con.close()
    return {"srv": srv, "slug": slug, "cid": cid, "shoppers": shoppers, "owner": login(srv, OWNER, OWNER_PW)}


@pytest.fixture
def light(make_server, data_dir):
    """Without the reader: the demo campaign and one claimed win made directly
    (shipping needs only the status), for the file-format tests."""
    run_cli(data_dir, "demo", str(ROOT / "demo/campaign.json"), demo_password=OWNER_PW)
    con = sqlite3.connect(tenant_db(data_dir))
    (cid,) = con.execute("SELECT id FROM campaigns WHERE slug = 'potato-winter'").fetchone()
    con.execute("INSERT INTO participants VALUES ('p-1', 'h-1', x'00', 'now')")
    con.execute("INSERT INTO wins(id, campaign_id, participant_id, prize_code, kind, status, claim_deadline,"
                " created_at) VALUES ('wclaimed00000000000000000', ?, 'p-1', 'A', 'instant', 'claimed', 4102444800, 3)",
                (cid,))
    con.commit()
    con.close()
    srv = make_server(create_demo=False)
    return {"srv": srv, "cid": cid, "owner": login(srv, OWNER, OWNER_PW), "w1": "wclaimed00000000000000000"}


def winners(staff, cid, query=""):
    status, _, body = staff.req("GET", f"/campaigns/{cid}/winners{query}")
    assert status == 200, body
    return body


def test_winners_list_full_for_owner_masked_for_viewer(world):
    srv, cid, owner = world["srv"], world["cid"], world["owner"]
    (_, w1, e1), (_, w2, _) = world["shoppers"]
    body = winners(owner, cid)
    assert body["pii"] is True and body["counts"] == {"won": 1, "claimed": 2, "shipped": 0, "forfeited": 0}
    by_id = {w["id"]: w for w in body["winners"]}
    assert set(by_id) == {w1, w2, "wunclaimed0000000000000000"}
    d = by_id[w1]["delivery"]
    assert d["name"] == "山田 花子" and d["postal_code"] == "150-0001" and d["email"] == "hanako@example.jp"
    assert by_id[w1]["entry_id"] == e1 and by_id[w1]["prize"]["name"] == "QUOカード 1,000円分"
    assert by_id["wunclaimed0000000000000000"]["delivery"] is None
    assert by_id[w1]["status"] == "claimed" and by_id[w1]["kind"] == "instant"

    add_user(owner, "viewer@demo.example", "viewer")
    viewer = login(srv, "viewer@demo.example", STAFF_PW)
    masked = {w["id"]: w for w in winners(viewer, cid)["winners"]}
    m1, m2 = masked[w1]["delivery"], masked[w2]["delivery"]
    assert m1["name"] == "山田 **" and m1["furigana"] == "やまだ **" and m1["postal_code"] == "150-****"
    assert m1["phone"] == "***-****-5678" and m1["email"] == "h***@example.jp" and m1["address1"] == "****"
    assert m1["prefecture"] == "東京都"
    assert m2["name"] == "佐藤 **" and m2["address2"] == "" and m2["phone"] == "***-****-3333"
    raw = str(masked)
    for secret in ("花子", "神宮前", "1234-5678", "hanako@", "太郎", "札幌"):
        assert secret not in raw, secret
    # Reading them is recorded, masked or not.
    assert len(audit(owner, action="winners.read")) == 1
    assert len(audit(owner, action="winners.read_masked")) == 1
    # Filters and paging.
    assert [w["id"] for w in winners(owner, cid, "?status=won")["winners"]] == ["wunclaimed0000000000000000"]
    page = winners(owner, cid, "?limit=2")
    assert len(page["winners"]) == 2 and page["next_cursor"]
    rest = winners(owner, cid, f"?limit=2&cursor={page['next_cursor']}")
    assert len(rest["winners"]) == 1 and rest["next_cursor"] is None
    assert {w["id"] for w in page["winners"] + rest["winners"]} == set(by_id)
    for q, field in [("?status=lost", "status"), ("?kind=x", "kind"), ("?limit=0", "limit"), ("?cursor=abc", "cursor")]:
        status, _, b = owner.req("GET", f"/campaigns/{cid}/winners{q}")
        assert status == 400 and field in b["error"]["fields"], q


def test_shipping_one_winner(world):
    cid, owner = world["cid"], world["owner"]
    (_, w1, _), _ = world["shoppers"]
    url = f"/campaigns/{cid}/winners/{w1}/shipping"
    status, _, body = owner.req("PATCH", url, {"status": "shipped", "carrier": "", "tracking_number": "12",
                                               "shipped_on": "2999-01-01"})
    assert status == 400 and set(body["error"]["fields"]) == {"carrier", "tracking_number", "shipped_on"}
    status, _, body = owner.req("PATCH", url, {"status": "shipped", "carrier": "ヤマト運輸",
                                               "tracking_number": "１２３４－５６７８－９０１２", "version": 1})
    assert status == 200, body
    w = body["winner"]
    assert w["status"] == "shipped" and w["shipping"]["tracking_number"] == "1234-5678-9012"
    assert w["shipping"]["carrier"] == "ヤマト運輸" and len(w["shipping"]["shipped_on"]) == 10 and w["version"] == 2
    # A stale version is refused; the current one goes back to pending.
    status, _, body = owner.req("PATCH", url, {"status": "pending", "version": 1})
    assert status == 409 and body["error"]["code"] == "stale"
    status, _, body = owner.req("PATCH", url, {"status": "pending", "version": 2})
    assert status == 200 and body["winner"]["status"] == "claimed" and body["winner"]["shipping"] is None
    # No details yet: cannot ship.
    status, _, body = owner.req("PATCH", f"/campaigns/{cid}/winners/wunclaimed0000000000000000/shipping",
                                {"status": "shipped", "carrier": "佐川急便", "tracking_number": "123456789012"})
    assert status == 409 and body["error"]["code"] == "not_claimed"
    # Newest first: each change and each refusal is recorded.
    assert [r["outcome"] for r in audit(owner, action="win.ship")] == ["failure", "success"]
    assert [r["outcome"] for r in audit(owner, action="win.unship")] == ["success", "failure"]


def upload(staff, cid, data, dry_run=False):
    q = "?dry_run=true" if dry_run else ""
    return staff.req("POST", f"/campaigns/{cid}/winners/shipping-csv{q}", data, headers={"Content-Type": "text/csv"})


def shipped(srv):
    con = sqlite3.connect(tenant_db(srv.data_dir))
    rows = dict(con.execute("SELECT id, tracking_number FROM wins WHERE status = 'shipped'").fetchall())
    con.close()
    return rows


def test_tracking_file_report_per_line(world):
    srv, cid, owner = world["srv"], world["cid"], world["owner"]
    (_, w1, _), (_, w2, e2) = world["shoppers"]
    text = ("当選ID,応募ID,配送業者,追跡番号,発送日,メモ\r\n"
            f"{w1},,ヤマト運輸,1234-5678-9012,,ok\r\n"
            f",{e2},日本郵便,EJ123456789JP,2026-01-05,by entry id\r\n"
            "nosuchwin,,佐川急便,111122223333,,unknown\r\n"
            f"{w1},,佐川急便,999988887777,,duplicate\r\n"
            "wunclaimed0000000000000000,,佐川急便,123412341234,,not claimed\r\n"
            "\r\n"
            ",,,,,\r\n")
    # A dry run reports and changes nothing.
    status, _, rep = upload(owner, cid, text.encode(), dry_run=True)
    assert status == 200, rep
    assert rep["dry_run"] is True and rep["encoding"] == "utf-8" and rep["applied"] == 2 and rep["refused"] == 3
    assert shipped(srv) == {}
    status, _, rep = upload(owner, cid, text.encode())
    assert status == 200, rep
    got = [(ln["line"], ln["result"], ln["code"]) for ln in rep["lines"]]
    assert got == [(2, "applied", "applied"), (3, "applied", "applied"), (4, "refused", "not_found"),
                   (5, "refused", "duplicate"), (6, "refused", "not_claimed")]
    assert all(ln["message"] for ln in rep["lines"])
    assert shipped(srv) == {w1: "1234-5678-9012", w2: "EJ123456789JP"}
    # The same file again: nothing changes.
    rep = upload(owner, cid, text.encode())[2]
    assert rep["applied"] == 0 and rep["unchanged"] == 2
    assert len(audit(owner, action="winners.shipping_upload")) == 2
    assert len(audit(owner, action="win.ship")) == 2

    # Shift_JIS, as Japanese Excel saves it, with a corrected number.
    sjis = f"当選ID,配送業者,追跡番号\r\n{w1},ヤマト運輸,5555-6666-7777\r\n".encode("cp932")
    status, _, rep = upload(owner, cid, sjis)
    assert status == 200 and rep["encoding"] == "shift_jis" and rep["applied"] == 1, rep
    assert shipped(srv)[w1] == "5555-6666-7777"


GOOD = "当選ID,配送業者,追跡番号\r\n{W1},ヤマト運輸,1234-5678-9012\r\n"


@pytest.mark.parametrize("data,reason,line", [
    (b"", "empty", 1),
    (b"\xef\xbb\xbf", "empty", 1),
    ("メモ,備考\r\nx,y\r\n".encode(), "header", 1),
    ("\r\n\r\n配送業者,追跡番号\r\nx,y\r\n".encode(), "header", 3),
    (GOOD.encode() + b'WIN,x,"12345678\r\n', "quote", 3),
    (GOOD.encode() + b'WIN,x,12"34\r\n', "quote", 3),
    (GOOD.encode() + b'WIN,x,"12"34\r\n', "quote", 3),
    (GOOD.encode() + b"WIN,x,1234,extra\r\n", "columns", 3),
    (GOOD.encode() + b"WIN,x,1\x002\r\n", "nul", 3),
    (b"\xef\xbb\xbf" + GOOD.encode() + b"WIN,\xff\xfe,1\r\n", "encoding", 3),
    (GOOD.encode("cp932") + b"WIN,\x81\xff,1\r\n", "encoding", 3),
    (GOOD.encode() + b"WIN,x," + b"9" * 2000 + b"\r\n", "field_too_long", 3),
    (GOOD.encode() + b"WIN," + b"x," * 70 + b"\r\n", "columns", 3),
], ids=lambda v: v if isinstance(v, str) else None)
def test_malformed_tracking_file_applies_nothing(light, data, reason, line):
    srv, cid, owner, w1 = light["srv"], light["cid"], light["owner"], light["w1"]
    # Well formed, the same good line is applied (so its absence below means something).
    if reason == "columns" and line == 3 and b"extra" in data:
        status, _, rep = upload(owner, cid, GOOD.replace("{W1}", w1).encode(), dry_run=True)
        assert status == 200 and rep["applied"] == 1, rep
    # The good line before the fault must not be applied.
    status, _, body = upload(owner, cid, data.replace(b"{W1}", w1.encode()))
    assert status == 400, body
    e = body["error"]
    assert e["code"] == "malformed_csv" and e["reason"] == reason and e["line"] == line, e
    assert "何も反映していません" in e["message"] and f"{line}行目" in e["fields"]["file"]
    assert shipped(srv) == {}


def test_tracking_file_limits(light):
    cid, owner = light["cid"], light["owner"]
    many = "当選ID,追跡番号\r\n" + "".join(f"w{i},123456\r\n" for i in range(20001))
    status, _, body = upload(owner, cid, many.encode())
    assert status == 400 and body["error"]["reason"] == "too_many_records"
    # Over 4 MiB: refused by its Content-Length before a byte of it is read.
    head = (f"POST /t/demo/api/admin/campaigns/{cid}/winners/shipping-csv HTTP/1.1\r\nHost: t\r\n"
            f"Cookie: recam_s={owner.token}\r\nX-CSRF-Token: {owner.csrf}\r\nContent-Type: text/csv\r\n"
            f"Content-Length: {4 * 1024 * 1024 + 1}\r\n\r\n").encode()
    assert light["srv"].raw(head + b"x" * 1000).startswith(b"HTTP/1.1 413")


def test_export_for_shipping_and_back(world):
    srv, cid, owner = world["srv"], world["cid"], world["owner"]
    (_, w1, _), (_, w2, _) = world["shoppers"]
    status, hdrs, data = owner.req("GET", f"/campaigns/{cid}/winners/export?format=csv")
    assert status == 200 and hdrs["content-type"] == "text/csv; charset=utf-8"
    assert hdrs["content-disposition"] == 'attachment; filename="winners-quo-spring.csv"'
    assert hdrs["cache-control"] == "no-store" and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["当選ID", "応募ID", "種別"] and rows[0][-3:] == ["配送業者", "追跡番号", "発送日"]
    by_id = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id[w1]["氏名"] == "山田 花子" and by_id[w1]["郵便番号"] == "150-0001" and by_id[w1]["状態"] == "送付先入力済み"
    assert by_id[w2]["氏名"] == "佐藤　太郎" and by_id[w2]["電話番号"] == "011-222-3333"
    assert by_id["wunclaimed0000000000000000"]["氏名"] == ""
    # Shift_JIS for older Excel: the same rows.
    status, hdrs, sj = owner.req("GET", f"/campaigns/{cid}/winners/export?format=csv-sjis&status=claimed")
    assert status == 200 and "Shift_JIS" in hdrs["content-type"]
    sj_rows = list(csv.reader(io.StringIO(sj.decode("cp932"))))
    assert len(sj_rows) == 3 and {r[8] for r in sj_rows[1:]} == {"山田 花子", "佐藤　太郎"}
    status, hdrs, x = owner.req("GET", f"/campaigns/{cid}/winners/export?format=xlsx")
    assert status == 200 and x[:4] == b"PK\x03\x04" and hdrs["content-disposition"].endswith('.xlsx"')
    assert owner.req("GET", f"/campaigns/{cid}/winners/export?format=pdf")[0] == 400
    assert [r["outcome"] for r in audit(owner, action="export.winners")] == ["success"] * 3

    # Fill in the export's carrier and tracking columns, send it back.
    header = rows[0]
    ci, ti = header.index("配送業者"), header.index("追跡番号")
    out = io.StringIO()
    wr = csv.writer(out, lineterminator="\r\n")
    wr.writerow(header)
    for r in rows[1:]:
        if r[0] == w1:
            r[ci], r[ti] = "西濃運輸", "7777-8888-9999"
        wr.writerow(r)
    status, _, rep = upload(owner, cid, ("\ufeff" + out.getvalue()).encode())
    assert status == 200 and rep["applied"] == 1 and rep["skipped"] == 2, rep
    assert shipped(srv) == {w1: "7777-8888-9999"}

    # Viewers and reviewers cannot export.
    add_user(owner, "viewer@demo.example", "viewer")
    viewer = login(srv, "viewer@demo.example", STAFF_PW)
    assert viewer.req("GET", f"/campaigns/{cid}/winners/export?format=csv")[0] == 403
    assert upload(viewer, cid, b"x")[0] == 403


def test_claim_deadline_closes_the_delivery_form(world):
    srv, slug, cid, owner = world["srv"], world["slug"], world["cid"], world["owner"]
    (s1, w1, _), (s2, w2, _) = world["shoppers"]
    url = f"/t/demo/api/campaigns/{slug}/wins/{{}}/delivery"
    # Before the deadline the winner may correct their details.
    status, _, body = srv.json("POST", url.format(w1), body=dict(HANAKO, address2="201"), headers=s1.headers())
    assert status == 200, body
    # A forfeited win cannot be claimed.
    assert owner.req("POST", f"/campaigns/{cid}/wins/{w2}/forfeit", {"reason": "declined"})[0] == 200
    status, _, body = srv.json("POST", url.format(w2), body=TARO, headers=s2.headers())
    assert status == 409 and body["error"]["code"] == "claim_closed"
    # 15 days on (claim_days 14): closed.
    set_clock(srv, 15 * DAY * 1000)
    try:
        status, _, body = srv.json("POST", url.format(w1), body=HANAKO, headers=s1.headers())
        assert status == 409 and body["error"]["code"] == "claim_closed"
        assert "期限" in body["error"]["message"]
    finally:
        set_clock(srv, 0)


def test_another_tenants_ids_are_not_found(world):
    srv, cid, owner = world["srv"], world["cid"], world["owner"]
    (_, w1, _), _ = world["shoppers"]
    from conftest import OPS_TOKEN
    assert srv.json("POST", "/ops/api/tenants", {"slug": "acme", "name": "Acme"}, token=OPS_TOKEN)[0] == 201
    p = cli_input(srv.data_dir, STAFF_PW + "\n", "user", "add", "acme", "boss@acme.example", "Boss", "--role", "owner")
    assert p.returncode == 0, p.stderr
    acme = login(srv, "boss@acme.example", STAFF_PW, slug="acme")
    for method, path, body in [
            ("GET", f"/campaigns/{cid}/winners", None),
            ("GET", f"/campaigns/{cid}/winners/export?format=csv", None),
            ("PATCH", f"/campaigns/{cid}/winners/{w1}/shipping",
             {"status": "shipped", "carrier": "x", "tracking_number": "12345678"}),
            ("POST", f"/campaigns/{cid}/winners/shipping-csv", f"当選ID,配送業者,追跡番号\r\n{w1},x,12345678\r\n".encode())]:
        assert acme.req(method, path, body)[0] == 404, (method, path)
    assert shipped(srv) == {}
    # A win id of this tenant under an unknown campaign id: 404 as well.
    assert owner.req("PATCH", f"/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/winners/{w1}/shipping",
                     {"status": "pending"})[0] == 404
