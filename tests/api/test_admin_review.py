"""The review queue's staff API: oldest first with a count, navigation,
corrections kept beside the reading (and audited), approve re-running the
rules and the instant win without ever overselling, reject with a template,
stale decisions (409), the templates, and receipt images behind the staff
route only. Most entries are written straight into the tenant database
with a reader-shaped reading (inject_review); one test goes through a real
upload, the reader and the shopper's page."""
import concurrent.futures
import copy
import hashlib
import json
import secrets
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from conftest import OPS_TOKEN, ROOT, run_cli
from staff import OWNER, OWNER_PW, STAFF_PW, add_user, audit, cli_input, login, tenant_db
from staff import owner, srv  # noqa: F401 (fixtures)

sys.path.insert(0, str(ROOT / "tests/api"))
sys.path.insert(0, str(ROOT / "tests/receipts"))
from test_entries import Shopper, window_around  # noqa: E402
import gen  # noqa: E402

TARGET = "ポテトチップス うすしお"
BASE = json.loads((ROOT / "demo/campaign.json").read_text())
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_id():
    return "".join(secrets.choice(ALPHABET) for _ in range(26))


def import_campaign(data_dir, tmp_path, slug, **changes):
    c = copy.deepcopy(BASE)
    c["slug"] = slug
    for key, value in changes.items():
        target = c
        *path, last = key.split("__")
        for p in path:
            target = target.setdefault(p, {})
        target[last] = value
    f = tmp_path / f"{slug}.json"
    f.write_text(json.dumps(c, ensure_ascii=False))
    run_cli(data_dir, "campaign", "import", "demo", str(f))
    con = sqlite3.connect(tenant_db(data_dir))
    (cid,) = con.execute("SELECT id FROM campaigns WHERE slug = ?", (slug,)).fetchone()
    con.close()
    return cid


def field(value, conf=0.6):
    return None if value is None else {"value": value, "confidence": conf}


def reading(store="ミナミドラッグストア 柏中央店", date="2026-11-20", time_="12:34", total=540, receipt_no="0001",
            items=((TARGET, 1, 150), ("緑茶 500ml", 1, 390)), conf=0.6, regnum="T3203221632237"):
    """A receipt as the reader reports it (docs/reader.md), read with doubt."""
    return {
        "store": field(store, conf), "phone": field("04-8301-5494", conf), "registration_number": field(regnum, conf),
        "date": field(date, conf), "time": field(time_, conf), "total": field(total, conf),
        "subtotal": field(total, conf), "receipt_number": field(receipt_no, conf),
        "items": {"value": [{"name": n, "normalized_name": n, "quantity": q, "unit_price": a, "amount": a,
                             "confidence": conf, "name_confidence": conf, "amount_confidence": conf,
                             "discount": False} for n, q, a in items], "confidence": conf},
        "lines": [{"text": "…", "confidence": conf}],
    }


def inject_review(data_dir, campaign_id, readings, start=None, step=60, status="review"):
    """Entries as the judging job leaves them when it sends them to review:
    one participant and one photo each. Returns their ids, oldest first."""
    con = sqlite3.connect(tenant_db(data_dir), timeout=30)
    now = int(time.time()) if start is None else start
    ids = []
    for i, r in enumerate(readings):
        eid, pid = new_id(), new_id()
        at = now + i * step
        con.execute("INSERT INTO participants(id, email_hash, email_sealed, created_at) VALUES (?, ?, x'00', 'now')",
                    (pid, secrets.token_hex(32)))
        summary = {"products": [], "store": r["store"]["value"] if r.get("store") else None,
                   "date": r["date"]["value"] if r.get("date") else None, "total": 0, "target_amount": 0}
        result = {"status": status, "reason": "low_confidence", "summary": summary, "units": 0}
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, reason, units, result, campaign_day,"
                    " created_at, judged_at) VALUES (?, ?, ?, ?, 'low_confidence', 0, ?, ?, ?, ?)",
                    (eid, campaign_id, pid, status, json.dumps(result, ensure_ascii=False), (at + 9 * 3600) // 86400,
                     at, at + 2))
        con.execute("INSERT INTO entry_images(entry_id, position, blob_id, sha256, receipt) VALUES (?, 0, ?, ?, ?)",
                    (eid, new_id(), hashlib.sha256(eid.encode()).hexdigest(), json.dumps(r, ensure_ascii=False)))
        con.execute("INSERT INTO entry_events(entry_id, at_ms, actor, kind, detail) VALUES (?, ?, 'participant',"
                    " 'created', NULL)", (eid, at * 1000))
        ids.append(eid)
    con.commit()
    con.close()
    return ids


