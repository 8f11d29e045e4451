"""The console's dashboard API: per campaign, entries per Tokyo day and hour
by verdict, rates, the commonest reasons with their Japanese labels, prize
stock left, stores and target products found; who may read it; another
tenant's campaign; the audit record. Entries are written straight into the
tenant database (their judging is tested in test_entries.py), at fixed
times, with the server's clock fixed so "today" is known."""
import json
import sqlite3
import time
import uuid
from datetime import datetime, timezone, timedelta

import pytest

from conftest import OPS_TOKEN, ROOT, run_cli
from test_admin_auth import OWNER, OWNER_PW, STAFF_PW, add_user, audit, cli_input, login, tenant_db

JST = timezone(timedelta(hours=9))
TODAY = datetime(2026, 11, 25, 12, 0, tzinfo=JST)
TARGET = "ポテトチップス うすしお"


def at(*args):
    """Unix seconds of a Tokyo wall-clock time."""
    return int(datetime(*args, tzinfo=JST).timestamp())


def tokyo_day(ts):
    return (ts + 9 * 3600) // 86400


@pytest.fixture
def srv(make_server, data_dir):
    s = make_server(demo_password=OWNER_PW)
    run_cli(data_dir, "campaign", "import", "demo", str(ROOT / "demo/campaign.json"))
    offset = int(TODAY.timestamp() * 1000 - time.time() * 1000)
    assert s.json("POST", "/__test/clock", {"offset_ms": offset})[0] == 200
    return s


@pytest.fixture
def owner(srv):
    return login(srv, OWNER, OWNER_PW)


def seed(data_dir):
    """Seven entries of the demo campaign, a won prize; returns its id."""
    con = sqlite3.connect(tenant_db(data_dir))
    (cid,) = con.execute("SELECT id FROM campaigns WHERE slug = 'potato-winter'").fetchone()
    people = []
    for i in range(4):
        pid = uuid.uuid4().hex[:26]
        con.execute("INSERT INTO participants(id, email_hash, email_sealed, created_at) VALUES (?, ?, ?, ?)",
                    (pid, f"hash{i}", b"sealed", "2026-11-01T00:00:00Z"))
        people.append(pid)
    rows = [
        # (who, status, reason, created (Tokyo), store, products [(name, qty)])
        (0, "accepted", None, at(2026, 11, 20, 8, 30), "サンライズマート 渋谷店", [(TARGET, 2)]),
        (1, "accepted", None, at(2026, 11, 20, 8, 45), "サンライズマート 渋谷店", [(TARGET, 1)]),
        (2, "rejected", "no_target_product", at(2026, 11, 20, 21, 5), "ひまわりストアー", []),
        (0, "rejected", "duplicate_image", at(2026, 11, 21, 0, 10), "サンライズマート 渋谷店", [(TARGET, 1)]),
        (3, "review", "purchase_date_in_future", at(2026, 11, 22, 13, 0), "ひまわりストアー",
         [(TARGET + " 大袋", 1)]),
        (3, "accepted", None, at(2026, 11, 25, 9, 15), "ふじみステーション", [(TARGET, 3)]),
        (1, "queued", None, at(2026, 11, 25, 11, 59), None, []),
    ]
    for who, status, reason, created, store, products in rows:
        eid = uuid.uuid4().hex[:26]
        summary = {"store": store, "products": [{"name": n, "quantity": q, "amount": 158 * q} for n, q in products]}
        result = json.dumps({"status": status, "reason": reason, "summary": summary}) if status != "queued" else None
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, reason, units, result, campaign_day,"
                    " created_at, judged_at, store) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (eid, cid, people[who], status, reason, 1 if status == "accepted" else 0, result,
                     tokyo_day(created), created, created + 5 if result else None, store))
        for name, qty in products:
            con.execute("INSERT INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)", (eid, cid, name, qty, 158 * qty, created))
    con.execute("UPDATE prizes SET stock = stock - 1, won = won + 1 WHERE campaign_id = ? AND code = 'A'", (cid,))
    con.execute("UPDATE prizes SET stock = 0, won = 100 WHERE campaign_id = ? AND code = 'B'", (cid,))
    con.commit()
    con.close()
    return cid


