"""The closed draw from the admin console: the commitment published before,
commit and run through the same code as `recam draw`, the published files
verified by the CLI, verification that also checks the recorded wins,
forfeits promoting the next alternate in order, the re-draw of wins left
unclaimed past their deadline (instant wins give their prize back), the
claim deadline on the shopper's delivery form, every role, another tenant's
ids, and the audit log."""
import json
import sqlite3
import subprocess

import pytest

from conftest import BIN, OPS_TOKEN, ROOT, run_cli
from staff import OWNER, OWNER_PW, STAFF_PW, add_user, audit, cli_input, login, set_clock, tenant_db
from staff import owner  # noqa: F401 (fixtures)

DAY = 86400


@pytest.fixture
def srv(make_server, data_dir):
    """The demo tenant with its owner and the demo campaign (weighted draw)."""
    run_cli(data_dir, "demo", str(ROOT / "demo/campaign.json"), demo_password=OWNER_PW)
    return make_server(create_demo=False)


def seed(srv, n=40, participants=12, instant_winner=None, end=True):
    """Entries of the demo campaign straight into its database: every tenth
    rejected, units 1..4; optionally an instant win; the campaign ended."""
    con = sqlite3.connect(tenant_db(srv.data_dir))
    (cid,) = con.execute("SELECT id FROM campaigns WHERE slug = 'potato-winter'").fetchone()
    for p in range(participants):
        con.execute("INSERT INTO participants VALUES (?, ?, x'00', 'now')", (f"p{p:02d}", f"h{p}"))
    for i in range(n):
        status = "rejected" if i % 10 == 9 else "accepted"
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, units, campaign_day, created_at)"
                    " VALUES (?, ?, ?, ?, ?, 1, 1)", (f"e{i:03d}", cid, f"p{i % participants:02d}", status, i % 4 + 1))
    if instant_winner:
        con.execute("INSERT INTO wins(id, campaign_id, participant_id, entry_id, prize_code, kind, claim_deadline,"
                    " created_at) VALUES ('winstant', ?, ?, 'e000', 'A', 'instant', ?, 1)",
                    (cid, instant_winner, 10**10))
        con.execute("UPDATE prizes SET stock = stock - 1, won = won + 1 WHERE campaign_id = ? AND code = 'A'", (cid,))
    if end:
        con.execute("UPDATE campaigns SET status = 'ended' WHERE id = ?", (cid,))
    con.commit()
    con.close()
    return cid