def db_rows(data_dir, sql, *args):
    con = sqlite3.connect(tenant_db(data_dir), timeout=30)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.fixture
def instant(srv, data_dir, tmp_path):
    """A campaign whose every accepted entry wins prize A while stock lasts (1)."""
    return import_campaign(data_dir, tmp_path, "review-instant", purchase_period={"first": "2026-01-01",
                                                                               "last": "2026-12-31"},
                           prizes=[{"code": "A", "name": "QUOカード", "value": 1000, "stock": 1,
                                    "probability_ppm": 1000000}], rules__one_win_per_participant=False)


def nxt(staff, cid, **q):
    qs = "&".join(f"{k}={v}" for k, v in {"campaign": cid, **q}.items())
    status, _, body = staff.req("GET", f"/review/next?{qs}")
    assert status == 200, body
    return body


def decide(staff, entry, decision="approve", **extra):
    return staff.req("POST", f"/review/{entry['id']}/decision",
                     {"version": entry["version"], "decision": decision, **extra})


def test_queue_is_oldest_first_with_count_and_navigation(srv, owner, data_dir, instant):
    t0 = int(time.time()) - 3600
    a, b, c = inject_review(data_dir, instant, [reading(receipt_no=str(i)) for i in range(3)], start=t0)
    # One more, created between a and b, and one accepted entry that is not pending.
    mid = inject_review(data_dir, instant, [reading(receipt_no="9")], start=t0 + 30)[0]
    inject_review(data_dir, instant, [reading(receipt_no="8")], start=t0 - 100, status="accepted")
    first = nxt(owner, instant)
    assert first["count"] == 4 and first["position"] == 1 and first["entry"]["id"] == a
    e = first["entry"]
    assert e["status"] == "review" and e["version"] == 1 and e["campaign_id"] == instant
    f = e["receipts"][0]["fields"]
    assert f["store"] == {"value": "ミナミドラッグストア 柏中央店", "read": "ミナミドラッグストア 柏中央店",
                          "confidence": 0.6, "corrected": False}
    assert [i["name"] for i in f["items"]["value"]] == [TARGET, "緑茶 500ml"] and not f["items"]["corrected"]
    assert "cut_short" not in e["receipts"][0]
    assert [h["kind"] for h in e["history"]] == ["created"]
    order = [a]
    while True:
        n = nxt(owner, instant, after=order[-1])
        if n["entry"] is None:
            break
        assert n["position"] == len(order) + 1
        order.append(n["entry"]["id"])
    assert order == [a, mid, b, c]
    # Backwards from the last, and nothing before the first.
    assert nxt(owner, instant, before=c)["entry"]["id"] == b
    assert nxt(owner, instant, before=a)["entry"] is None
    # A campaign id is required; an unknown one has an empty queue.
    assert owner.req("GET", "/review/next")[0] == 400
    assert nxt(owner, new_id()) == {"count": 0, "position": 0, "entry": None}
    status, _, body = owner.req("GET", "/review")
    mine = [x for x in body["campaigns"] if x["id"] == instant][0]
    assert mine["pending"] == 4 and TARGET in mine["products"] and mine["instant_win"] == "probability"
    assert [t["code"] for t in body["templates"]][:2] == ["no_target_product", "outside_period"]
    assert len(body["templates"]) == 9


def test_a_reading_cut_short_says_so(srv, owner, data_dir, instant):
    """A page read only in part within the time limit (the reader's
    ocr_cut_short) is shown as such: the reviewer checks the rest on the photo."""
    r = reading()
    r["ocr_cut_short"] = True
    inject_review(data_dir, instant, [r])
    e = nxt(owner, instant)["entry"]
    assert e["receipts"][0]["cut_short"] is True