def test_overview_lists_campaigns_with_headline_counts(srv, owner, data_dir):
    cid = seed(data_dir)
    status, _, body = owner.req("GET", "/dashboard")
    assert status == 200, body
    assert body["today"] == "2026-11-25"
    (c,) = body["campaigns"]
    assert c["id"] == cid and c["slug"] == "potato-winter" and c["status"] == "published"
    assert c["entries"] == 7 and c["today"] == 2
    assert c["counts"] == {"accepted": 3, "rejected": 2, "review": 1, "pending": 1}


def test_campaign_figures(srv, owner, data_dir):
    cid = seed(data_dir)
    status, _, d = owner.req("GET", f"/dashboard/{cid}")
    assert status == 200, d
    assert d["campaign"]["title"].startswith("ポテトチップス") and d["today"] == "2026-11-25"
    t = d["totals"]
    assert (t["entries"], t["judged"], t["participants"], t["units"]) == (7, 6, 4, 3)
    assert t["counts"] == {"accepted": 3, "rejected": 2, "review": 1, "pending": 1}
    assert t["rates"] == {"accepted": 0.5, "rejected": 0.3333, "review": 0.1667}

    # Every Tokyo day from the start of the entry period to today, empty ones too.
    days = d["days"]
    assert days[0]["day"] == "2026-01-01" and days[-1]["day"] == "2026-11-25"
    assert len(days) == (datetime(2026, 11, 25) - datetime(2026, 1, 1)).days + 1
    by_day = {x["day"]: x for x in days}
    assert by_day["2026-11-20"] == {"day": "2026-11-20", "accepted": 2, "rejected": 1, "review": 0, "pending": 0}
    # 00:10 in Tokyo on the 21st is still the 20th in UTC: counted on the 21st.
    assert by_day["2026-11-21"]["rejected"] == 1
    assert by_day["2026-11-25"] == {"day": "2026-11-25", "accepted": 1, "rejected": 0, "review": 0, "pending": 1}
    assert sum(x["accepted"] + x["rejected"] + x["review"] + x["pending"] for x in days) == 7

    # Hours: today's by default (the campaign is running).
    assert d["hours"]["day"] == "2026-11-25"
    hours = {x["hour"]: x for x in d["hours"]["counts"]}
    assert len(hours) == 24 and hours[9]["accepted"] == 1 and hours[11]["pending"] == 1

    # Reasons, commonest first, labelled for staff (a review template's label wins).
    rejected = {r["reason"]: r for r in d["reasons"]["rejected"]}
    assert set(rejected) == {"no_target_product", "duplicate_image"}
    assert rejected["no_target_product"]["label_ja"] == "対象商品なし"
    assert rejected["duplicate_image"]["label"] == "使用済みの写真（同じレシート）"
    assert rejected["duplicate_image"]["count"] == 1 and rejected["duplicate_image"]["share"] == 0.5
    (review,) = d["reasons"]["review"]
    assert review["reason"] == "purchase_date_in_future" and review["label_ja"] == "購入日が未来の日付"
    assert review["share"] == 1.0

    prizes = {p["code"]: p for p in d["prizes"]}
    assert prizes["A"]["stock"] == 50 and prizes["A"]["won"] == 1 and prizes["A"]["left"] == 49
    assert prizes["A"]["name"] == "QUOカード 1,000円分" and prizes["A"]["value"] == 1000
    assert prizes["B"]["left"] == 0 and prizes["B"]["won"] == 100

    assert d["stores"][0] == {"name": "サンライズマート 渋谷店", "entries": 3, "accepted": 2}
    assert {s["name"] for s in d["stores"]} == {"サンライズマート 渋谷店", "ひまわりストアー", "ふじみステーション"}
    assert d["products"][0] == {"name": TARGET, "entries": 4, "accepted": 3, "quantity": 7}
    assert d["products"][1]["name"] == TARGET + " 大袋" and d["products"][1]["accepted"] == 0

    # The audit log shows who looked at which campaign's figures.
    recs = audit(owner, action="dashboard.view")
    assert [(r["object_type"], r["object_id"], r["outcome"]) for r in recs] == [("campaign", cid, "success")]