def sql(srv, query, *args):
    con = sqlite3.connect(tenant_db(srv.data_dir))
    try:
        rows = con.execute(query, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def draw(owner, cid):
    status, _, body = owner.req("GET", f"/campaigns/{cid}/draw")
    assert status == 200, body
    return body


def commit_and_run(owner, cid, winners=4, alternates=3):
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/commit", {"winners": winners, "alternates": alternates})
    assert status == 201, body
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/run", {})
    assert status == 200, body
    return body["record"]


def test_commit_run_publish_and_verify(srv, owner, tmp_path):
    cid = seed(srv, instant_winner="p00", end=False)
    before = draw(owner, cid)
    assert before["state"] == "none" and before["campaign"]["draw"] == "weighted"
    # p00 won instantly: their 4 entries are not eligible; the 4 rejected ones neither.
    assert before["eligible"] == 40 - 4 - 4 and before["campaign"]["closed"] is False
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/commit", {"winners": 4, "alternates": 3})
    assert status == 409 and body["error"]["code"] == "campaign_open"
    assert "応募受付中" in body["error"]["message"]
    sql(srv, "UPDATE campaigns SET status = 'ended' WHERE id = ?", cid)
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/run", {})
    assert status == 409 and body["error"]["code"] == "not_committed"

    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/commit", {"winners": 4, "alternates": 3})
    assert status == 201, body
    c = body["commitment"]
    assert len(c["seed_sha256"]) == 64 and len(c["list_sha256"]) == 64 and "seed" not in c and "winners" not in c
    st = draw(owner, cid)
    assert st["state"] == "committed" and st["commitment"] == c and "result" not in st
    # The published files, before the draw: the list hashes to the commitment.
    status, hdrs, tsv = owner.req("GET", f"/campaigns/{cid}/draw/files/eligible.tsv")
    assert status == 200 and "attachment" in hdrs["content-disposition"]
    import hashlib
    assert hashlib.sha256(tsv).hexdigest() == c["list_sha256"]
    assert owner.req("GET", f"/campaigns/{cid}/draw/files/result.json")[0] == 404
    assert owner.req("GET", f"/campaigns/{cid}/draw/files/..%2Fmaster.key")[0] in (400, 404)
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/commit", {"winners": 4, "alternates": 3})
    assert status == 409 and body["error"]["code"] == "already_committed"
    # The list the first commit published is untouched by the refused second one.
    assert owner.req("GET", f"/campaigns/{cid}/draw/files/eligible.tsv")[2] == tsv

    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/run", {})
    assert status == 200, body
    rec = body["record"]
    assert rec["seed_sha256"] == c["seed_sha256"] and len(rec["seed"]) == 64
    assert len(rec["winners"]) == 4 and len(rec["alternates"]) == 3
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/run", {})
    assert status == 409 and body["error"]["code"] == "already_run"

    st = draw(owner, cid)
    assert st["state"] == "executed" and st["result"]["seed"] == rec["seed"]
    assert [w["entry_id"] for w in st["result"]["winners"]] == rec["winners"]
    assert all(w["win"]["status"] == "won" and w["win"]["kind"] == "draw" for w in st["result"]["winners"])
    assert [a["entry_id"] for a in st["result"]["alternates"]] == rec["alternates"]
    assert all(a["win"] is None for a in st["result"]["alternates"])
    assert st["counts"]["won"] == 5  # four drawn, one instant

    status, _, v = owner.req("GET", f"/campaigns/{cid}/draw/verify")
    assert status == 200 and v["verified"] is True and v["code"] == "verified", v
    assert v["entries"] == 32 and v["winners"] == 4 and v["alternates"] == 3

    # Anyone with the three published files verifies with the CLI.
    out = tmp_path / "published"
    out.mkdir()
    for name in ("commitment.json", "eligible.tsv", "result.json"):
        status, _, data = owner.req("GET", f"/campaigns/{cid}/draw/files/{name}")
        assert status == 200, name
        (out / name).write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    p = subprocess.run([BIN, "draw", "verify", str(out / "result.json"), str(out / "eligible.tsv"),
                        str(out / "commitment.json")], capture_output=True, text=True)
    assert p.returncode == 0 and "verified" in p.stdout, p.stdout + p.stderr

    actions = [r["action"] for r in audit(owner)]
    for a in ("draw.commit", "draw.run", "draw.verify", "draw.file"):
        assert a in actions, a
    # The refused commit was recorded as a failure too.
    assert {r["outcome"] for r in audit(owner, action="draw.commit")} == {"success", "failure"}


def test_the_cli_and_the_console_share_one_draw(srv, owner, tmp_path):
    """A draw committed with `recam draw commit` is seen, run and verified here."""
    cid = seed(srv)
    run_cli(srv.data_dir, "draw", "commit", "demo", "potato-winter", "--winners", "3", "--alternates", "1",
            "--out", str(tmp_path))
    st = draw(owner, cid)
    assert st["state"] == "committed"
    assert st["commitment"] == json.loads((tmp_path / "commitment.json").read_text())
    assert owner.req("POST", f"/campaigns/{cid}/draw/run", {})[0] == 200
    assert owner.req("GET", f"/campaigns/{cid}/draw/verify")[2]["verified"] is True
    p = run_cli(srv.data_dir, "draw", "run", "demo", "potato-winter", "--out", str(tmp_path), check=False)
    assert p.returncode == 1 and "already" in p.stderr


def test_commit_checks_its_input(srv, owner):
    cid = seed(srv)
    for body, field in [({"winners": 0, "alternates": 1}, "winners"), ({"winners": "3"}, "winners"),
                        ({"winners": 3, "alternates": -1}, "alternates"), ({"winners": 10**9, "alternates": 0}, "winners")]:
        status, _, resp = owner.req("POST", f"/campaigns/{cid}/draw/commit", body)
        assert status == 400 and field in resp["error"]["fields"], (body, resp)
        assert "整数" in resp["error"]["fields"][field]
    assert draw(owner, cid)["state"] == "none"


def test_no_draw_or_nothing_to_draw_is_refused(srv, owner):
    cid = seed(srv, n=0)
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/commit", {"winners": 1, "alternates": 0})
    assert status == 409 and body["error"]["code"] == "no_eligible"
    defn = json.loads(sql(srv, "SELECT definition FROM campaigns WHERE id = ?", cid)[0][0])
    defn["draw"] = "none"
    sql(srv, "UPDATE campaigns SET definition = ? WHERE id = ?", json.dumps(defn, ensure_ascii=False), cid)
    status, _, body = owner.req("POST", f"/campaigns/{cid}/draw/commit", {"winners": 1, "alternates": 0})
    assert status == 409 and body["error"]["code"] == "no_draw"


def test_forfeit_promotes_the_next_alternate_in_order(srv, owner):
    cid = seed(srv)
    rec = commit_and_run(owner, cid, winners=3, alternates=3)
    st = draw(owner, cid)
    second = st["result"]["winners"][1]["win"]["id"]
    status, _, body = owner.req("POST", f"/campaigns/{cid}/wins/{second}/forfeit", {"reason": "bogus"})
    assert status == 400 and "reason" in body["error"]["fields"]
    status, _, body = owner.req("POST", f"/campaigns/{cid}/wins/{second}/forfeit", {"reason": "declined"})
    assert status == 200, body
    f = body["forfeit"]
    assert f["win_id"] == second and f["promoted"]["rank"] == 1 and f["promoted"]["entry_id"] == rec["alternates"][0]
    status, _, body = owner.req("POST", f"/campaigns/{cid}/wins/{second}/forfeit", {"reason": "declined"})
    assert status == 409 and body["error"]["code"] == "already_forfeited"

    st = draw(owner, cid)
    assert st["result"]["winners"][1]["win"]["status"] == "forfeited"
    assert st["result"]["winners"][1]["win"]["forfeit_reason"] == "declined"
    alt1 = st["result"]["alternates"][0]["win"]
    assert alt1["status"] == "won" and alt1["replaces"] == second and alt1["alternate_rank"] == 1
    assert alt1["claim_deadline"] is not None
    assert st["result"]["alternates"][1]["win"] is None
    # The promoted alternate forfeits in turn: the second alternate follows.
    body = owner.req("POST", f"/campaigns/{cid}/wins/{alt1['id']}/forfeit", {"reason": "undeliverable"})[2]
    assert body["forfeit"]["promoted"]["rank"] == 2
    # The audit log says so.
    promoted = audit(owner, action="draw.alternate_promoted")
    assert {r["object_id"] for r in promoted} == {alt1["id"], body["forfeit"]["promoted"]["win_id"]}
    # Two forfeits, and the refused second attempt on the same win.
    assert sorted(r["outcome"] for r in audit(owner, action="win.forfeit")) == ["failure", "success", "success"]
    # Still verifiable: the recorded wins are the published winners and alternates in their places.
    status, _, v = owner.req("GET", f"/campaigns/{cid}/draw/verify")
    assert v["verified"] is True and v["promoted"] == 2, v
    # A recorded win that does not match the publication is caught.
    sql(srv, "UPDATE wins SET alternate_rank = 3 WHERE id = ?", alt1["id"])
    status, _, v = owner.req("GET", f"/campaigns/{cid}/draw/verify")
    assert status == 200 and v["verified"] is False and v["code"] == "wins_mismatch" and "alternate" in v["detail"]
    assert audit(owner, action="draw.verify")[0]["outcome"] == "mismatch"


def test_an_alternate_who_won_meanwhile_is_passed_over(srv, owner):
    cid = seed(srv)
    rec = commit_and_run(owner, cid, winners=2, alternates=3)
    (p1,) = sql(srv, "SELECT participant_id FROM entries WHERE id = ?", rec["alternates"][0])[0]
    sql(srv, "INSERT INTO wins(id, campaign_id, participant_id, prize_code, kind, created_at)"
             " VALUES ('wlate', ?, ?, 'B', 'instant', 2)", cid, p1)
    first = draw(owner, cid)["result"]["winners"][0]["win"]["id"]
    f = owner.req("POST", f"/campaigns/{cid}/wins/{first}/forfeit", {"reason": "ineligible"})[2]["forfeit"]
    assert f["promoted"]["rank"] == 2 and f["skipped_alternates"] == 1


def test_no_alternate_left_is_said(srv, owner):
    cid = seed(srv)
    commit_and_run(owner, cid, winners=2, alternates=0)
    first = draw(owner, cid)["result"]["winners"][0]["win"]["id"]
    f = owner.req("POST", f"/campaigns/{cid}/wins/{first}/forfeit", {"reason": "other"})[2]["forfeit"]
    assert f["promoted"] is None
    assert [r["object_id"] for r in audit(owner, action="draw.no_alternate")] == [first]


def test_shipped_win_cannot_be_forfeited(srv, owner):
    cid = seed(srv)
    commit_and_run(owner, cid, winners=1, alternates=1)
    first = draw(owner, cid)["result"]["winners"][0]["win"]["id"]
    sql(srv, "UPDATE wins SET status = 'shipped' WHERE id = ?", first)
    status, _, body = owner.req("POST", f"/campaigns/{cid}/wins/{first}/forfeit", {"reason": "declined"})
    assert status == 409 and body["error"]["code"] == "shipped"


def test_redraw_after_the_claim_deadline(srv, owner):
    cid = seed(srv, instant_winner="p00")
    commit_and_run(owner, cid, winners=3, alternates=2)
    st = draw(owner, cid)
    w = [x["win"]["id"] for x in st["result"]["winners"]]
    # One winner sent their details; the others and the instant winner did not.
    sql(srv, "UPDATE wins SET status = 'claimed' WHERE id = ?", w[0])
    (stock,) = sql(srv, "SELECT stock FROM prizes WHERE campaign_id = ? AND code = 'A'", cid)[0]
    # Before the deadline the re-draw finds nothing to do.
    body = owner.req("POST", f"/campaigns/{cid}/draw/redraw", {})[2]
    assert body["forfeited"] == 0 and draw(owner, cid)["redraw_due"] == 0
    sql(srv, "UPDATE wins SET claim_deadline = 100 WHERE id = 'winstant'")

    # 15 days on (claim_days is 14): log in again, the old session has expired.
    set_clock(srv, 15 * DAY * 1000)
    try:
        staff = login(srv, OWNER, OWNER_PW)
        assert draw(staff, cid)["redraw_due"] == 3
        status, _, body = staff.req("POST", f"/campaigns/{cid}/draw/redraw", {})
        assert status == 200 and body["forfeited"] == 3, body
        by_win = {r["win_id"]: r for r in body["results"]}
        assert set(by_win) == {w[1], w[2], "winstant"}
        assert by_win["winstant"]["stock_returned"] is True and by_win["winstant"]["promoted"] is None
        assert sorted(by_win[x]["promoted"]["rank"] for x in (w[1], w[2])) == [1, 2]
        (stock_after,) = sql(srv, "SELECT stock FROM prizes WHERE campaign_id = ? AND code = 'A'", cid)[0]
        assert stock_after == stock + 1
        rows = dict(sql(srv, "SELECT id, forfeit_reason FROM wins WHERE status = 'forfeited'"))
        assert rows == {w[1]: "unclaimed", w[2]: "unclaimed", "winstant": "unclaimed"}
        # The claimed win stays; the promoted alternates have a fresh deadline.
        st = draw(staff, cid)
        assert st["result"]["winners"][0]["win"]["status"] == "claimed"
        assert all(a["win"]["status"] == "won" and not a["win"]["claim_expired"] for a in st["result"]["alternates"])
        assert st["redraw_due"] == 0
        assert len(audit(staff, action="prize.stock_returned")) == 1
        assert len(audit(staff, action="draw.redraw")) == 2
    finally:
        set_clock(srv, 0)


def test_every_role(srv, owner):
    cid = seed(srv)
    staff = {"owner": owner}
    for role in ("admin", "reviewer", "viewer"):
        add_user(owner, f"{role}@demo.example", role)
        staff[role] = login(srv, f"{role}@demo.example", STAFF_PW)
    for role in ("viewer", "reviewer"):
        s = staff[role]
        want = 200 if role == "viewer" else 403
        assert s.req("GET", f"/campaigns/{cid}/draw")[0] == want
        assert s.req("GET", f"/campaigns/{cid}/draw/verify")[0] in ((409, 200) if role == "viewer" else (403,))
        assert s.req("POST", f"/campaigns/{cid}/draw/commit", {"winners": 1, "alternates": 0})[0] == 403
        assert s.req("POST", f"/campaigns/{cid}/draw/redraw", {})[0] == 403
    assert draw(owner, cid)["state"] == "none"
    commit_and_run(staff["admin"], cid, winners=2, alternates=1)
    first = draw(owner, cid)["result"]["winners"][0]["win"]["id"]
    assert staff["viewer"].req("POST", f"/campaigns/{cid}/wins/{first}/forfeit", {"reason": "declined"})[0] == 403
    assert staff["admin"].req("POST", f"/campaigns/{cid}/wins/{first}/forfeit", {"reason": "declined"})[0] == 200
    # CSRF is required for the state-changing ones.
    assert owner.req("POST", f"/campaigns/{cid}/draw/redraw", {}, csrf=False)[0] == 403


def test_another_tenants_ids_are_not_found_and_change_nothing(srv, owner):
    cid = seed(srv)
    commit_and_run(owner, cid, winners=2, alternates=1)
    first = draw(owner, cid)["result"]["winners"][0]["win"]["id"]
    assert srv.json("POST", "/ops/api/tenants", {"slug": "other", "name": "他社"}, token=OPS_TOKEN)[0] == 201
    p = cli_input(srv.data_dir, OWNER_PW + "\n", "user", "add", "other", "boss@other.example", "他社", "--role", "owner")
    assert p.returncode == 0, p.stderr
    other = login(srv, "boss@other.example", OWNER_PW, slug="other")
    for method, path, body in [("GET", f"/campaigns/{cid}/draw", None),
                               ("GET", f"/campaigns/{cid}/draw/verify", None),
                               ("GET", f"/campaigns/{cid}/draw/files/eligible.tsv", None),
                               ("POST", f"/campaigns/{cid}/draw/commit", {"winners": 1, "alternates": 0}),
                               ("POST", f"/campaigns/{cid}/draw/run", {}),
                               ("POST", f"/campaigns/{cid}/draw/redraw", {}),
                               ("POST", f"/campaigns/{cid}/wins/{first}/forfeit", {"reason": "declined"})]:
        status, _, _ = other.req(method, path, body)
        assert status == 404, (method, path, status)
    # The win of another campaign id (an unknown one) in this tenant: 404 too.
    assert owner.req("POST", f"/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/wins/{first}/forfeit",
                     {"reason": "declined"})[0] == 404
    assert draw(owner, cid)["result"]["winners"][0]["win"]["status"] == "won"