def test_approve_reruns_rules_and_lottery_and_never_oversells(srv, owner, data_dir, instant):
    ids = inject_review(data_dir, instant, [reading(receipt_no=str(i)) for i in range(2)])
    e1 = nxt(owner, instant)["entry"]
    status, _, body = decide(owner, e1)
    assert status == 200, body
    assert body["status"] == "accepted" and body["version"] == 2
    assert body["result"]["instant_win"]["won"] is True and body["result"]["instant_win"]["prize"]["code"] == "A"
    assert body["result"]["units"] == 1 and [p["name"] for p in body["result"]["summary"]["products"]] == [TARGET]
    # The stock of one is gone: the second approval is accepted without a prize.
    e2 = nxt(owner, instant, after=e1["id"])["entry"]
    assert e2["id"] == ids[1]
    status, _, body = decide(owner, e2)
    assert status == 200 and body["result"]["instant_win"] == {"won": False}
    assert db_rows(data_dir, "SELECT stock, won FROM prizes WHERE campaign_id = ?", instant) == [(0, 1)]
    assert db_rows(data_dir, "SELECT count(*) FROM wins WHERE campaign_id = ?", instant) == [(1,)]
    # The searchable columns and the history follow the decision.
    rows = db_rows(data_dir, "SELECT status, units, store, total, purchase_day, reviewed_by FROM entries WHERE id = ?",
                   e1["id"])
    assert rows[0][:4] == ("accepted", 1, "ミナミドラッグストア柏中央店", 540)  # NFKC, CJK spaces dropped
    assert rows[0][5] == owner.body["user"]["id"]
    assert db_rows(data_dir, "SELECT product, quantity FROM entry_products WHERE entry_id = ?", e1["id"]) == [(TARGET, 1)]
    status, _, detail = owner.req("GET", f"/entries/{e1['id']}")
    kinds = [h["kind"] for h in detail["entry"]["history"]]
    assert kinds == ["created", "rejudged", "reviewed"]
    assert detail["entry"]["history"][2]["actor_name"] and detail["entry"]["history"][2]["detail"]["decision"] == "approve"
    assert [r["object_id"] for r in audit(owner, action="review.approve")] == [e2["id"], e1["id"]]
    # Nothing left to review.
    assert nxt(owner, instant) == {"count": 0, "position": 0, "entry": None}


def test_concurrent_approvals_never_oversell(srv, owner, data_dir, tmp_path):
    cid = import_campaign(data_dir, tmp_path, "review-race", purchase_period={"first": "2026-01-01",
                                                                          "last": "2026-12-31"},
                          prizes=[{"code": "A", "name": "QUOカード", "value": 1000, "stock": 3,
                                   "probability_ppm": 1000000}])
    ids = inject_review(data_dir, cid, [reading(receipt_no=str(i)) for i in range(12)])
    reviewer = login(srv, add_user(owner, "rev@demo.example", "reviewer")["email"], STAFF_PW)

    def approve(i):
        staff = owner if i % 2 else reviewer
        return decide(staff, {"id": ids[i], "version": 1})

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        results = list(pool.map(approve, range(len(ids))))
    assert all(s == 200 for s, _, _ in results), [r for r in results if r[0] != 200]
    won = [b["result"]["instant_win"]["won"] for _, _, b in results]
    assert won.count(True) == 3
    assert db_rows(data_dir, "SELECT stock, won FROM prizes WHERE campaign_id = ?", cid) == [(0, 3)]
    assert db_rows(data_dir, "SELECT count(*) FROM wins WHERE campaign_id = ?", cid) == [(3,)]


def test_a_stale_decision_is_refused(srv, owner, data_dir, instant):
    (eid,) = inject_review(data_dir, instant, [reading()])
    reviewer = login(srv, add_user(owner, "rev@demo.example", "reviewer")["email"], STAFF_PW)
    mine = nxt(owner, instant)["entry"]
    theirs = nxt(reviewer, instant)["entry"]
    assert mine["version"] == theirs["version"] == 1
    assert decide(reviewer, theirs, "reject", template="unreadable")[0] == 200
    status, _, body = decide(owner, mine)
    assert status == 409 and body["error"]["code"] == "stale_entry" and "読み込み直して" in body["error"]["message"]
    # A correction against the old version is refused too; nothing changed.
    status, _, body = owner.req("POST", f"/review/{eid}/corrections", {"version": 1, "receipts": [
        {"position": 0, "total": 999}]})
    assert status == 409
    assert db_rows(data_dir, "SELECT status, reason, version FROM entries WHERE id = ?", eid) == [
        ("rejected", "unreadable", 2)]
    assert db_rows(data_dir, "SELECT count(*) FROM wins") == [(0,)]
    assert [r["outcome"] for r in audit(owner, action="review.approve")] == ["failure"]
    # Two decisions at once on one entry: exactly one wins.
    (eid2,) = inject_review(data_dir, instant, [reading(receipt_no="2")])
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        got = list(pool.map(lambda s: decide(s, {"id": eid2, "version": 1})[0], [owner, reviewer]))
    assert sorted(got) == [200, 409]