def test_hours_of_a_chosen_day_or_of_all_days(srv, owner, data_dir):
    cid = seed(data_dir)
    status, _, d = owner.req("GET", f"/dashboard/{cid}?day=2026-11-20")
    assert status == 200 and d["hours"]["day"] == "2026-11-20"
    hours = {x["hour"]: x for x in d["hours"]["counts"]}
    # 08:30 and 08:45 Tokyo (23:30 and 23:45 UTC the day before) are hour 8.
    assert hours[8]["accepted"] == 2 and hours[21]["rejected"] == 1
    assert sum(x["accepted"] + x["rejected"] for x in hours.values()) == 3
    status, _, d = owner.req("GET", f"/dashboard/{cid}?day=all")
    hours = {x["hour"]: x for x in d["hours"]["counts"]}
    assert d["hours"]["day"] == "all" and hours[8]["accepted"] == 2 and hours[0]["rejected"] == 1
    assert sum(x["accepted"] + x["rejected"] + x["review"] + x["pending"] for x in hours.values()) == 7
    # A day that is not a date: a field error in the staff member's language.
    status, _, body = owner.req("GET", f"/dashboard/{cid}?day=20-11-2026")
    assert status == 400 and "YYYY-MM-DD" in body["error"]["fields"]["day"]
    status, _, body = owner.req("GET", f"/dashboard/{cid}?day=2026-13-01", headers={"Accept-Language": "en"})
    assert status == 400 and body["error"]["fields"]["day"] == "A date as YYYY-MM-DD, or all."


def test_english_labels(srv, owner, data_dir):
    cid = seed(data_dir)
    _, _, d = owner.req("GET", f"/dashboard/{cid}", headers={"Accept-Language": "en-US,en;q=0.9"})
    labels = {r["reason"]: (r["label"], r["label_ja"]) for r in d["reasons"]["rejected"]}
    assert labels["duplicate_image"] == ("Photo already used (same receipt)", "使用済みの写真（同じレシート）")
    assert labels["no_target_product"] == ("No target product", "対象商品なし")


def test_empty_campaign_and_roles(srv, owner, data_dir):
    _, _, body = owner.req("GET", "/dashboard")
    cid = body["campaigns"][0]["id"]
    status, _, d = owner.req("GET", f"/dashboard/{cid}")
    assert status == 200 and d["totals"]["entries"] == 0 and d["totals"]["rates"]["accepted"] == 0
    assert d["reasons"] == {"rejected": [], "review": []} and d["stores"] == [] and d["products"] == []
    assert all(x["accepted"] == 0 for x in d["days"]) and len(d["hours"]["counts"]) == 24
    add_user(owner, "viewer@demo.example", "viewer")
    add_user(owner, "reviewer@demo.example", "reviewer")
    viewer = login(srv, "viewer@demo.example", STAFF_PW)
    reviewer = login(srv, "reviewer@demo.example", STAFF_PW)
    # Figures only, no personal data: a viewer sees what an owner sees.
    assert viewer.req("GET", f"/dashboard/{cid}")[2]["totals"] == d["totals"]
    assert reviewer.req("GET", "/dashboard")[0] == 403
    assert reviewer.req("GET", f"/dashboard/{cid}")[0] == 403
    assert owner.req("GET", "/dashboard/zzzzzzzzzzzzzzzzzzzzzzzzzz")[0] == 404


def test_another_tenants_campaign_is_not_found(srv, owner, data_dir):
    cid = seed(data_dir)
    assert srv.json("POST", "/ops/api/tenants", {"slug": "acme", "name": "Acme"}, token=OPS_TOKEN)[0] == 201
    p = cli_input(data_dir, STAFF_PW + "\n", "user", "add", "acme", "boss@acme.example", "Boss", "--role", "owner")
    assert p.returncode == 0, p.stderr
    acme = login(srv, "boss@acme.example", STAFF_PW, slug="acme")
    status, _, body = acme.req("GET", f"/dashboard/{cid}")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert acme.req("GET", "/dashboard")[2]["campaigns"] == []
    # Demo's session at acme: not logged in there.
    assert owner.req("GET", f"/dashboard/{cid}", slug="acme")[0] == 401
