"""The entry list for staff: each filter (campaign, status, entry date in
Asia/Tokyo, store as normalized, target product, participant), keyset pages
that neither repeat nor skip, one entry with its history, the export as
CSV (UTF-8 with BOM), CSV in Shift_JIS and .xlsx with the filters applied,
who may export, and the audit records. Rows are written straight into the
tenant database the way the judging job indexes them; the migration's
backfill of older entries is checked on a scratch database."""
import csv
import io
import json
import secrets
import sqlite3
import zipfile
from datetime import datetime, timedelta, timezone

import urllib.parse

import pytest

from conftest import ROOT
from staff import STAFF_PW, add_user, audit, login, tenant_db
from staff import owner, srv  # noqa: F401 (fixtures)
from test_admin_review import TARGET, import_campaign, new_id

JST = timezone(timedelta(hours=9))
OTHER = "ポテトチップス うすしお 大袋"


def at(s):
    """'2026-11-01 23:30' in Tokyo as unix seconds."""
    return int(datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=JST).timestamp())


def inject(data_dir, campaign_id, rows):
    """rows: dicts with at, status, store, products [(name, qty, amount)],
    participant (an id, made when absent), total, purchase (YYYY-MM-DD)."""
    con = sqlite3.connect(tenant_db(data_dir), timeout=30)
    ids = []
    for r in rows:
        eid = r.get("id") or new_id()
        pid = r.get("participant") or new_id()
        con.execute("INSERT OR IGNORE INTO participants(id, email_hash, email_sealed, created_at)"
                    " VALUES (?, ?, x'00', 'now')", (pid, secrets.token_hex(32)))
        day = None
        if r.get("purchase"):
            day = (datetime.strptime(r["purchase"], "%Y-%m-%d") - datetime(1970, 1, 1)).days
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, reason, units, result, campaign_day,"
                    " created_at, judged_at, store, purchase_day, total) VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)",
                    (eid, campaign_id, pid, r.get("status", "accepted"), r.get("reason"),
                     1 if r.get("status", "accepted") == "accepted" else 0, (r["at"] + 9 * 3600) // 86400, r["at"],
                     r["at"] + 1, r.get("store"), day, r.get("total", 500)))
        for name, q, a in r.get("products", []):
            con.execute("INSERT INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)", (eid, campaign_id, name, q, a, r["at"]))
        con.execute("INSERT INTO entry_events(entry_id, at_ms, actor, kind, detail) VALUES (?, ?, 'participant',"
                    " 'created', NULL)", (eid, r["at"] * 1000))
        con.execute("INSERT INTO entry_events(entry_id, at_ms, actor, kind, detail) VALUES (?, ?, 'system', 'judged',"
                    " ?)", (eid, r["at"] * 1000 + 900, json.dumps({"status": r.get("status", "accepted")})))
        ids.append(eid)
    con.commit()
    con.close()
    return ids


@pytest.fixture
def two(srv, data_dir, tmp_path):
    return (import_campaign(data_dir, tmp_path, "list-a"), import_campaign(data_dir, tmp_path, "list-b"))


def search(staff, **q):
    qs = urllib.parse.urlencode(q)
    status, _, body = staff.req("GET", f"/entries?{qs}")
    assert status == 200, body
    return body


def ids_of(body):
    return [e["id"] for e in body["entries"]]


@pytest.fixture
def data(srv, data_dir, two):
    a, b = two
    hanako = new_id()
    rows = {
        "a1": dict(at=at("2026-11-01 00:10"), status="accepted", store="ミナミドラッグストア柏中央店",
                   products=[(TARGET, 2, 300)], participant=hanako, purchase="2026-10-31", total=1540),
        "a2": dict(at=at("2026-11-01 23:50"), status="rejected", reason="no_target_product", store="ローソン渋谷店",
                   products=[]),
        "a3": dict(at=at("2026-11-02 00:05"), status="review", store="ミナミドラッグストア柏中央店",
                   products=[(OTHER, 1, 498)]),
        "a4": dict(at=at("2026-11-03 12:00"), status="accepted", store="=HYPERLINK(\"http://x\")",
                   products=[(TARGET, 1, 150), (OTHER, 1, 498)], participant=hanako),
        "a5": dict(at=at("2026-11-04 09:00"), status="accepted", store="スーパー髙島屋🍟", products=[(TARGET, 1, 150)]),
        "b1": dict(at=at("2026-11-02 10:00"), status="accepted", store="ミナミドラッグストア柏中央店",
                   products=[(TARGET, 1, 150)], participant=hanako),
    }
    out = {}
    for k, r in rows.items():
        (out[k],) = inject(srv.data_dir, a if k[0] == "a" else b, [r])
    out["hanako"], out["a"], out["b"] = hanako, a, b
    return out