def test_corrections_are_kept_beside_the_reading_and_audited(srv, owner, data_dir, instant):
    (eid,) = inject_review(data_dir, instant, [reading(store="ミナミドラッグ", total=540)])
    original = db_rows(data_dir, "SELECT receipt FROM entry_images WHERE entry_id = ?", eid)[0][0]
    corr = {"version": 1, "receipts": [{"position": 0, "store": "ミナミドラッグストア 柏中央店", "total": 1540,
                                        "items": [{"name": TARGET, "quantity": 2, "amount": 300}]}]}
    status, _, body = owner.req("POST", f"/review/{eid}/corrections", corr)
    assert status == 200, body
    e = body["entry"]
    assert e["version"] == 2 and e["status"] == "review"
    f = e["receipts"][0]["fields"]
    assert f["store"]["value"] == "ミナミドラッグストア 柏中央店" and f["store"]["read"] == "ミナミドラッグ"
    assert f["store"]["corrected"] and f["total"] == {"value": 1540, "read": 540, "confidence": 0.6, "corrected": True}
    assert f["items"]["corrected"] and f["items"]["value"] == [{"name": TARGET, "quantity": 2, "amount": 300}]
    assert len(f["items"]["read"]) == 2 and not f["date"]["corrected"]
    # The reader's own reading is untouched.
    assert db_rows(data_dir, "SELECT receipt FROM entry_images WHERE entry_id = ?", eid)[0][0] == original
    ev = [h for h in e["history"] if h["kind"] == "corrected"][0]
    changes = {c["field"]: c for c in ev["detail"]["changes"]}
    assert changes["total"]["from"] == 540 and changes["total"]["to"] == 1540 and changes["total"]["read"] == 540
    assert ev["actor"] == owner.body["user"]["id"]
    assert [r["object_id"] for r in audit(owner, action="entry.correct")] == [eid]
    # null puts a field back to the reading; the same values again change nothing.
    status, _, body = owner.req("POST", f"/review/{eid}/corrections",
                                {"version": 2, "receipts": [{"position": 0, "total": None}]})
    assert status == 200 and body["entry"]["receipts"][0]["fields"]["total"] == {
        "value": 540, "read": 540, "confidence": 0.6, "corrected": False}
    status, _, body = owner.req("POST", f"/review/{eid}/corrections",
                                {"version": 3, "receipts": [{"position": 0, "total": None}]})
    assert status == 200 and body["entry"]["version"] == 3
    # Approval judges the corrected reading: 2 of the product.
    status, _, body = decide(owner, body["entry"])
    assert status == 200 and body["result"]["summary"]["products"] == [{"name": TARGET, "quantity": 2, "amount": 300}]


@pytest.mark.parametrize("change,key", [
    ({"date": "2026-13-01"}, "receipts.0.date"),
    ({"date": "20261101"}, "receipts.0.date"),
    ({"time": "25:00"}, "receipts.0.time"),
    ({"total": -5}, "receipts.0.total"),
    ({"total": "1200"}, "receipts.0.total"),
    ({"registration_number": "T3203221632230"}, "receipts.0.registration_number"),
    ({"phone": "call me"}, "receipts.0.phone"),
    ({"store": ""}, "receipts.0.store"),
    ({"store": "店" * 101}, "receipts.0.store"),
    ({"items": [{"name": TARGET, "quantity": 0, "amount": 100}]}, "receipts.0.items"),
    ({"items": [{"name": TARGET, "quantity": 1, "amount": 100, "x": 1}]}, "receipts.0.items"),
    ({"items": "ポテト"}, "receipts.0.items"),
    ({"status": "accepted"}, "receipts.0.status"),
    ({"position": 5}, None),
])
def test_corrections_are_validated_field_by_field(srv, owner, data_dir, instant, change, key):
    (eid,) = inject_review(data_dir, instant, [reading()])
    status, _, body = owner.req("POST", f"/review/{eid}/corrections",
                                {"version": 1, "receipts": [{"position": 0, **change}]})
    if key is None:  # a photo the entry does not have
        assert status == 404
    else:
        assert status == 400 and key in body["error"]["fields"], body
    assert db_rows(data_dir, "SELECT version, corrected FROM entry_images JOIN entries ON id = entry_id"
                   " WHERE id = ?", eid) == [(1, None)]