def test_each_filter(srv, owner, data):
    a, b = data["a"], data["b"]
    # Newest first; every campaign without a campaign filter.
    assert ids_of(search(owner)) == [data[k] for k in ("a5", "a4", "b1", "a3", "a2", "a1")]
    assert ids_of(search(owner, campaign=a)) == [data[k] for k in ("a5", "a4", "a3", "a2", "a1")]
    assert ids_of(search(owner, campaign=a, status="accepted")) == [data[k] for k in ("a5", "a4", "a1")]
    assert ids_of(search(owner, status="review")) == [data["a3"]]
    # Dates are days in Asia/Tokyo, both ends included.
    assert ids_of(search(owner, campaign=a, **{"from": "2026-11-01", "to": "2026-11-01"})) == [data["a2"], data["a1"]]
    assert ids_of(search(owner, **{"from": "2026-11-02", "to": "2026-11-03"})) == [data[k] for k in ("a4", "b1", "a3")]
    assert ids_of(search(owner, **{"from": "2026-11-04"})) == [data["a5"]]
    # Store as the reader's text is kept: half-width kana and a space still find it.
    body = search(owner, store="ﾐﾅﾐﾄﾞﾗｯｸﾞｽﾄｱ 柏中央店")
    assert ids_of(body) == [data[k] for k in ("b1", "a3", "a1")]
    assert ids_of(search(owner, campaign=a, store="ミナミドラッグストア柏中央店", status="review")) == [data["a3"]]
    # Product: entries where the target product was found.
    assert ids_of(search(owner, product=TARGET)) == [data[k] for k in ("a5", "a4", "b1", "a1")]
    assert ids_of(search(owner, campaign=a, product=OTHER)) == [data[k] for k in ("a4", "a3")]
    assert ids_of(search(owner, campaign=a, product=TARGET, status="accepted", **{"to": "2026-11-03"})) == [
        data["a4"], data["a1"]]
    # Participant.
    assert ids_of(search(owner, participant=data["hanako"])) == [data[k] for k in ("a4", "b1", "a1")]
    assert ids_of(search(owner, participant=data["hanako"], campaign=b)) == [data["b1"]]
    assert search(owner, email="nobody@example.jp") == {"entries": [], "next_cursor": None}
    row = search(owner, campaign=a, status="accepted", limit=1)["entries"][0]
    assert row["store"] == "スーパー髙島屋🍟" and row["products"] == f"{TARGET}×1" and row["units"] == 1
    assert row["campaign_slug"] == "list-a" and row["created_at"] == "2026-11-04T00:00:00Z"
    first = search(owner, campaign=a, status="accepted")["entries"][-1]
    assert first["purchase_date"] == "2026-10-31" and first["total"] == 1540
    assert len(audit(owner, action="entries.search")) >= 14


@pytest.mark.parametrize("q,key", [
    ("status=won", "status"), ("from=2026-13-01", "from"), ("to=yesterday", "to"), ("campaign=abc", "campaign"),
    ("cursor=abc", "cursor"), ("cursor=12.zzzzzzzzzzzzzzzzzzzzzzzzz!", "cursor"), ("cursor=-1.0123456789abcdefghjkmnpqrs", "cursor"),
    ("cursor=99999999999999999999.0123456789abcdefghjkmnpqrs", "cursor"), ("cursor=.0123456789abcdefghjkmnpqrs", "cursor"),
    ("cursor=1.0123456789ABCDEFGHJKMNPQRS", "cursor"), ("cursor=1.", "cursor"), ("limit=0", "limit"),
    ("limit=201", "limit"), ("email=not-an-address", "email"), ("participant=x", "participant"),
])
def test_bad_filters_are_field_errors(srv, owner, q, key):
    status, _, body = owner.req("GET", f"/entries?{q}")
    assert status == 400 and key in body["error"]["fields"], body