def test_approval_is_refused_when_the_corrected_reading_breaks_the_rules(srv, owner, data_dir, instant):
    eid, dup = inject_review(data_dir, instant, [reading(items=(("緑茶 500ml", 1, 390),)), reading(receipt_no="77")])
    e = nxt(owner, instant)["entry"]
    status, _, body = decide(owner, e)
    assert status == 409 and body["error"]["code"] == "rules_not_met" and body["error"]["reason"] == "no_target_product"
    assert "対象商品" in body["error"]["message"]
    assert db_rows(data_dir, "SELECT status, version FROM entries WHERE id = ?", eid) == [("review", 1)]
    # With the product line corrected, in the same call, it passes.
    status, _, body = decide(owner, e, corrections={"receipts": [
        {"position": 0, "items": [{"name": TARGET, "quantity": 1, "amount": 150}]}]})
    assert status == 200 and body["status"] == "accepted", body
    assert [r["object_id"] for r in audit(owner, action="entry.correct")] == [eid]
    # The same receipt (store, date, time, total, number) corrected into another entry: already used.
    status, _, body = decide(owner, nxt(owner, instant)["entry"], corrections={"receipts": [
        {"position": 0, "receipt_number": "0001"}]})
    assert status == 400 and "corrections.receipts.0.receipt_number" in body["error"]["fields"]
    status, _, body = decide(owner, nxt(owner, instant)["entry"], corrections={"receipts": [
        {"position": 0, "items": [{"name": TARGET, "quantity": 1, "amount": 150}], "total": 540}]})
    # Different receipt number: accepted. Same one: refused.
    assert status == 200
    (third,) = inject_review(data_dir, instant, [reading(receipt_no="77")])
    status, _, body = decide(owner, nxt(owner, instant)["entry"])
    assert status == 409 and body["error"]["reason"] == "receipt_already_used"
    assert db_rows(data_dir, "SELECT status FROM entries WHERE id = ?", third) == [("review",)]


def test_reject_with_a_template_and_note(srv, owner, data_dir, instant):
    eid, other = inject_review(data_dir, instant, [reading(), reading(receipt_no="2")])
    e = nxt(owner, instant)["entry"]
    status, _, body = decide(owner, e, "reject")
    assert status == 400 and "template" in body["error"]["fields"]
    status, _, body = decide(owner, e, "reject", template="no_such_reason")
    assert status == 400 and "template" in body["error"]["fields"]
    status, _, body = decide(owner, e, "reject", template="x", note="a" * 1001)
    assert status == 400 and "note" in body["error"]["fields"]
    status, _, body = decide(owner, e, "reject", template="partial_receipt", note="合計欄が切れている")
    assert status == 200 and body["status"] == "rejected"
    assert body["result"]["message"]["ja"].startswith("レシートの一部しか写っていません")
    row = db_rows(data_dir, "SELECT status, reason, units, review_template, review_note FROM entries WHERE id = ?", eid)
    assert row == [("rejected", "partial_receipt", 0, "partial_receipt", "合計欄が切れている")]
    assert db_rows(data_dir, "SELECT count(*) FROM receipts_used WHERE entry_id = ?", eid) == [(0,)]
    status, _, d = owner.req("GET", f"/entries/{eid}")
    rv = d["entry"]["review"]
    assert rv["template"] == "partial_receipt" and rv["note"] == "合計欄が切れている" and rv["by"] == owner.body["user"]["id"]
    assert [r["object_id"] for r in audit(owner, action="review.reject") if r["outcome"] == "success"] == [eid]
    # Only the other one is left.
    assert nxt(owner, instant)["entry"]["id"] == other


def test_templates_are_editable_by_admins_not_reviewers(srv, owner, data_dir, instant):
    reviewer = login(srv, add_user(owner, "rev@demo.example", "reviewer")["email"], STAFF_PW)
    new = {"version": 0, "label_ja": "手書きレシート", "label_en": "Handwritten", "position": 10,
           "message_ja": "手書きのレシートは対象外です。", "message_en": "Handwritten receipts are not accepted."}
    assert reviewer.req("PUT", "/review/templates/handwritten", new)[0] == 403
    status, _, body = owner.req("PUT", "/review/templates/handwritten", new)
    assert status == 200 and "handwritten" in [t["code"] for t in body["templates"]]
    assert owner.req("PUT", "/review/templates/handwritten", new)[0] == 409  # exists already
    status, _, body = owner.req("PUT", "/review/templates/BAD%20CODE", {**new, "label_ja": ""})
    assert status == 400 and {"code", "label_ja"} <= set(body["error"]["fields"])
    upd = {**new, "version": 1, "active": False}
    assert owner.req("PUT", "/review/templates/handwritten", upd)[0] == 200
    assert owner.req("PUT", "/review/templates/handwritten", upd)[0] == 409  # stale
    assert owner.req("PUT", "/review/templates/nothing", upd)[0] == 404
    # Retired: listed for the editor, not offered in the queue, refused for a decision.
    status, _, body = reviewer.req("GET", "/review/templates")
    assert status == 200 and [t["active"] for t in body["templates"] if t["code"] == "handwritten"] == [False]
    assert "handwritten" not in [t["code"] for t in reviewer.req("GET", "/review")[2]["templates"]]
    (eid,) = inject_review(data_dir, instant, [reading()])
    status, _, body = decide(reviewer, {"id": eid, "version": 1}, "reject", template="handwritten")
    assert status == 400 and "template" in body["error"]["fields"]
    assert len(audit(owner, action="review.template.save")) == 6


def test_viewer_reads_the_queue_but_cannot_decide(srv, owner, data_dir, instant):
    (eid,) = inject_review(data_dir, instant, [reading()])
    viewer = login(srv, add_user(owner, "viewer@demo.example", "viewer")["email"], STAFF_PW)
    assert "review.images" not in viewer.body["perms"] and "review.read" in viewer.body["perms"]
    assert nxt(viewer, instant)["entry"]["id"] == eid
    assert decide(viewer, {"id": eid, "version": 1})[0] == 403
    assert viewer.req("POST", f"/review/{eid}/corrections", {"version": 1, "receipts": []})[0] == 403


def test_another_tenants_staff_cannot_reach_entries(srv, owner, data_dir, instant):
    (eid,) = inject_review(data_dir, instant, [reading()])
    assert srv.json("POST", "/ops/api/tenants", {"slug": "acme", "name": "Acme"}, token=OPS_TOKEN)[0] == 201
    assert cli_input(data_dir, STAFF_PW + "\n", "user", "add", "acme", "boss@acme.example", "Boss", "--role",
                     "owner").returncode == 0
    acme = login(srv, "boss@acme.example", STAFF_PW, slug="acme")
    assert decide(acme, {"id": eid, "version": 1})[0] == 404
    assert acme.req("POST", f"/review/{eid}/corrections", {"version": 1, "receipts": [
        {"position": 0, "total": 1}]})[0] == 404
    assert acme.req("GET", f"/entries/{eid}")[0] == 404
    assert acme.req("GET", f"/entries/{eid}/images/0")[0] == 404
    assert acme.req("GET", f"/review/next?campaign={instant}")[2]["entry"] is None
    # Their session does not work on this tenant at all.
    assert acme.req("GET", f"/entries/{eid}/images/0", slug="demo")[0] == 401
    assert db_rows(data_dir, "SELECT status, version FROM entries WHERE id = ?", eid) == [("review", 1)]


@pytest.fixture
def shop(make_server, data_dir):
    return make_server(demo_password=OWNER_PW, reader_workers=1, workers=1)