def test_keyset_pages_neither_repeat_nor_skip(srv, owner, data_dir, two):
    a = two[0]
    t = at("2026-11-10 10:00")
    # Ties on created_at (seconds) are the common case at volume: id breaks them.
    rows = [dict(at=t - (i // 7), status="accepted" if i % 3 else "rejected", store="ローソン",
                 products=[(TARGET, 1, 150)]) for i in range(125)]
    ids = inject(data_dir, a, rows)
    expected = [i for _, i in sorted(zip([r["at"] for r in rows], ids), reverse=True)]
    seen, cursor, pages = [], None, 0
    while True:
        q = {"campaign": a, "limit": 50, **({"cursor": cursor} if cursor else {})}
        body = search(owner, **q)
        seen += ids_of(body)
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == expected
    # The same with a filter, and through entry_products (product filter).
    for extra in ({"status": "accepted"}, {"product": TARGET}, {"store": "ローソン", "status": "rejected"}):
        seen, cursor = [], None
        while True:
            body = search(owner, campaign=a, limit=17, **extra, **({"cursor": cursor} if cursor else {}))
            seen += ids_of(body)
            cursor = body["next_cursor"]
            if cursor is None:
                break
        want = [i for i in expected if extra.get("status") is None or
                rows[ids.index(i)]["status"] == extra["status"]]
        assert seen == want, extra


def test_entry_with_history(srv, owner, data):
    status, _, body = owner.req("GET", f"/entries/{data['a4']}")
    assert status == 200
    e = body["entry"]
    assert e["status"] == "accepted" and [h["kind"] for h in e["history"]] == ["created", "judged"]
    assert e["history"][1]["actor"] == "system" and e["participant"]["id"] == data["hanako"]
    assert owner.req("GET", f"/entries/{new_id()}")[0] == 404
    assert owner.req("GET", "/entries/not-an-id")[0] == 404
    assert [r["object_id"] for r in audit(owner, action="entry.read")] == [data["a4"]]


def test_facets(srv, owner, data):
    status, _, body = owner.req("GET", f"/entries/facets?campaign={data['a']}")
    assert status == 200
    assert {c["slug"] for c in body["campaigns"]} >= {"list-a", "list-b"}
    assert body["stores"][0] == {"store": "ミナミドラッグストア柏中央店", "count": 2}
    assert TARGET in [c for c in body["campaigns"] if c["id"] == data["a"]][0]["products"]


def export(staff, **q):
    """The raw download: (status, headers, bytes)."""
    qs = urllib.parse.urlencode(q)
    return staff.srv.request("GET", f"/t/demo/api/admin/entries/export?{qs}",
                             headers={"Cookie": f"recam_s={staff.token}"})


def test_export_csv_sjis_and_xlsx_with_filters(srv, owner, data):
    a = data["a"]
    status, hdrs, raw = export(owner, campaign=a, status="accepted")
    assert status == 200, raw[:300]
    assert hdrs["cache-control"] == "no-store" and "attachment" in hdrs["content-disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    assert rows[0][:4] == ["応募ID", "キャンペーン", "状態", "理由"] and len(rows[0]) == 14
    assert [r[0] for r in rows[1:]] == [data[k] for k in ("a5", "a4", "a1")]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[data["a1"]][2] == "受付" and by_id[data["a1"]][4] == "2026-11-01 00:10:00"
    assert by_id[data["a1"]][5] == "2026-10-31" and by_id[data["a1"]][7] == "1540"
    assert by_id[data["a1"]][8] == f"{TARGET}×2"
    # A cell that a spreadsheet would run as a formula is defused.
    assert by_id[data["a4"]][6] == "'=HYPERLINK(\"http://x\")"
    # Shift_JIS: no BOM, the same text in CP932 bytes; what it cannot hold becomes 〓.
    status, hdrs, sj = export(owner, campaign=a, status="accepted", format="csv-sjis")
    assert status == 200 and not sj.startswith(b"\xef\xbb\xbf")
    assert "ミナミドラッグストア柏中央店".encode("cp932") in sj and "応募ID".encode("cp932") in sj
    # 髙 is in CP932 (Windows writes it FB FC, Python's codec EE E0: both read back as 髙).
    assert "スーパー髙島屋" in sj.decode("cp932") and "🍟".encode() not in sj
    text = sj.decode("cp932")
    assert text.count("\r\n") == 4 or text.count("\n") == 4
    # xlsx: a zip with the rows as strings.
    status, hdrs, xl = export(owner, campaign=a, format="xlsx")
    assert status == 200 and xl[:2] == b"PK"
    z = zipfile.ZipFile(io.BytesIO(xl))
    blob = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "ローソン渋谷店" in blob and data["a2"] in blob and "<f>" not in blob
    status, _, body = srv.json("GET", f"/t/demo/api/admin/entries/export?format=pdf",
                               headers={"Cookie": f"recam_s={owner.token}"})
    assert status == 400 and "format" in body["error"]["fields"]
    assert [r["outcome"] for r in audit(owner, action="entries.export")] == ["success"] * 3


def test_export_sjis_writes_geta_for_what_it_cannot_hold(srv, owner, data):
    status, _, sj = export(owner, campaign=data["a"], status="accepted", format="csv-sjis")
    assert status == 200 and "スーパー髙島屋〓," in sj.decode("cp932")


def test_who_may_export(srv, owner, data):
    for role in ("viewer", "reviewer"):
        s = login(srv, add_user(owner, f"{role}@demo.example", role)["email"], STAFF_PW)
        assert export(s, campaign=data["a"])[0] == 403, role
        assert s.req("GET", f"/entries?campaign={data['a']}")[0] == 200
    admin = login(srv, add_user(owner, "admin@demo.example", "admin")["email"], STAFF_PW)
    status, _, raw = export(admin, campaign=data["b"])
    assert status == 200 and data["b1"].encode() in raw and data["a1"].encode() not in raw


def test_migration_fills_columns_of_older_entries(tmp_path):
    """The 0004 backfill on a database with entries judged before it."""
    con = sqlite3.connect(tmp_path / "t.db")
    mig = sorted((ROOT / "db/migrations/tenant").glob("*.sql"))
    for f in [m for m in mig if m.name < "0004"]:
        con.executescript(f.read_text())
    con.execute("INSERT INTO campaigns(id, slug, title, entry_start, entry_end, definition, created_at, updated_at)"
                " VALUES ('c', 'c', 't', 0, 1, '{}', '', '')")
    con.execute("INSERT INTO participants VALUES ('p', 'h', x'00', '')")
    summary = {"store": "ローソン", "date": "2026-11-01", "total": 880,
               "products": [{"name": TARGET, "quantity": 1, "amount": 150},
                            {"name": TARGET, "quantity": 2, "amount": 300}]}
    con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, units, result, campaign_day, created_at,"
                " judged_at) VALUES ('e1', 'c', 'p', 'accepted', 1, ?, 1, 100, 105)",
                (json.dumps({"status": "accepted", "summary": summary}),))
    con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, units, result, campaign_day, created_at)"
                " VALUES ('e2', 'c', 'p', 'queued', 0, 'not json', 1, 200)")
    con.executescript((ROOT / "db/migrations/tenant/0004_review.sql").read_text())
    assert con.execute("SELECT store, purchase_day, total FROM entries WHERE id = 'e1'").fetchone() == (
        "ローソン", (datetime(2026, 11, 1) - datetime(1970, 1, 1)).days, 880)
    assert con.execute("SELECT product, quantity, amount FROM entry_products").fetchall() == [(TARGET, 3, 450)]
    assert con.execute("SELECT entry_id, kind FROM entry_events ORDER BY seq").fetchall() == [
        ("e1", "created"), ("e2", "created"), ("e1", "judged")]
    assert con.execute("SELECT count(*) FROM review_templates").fetchone() == (9,)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("UPDATE entry_events SET kind = 'judged'")
    con.close()