def test_uploaded_entry_reviewed_end_to_end(shop, data_dir, tmp_path):
    """A real upload read by the reader and sent to review (the campaign's
    threshold is above any reading), its photo behind the staff route only,
    searchable by what was read, approved; the shopper then sees the result."""
    d = tmp_path / "receipts"
    d.mkdir()
    truth = gen.make_receipt_with([TARGET], d, rid="rv", seed=6, levels=["clean"])  # bought in the past
    photo = d / "rv-clean.png"
    cid = import_campaign(data_dir, tmp_path, "review-e2e", purchase_period=window_around(truth),
                          rules__review_threshold=0.999,
                          prizes=[{"code": "A", "name": "QUOカード", "value": 1000, "stock": 5,
                                   "probability_ppm": 1000000}])
    s = Shopper(shop)
    status, body = s.enter("review-e2e", [photo], email="Hanako@Example.jp")
    assert status == 202, body
    e = s.judged("review-e2e", body["entry"]["id"])
    assert e["status"] == "review" and e["reason"] == "low_confidence", e
    owner = login(shop, OWNER, OWNER_PW)
    item = nxt(owner, cid)["entry"]
    assert item["id"] == e["id"] and item["receipts"][0]["fields"]["date"]["read"] == truth["date"]
    # The judging job filled the searchable columns and the history.
    row = db_rows(data_dir, "SELECT store, purchase_day IS NOT NULL, total FROM entries WHERE id = ?", e["id"])[0]
    assert row[1] == 1 and row[2] == truth["total"] and row[0]
    assert [h["kind"] for h in item["history"]] == ["created", "judged"]
    # The photo: for staff who may see it, undecorated bytes, never cached, audited.
    status, hdrs, data = shop.request("GET", f"/t/demo/api/admin/entries/{e['id']}/images/0",
                                      headers={"Cookie": f"recam_s={owner.token}"})
    assert status == 200 and data == photo.read_bytes()
    assert hdrs["content-type"] == "image/png" and hdrs["cache-control"] == "no-store"
    assert hdrs["x-content-type-options"] == "nosniff"
    assert [r["object_id"] for r in audit(owner, action="entry.image.read")] == [e["id"]]
    assert shop.request("GET", f"/t/demo/api/admin/entries/{e['id']}/images/1",
                        headers={"Cookie": f"recam_s={owner.token}"})[0] == 404
    assert shop.request("GET", f"/t/demo/api/admin/entries/{e['id']}/images/0")[0] == 401
    viewer = login(shop, add_user(owner, "viewer@demo.example", "viewer")["email"], STAFF_PW)
    status, _, body = viewer.req("GET", f"/entries/{e['id']}/images/0")
    assert status == 403 and body["error"]["code"] == "forbidden"
    reviewer = login(shop, add_user(owner, "rev@demo.example", "reviewer")["email"], STAFF_PW)
    assert reviewer.req("GET", f"/entries/{e['id']}/images/0")[0] == 200
    # No public URL leads to it: the blob file is ciphertext, not the photo.
    blobs = list((data_dir / "tenants").rglob("blobs/??/*"))
    assert blobs and all(photo.read_bytes()[:64] not in b.read_bytes() for b in blobs)
    # Search by the participant's address (sealed; found by its keyed hash), masked for viewers.
    status, _, found = owner.req("GET", "/entries?email=hanako@example.jp")
    assert status == 200 and [x["id"] for x in found["entries"]] == [e["id"]]
    assert owner.req("GET", f"/entries/{e['id']}")[2]["entry"]["participant"]["email"] == "hanako@example.jp"
    assert viewer.req("GET", f"/entries/{e['id']}")[2]["entry"]["participant"]["email"] == "h***@example.jp"
    # Approve: the rules and the lottery run; the shopper's page shows the final result.
    status, _, body = decide(reviewer, item)
    assert status == 200 and body["result"]["instant_win"]["won"] is True, body
    status, final = s.entry("review-e2e", e["id"])
    assert status == 200 and final["entry"]["status"] == "accepted"
    assert final["entry"]["result"]["instant_win"]["prize"]["code"] == "A"
    # A second shopper rejected by a reviewer reads the template's message.
    s2 = Shopper(shop)
    truth2 = gen.make_receipt_with([TARGET], d, rid="rv2", seed=12, levels=["clean"])
    status, body = s2.enter("review-e2e", [d / "rv2-clean.png"], email="jiro@example.jp")
    e2 = s2.judged("review-e2e", body["entry"]["id"])
    assert e2["status"] == "review" and truth2
    item2 = nxt(owner, cid)["entry"]
    assert decide(owner, item2, "reject", template="altered_image")[0] == 200
    status, final = s2.entry("review-e2e", e2["id"])
    assert final["entry"]["status"] == "rejected" and "加工の疑い" in final["entry"]["message"]
