"""Staff accounts of the tenant admin console: login and sessions, throttling,
timeouts on the injectable clock, CSRF, every role against every staff route,
tenant isolation, owners, password policy and the hash-chained audit log."""
import sqlite3
import subprocess

import pytest

from conftest import OPS_TOKEN, run_cli
# The staff helpers live in staff.py; the other admin tests import them from
# here too, so they stay names of this module.
from staff import (ADMIN, OWNER, OWNER_PW, STAFF_PW, Staff, add_user, audit, cli_input, login, login_raw,  # noqa: F401
                   owner, set_clock, srv, tenant_db, token_of)


def test_login_session_and_logout(srv, owner):
    status, hdrs, body = login_raw(srv, OWNER, OWNER_PW)
    cookie = hdrs["set-cookie"]
    assert cookie.startswith("recam_s=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Secure" not in cookie  # plain HTTP here; see test_tls_cookie
    assert len(token_of(hdrs)) == 64 and body["role"] == "owner" and body["user"]["email"] == OWNER
    status, _, me = owner.req("GET", "/session")
    assert status == 200 and me["csrf_token"] == owner.csrf and me["user"]["role"] == "owner"
    # Only a hash of the token is stored.
    con = sqlite3.connect(tenant_db(srv.data_dir))
    hashes = [h for (h,) in con.execute("SELECT token_hash FROM sessions")]
    con.close()
    assert owner.token not in hashes and len(hashes) == 2
    status, hdrs, _ = owner.req("POST", "/logout")
    assert status == 200 and "Max-Age=0" in hdrs["set-cookie"]
    status, _, body = owner.req("GET", "/session")
    assert status == 401 and body["error"]["code"] == "unauthenticated"
    assert "もう一度ログイン" in body["error"]["message"]
    assert srv.json("GET", f"{ADMIN}/session")[0] == 401  # no cookie at all


def test_wrong_password_and_unknown_user_get_one_answer(srv):
    s1, _, wrong = login_raw(srv, OWNER, "Not-The-Password-1")
    s2, _, unknown = login_raw(srv, "nobody@demo.example", "Not-The-Password-1")
    assert s1 == s2 == 401 and wrong == unknown and wrong["error"]["code"] == "invalid_credentials"
    _, _, en = login_raw(srv, OWNER, "Not-The-Password-1", lang="en-US,en;q=0.8")
    assert en["error"]["message"] == "The email address or password is not correct."
    # Email is matched case-insensitively.
    assert login_raw(srv, OWNER.upper(), OWNER_PW)[0] == 200
    status, _, body = srv.json("POST", f"{ADMIN}/login", {"email": "not-an-email"})
    assert status == 400 and set(body["error"]["fields"]) == {"email", "password"}


def test_repeated_failures_lock_the_account_with_back_off(srv, owner):
    add_user(owner, "rev@demo.example", "reviewer")
    for _ in range(5):
        assert login_raw(srv, "rev@demo.example", "wrong-password-x")[0] == 401
    # Locked: even the right password is refused, with Retry-After.
    status, hdrs, body = login_raw(srv, "rev@demo.example", STAFF_PW)
    assert status == 429 and body["error"]["code"] == "account_locked"
    assert 0 < int(hdrs["retry-after"]) <= 15 * 60
    recs = audit(owner, action="account.lock")
    assert len(recs) == 1 and recs[0]["outcome"] == "success"
    assert len([r for r in audit(owner, action="login") if r["outcome"] == "failure"]) == 5
    set_clock(srv, 16 * 60 * 1000)
    owner = login(srv, OWNER, OWNER_PW)
    # The second lock lasts twice as long (30 minutes).
    for _ in range(5):
        assert login_raw(srv, "rev@demo.example", "wrong-password-x")[0] == 401
    status, hdrs, _ = login_raw(srv, "rev@demo.example", STAFF_PW)
    assert status == 429 and 15 * 60 < int(hdrs["retry-after"]) <= 30 * 60
    set_clock(srv, (16 + 31) * 60 * 1000)
    assert login_raw(srv, "rev@demo.example", STAFF_PW)[0] == 200
    set_clock(srv, 0)


def test_unknown_addresses_are_throttled_alike(srv, owner):
    # A lock must not tell an attacker which addresses have accounts.
    for _ in range(5):
        assert login_raw(srv, "ghost@demo.example", "wrong-password-x")[0] == 401
    status, hdrs, body = login_raw(srv, "ghost@demo.example", "wrong-password-x")
    assert status == 429 and body["error"]["code"] == "account_locked" and int(hdrs["retry-after"]) > 0
    locks = audit(owner, action="account.lock")
    assert [r["object_id"] for r in locks] == ["ghost@demo.example"]


def test_idle_timeout_moves_with_use(srv, owner):
    minute = 60 * 1000
    set_clock(srv, 29 * minute)
    assert owner.req("GET", "/session")[0] == 200
    set_clock(srv, 58 * minute)  # 29 minutes after the last use
    assert owner.req("GET", "/session")[0] == 200
    set_clock(srv, 89 * minute)  # 31 minutes idle
    status, _, body = owner.req("GET", "/session")
    assert status == 401 and body["error"]["code"] == "unauthenticated"
    # Gone for good, not just for now.
    set_clock(srv, 0)
    assert owner.req("GET", "/session")[0] == 401


def test_idle_timeout_is_a_tenant_setting_and_lifetime_is_absolute(srv, owner):
    status, _, body = owner.req("PUT", "/settings/security", {"version": 0, "idle_timeout_minutes": 240})
    assert status == 200 and body["security"]["idle_timeout_minutes"] == 240
    hour = 3600 * 1000
    for h in (3, 6, 9, 11):  # used every 3 hours: never idle for long
        set_clock(srv, h * hour)
        assert owner.req("GET", "/session")[0] == 200, h
    set_clock(srv, 12 * hour)
    assert owner.req("GET", "/session")[0] == 401
    set_clock(srv, 0)


def test_token_is_rotated_at_login(srv, owner):
    again = login(srv, OWNER, OWNER_PW, cookie=owner.token)
    assert again.token != owner.token and again.csrf != owner.csrf
    assert owner.req("GET", "/session")[0] == 401
    assert again.req("GET", "/session")[0] == 200


def test_csrf_token_required_on_state_changing_requests(srv, owner):
    new = {"email": "x@demo.example", "name": "X", "role": "viewer", "password": STAFF_PW}
    assert owner.req("POST", "/users", new, csrf=False)[0] == 403
    assert owner.req("POST", "/users", new, csrf="0" * 64)[0] == 403
    assert owner.req("POST", "/users", new, csrf=owner.csrf[:-1])[0] == 403
    assert owner.req("POST", "/logout", csrf=False)[0] == 403
    status, _, body = owner.req("GET", "/users")
    assert [u["email"] for u in body["users"]] == [OWNER]
    assert len(audit(owner, action="csrf.rejected")) == 4
    assert owner.req("POST", "/users", new)[0] == 201


# Every staff route with a request that passes the gate without changing
# much: (method, path, body, perm).
ROUTES = [
    ("GET", "/session", None, "self"),
    ("POST", "/password", {"current_password": "wrong", "new_password": "x"}, "self"),
    ("GET", "/users", None, "users.read"),
    ("POST", "/users", {"email": "bad"}, "users.manage"),
    ("PATCH", "/users/zzzzzzzzzzzzzzzzzzzzzzzzzz", {"role": "viewer"}, "users.manage"),
    ("DELETE", "/users/zzzzzzzzzzzzzzzzzzzzzzzzzz", None, "users.manage"),
    ("GET", "/settings/security", None, "security.manage"),
    ("PUT", "/settings/security", {"version": 0, "idle_timeout_minutes": 1}, "security.manage"),
    ("GET", "/audit", None, "audit.read"),
    ("GET", "/audit/export?format=csv", None, "audit.read"),
    ("GET", "/campaigns", None, "campaigns.read"),
    ("POST", "/campaigns", {"definition": {}}, "campaigns.edit"),
    ("POST", "/campaigns/preview", {"definition": {}}, "campaigns.read"),
    ("GET", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz", None, "campaigns.read"),
    ("PUT", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz", {"version": 1, "definition": {}}, "campaigns.edit"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/publish", None, "campaigns.edit"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/pause", None, "campaigns.edit"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/end", None, "campaigns.edit"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/duplicate", None, "campaigns.edit"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/products/import?version=1", {"x": 1}, "campaigns.edit"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/reader-tests", {"x": 1}, "campaigns.test"),
    ("GET", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/reader-tests/zzzzzzzzzzzzzzzzzzzzzzzzzz", None, "campaigns.test"),
    ("GET", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/draw", None, "draw.read"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/draw/commit", {"winners": 1, "alternates": 0}, "draw.run"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/draw/run", {}, "draw.run"),
    ("GET", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/draw/verify", None, "draw.read"),
    ("GET", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/draw/files/commitment.json", None, "draw.read"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/draw/redraw", {}, "draw.run"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/wins/zzzzzzzzzzzzzzzzzzzzzzzzzz/forfeit", {"reason": "other"},
     "draw.run"),
    ("GET", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/winners", None, "winners.read"),
    ("GET", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/winners/export?format=csv", None, "export.winners"),
    ("PATCH", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/winners/zzzzzzzzzzzzzzzzzzzzzzzzzz/shipping",
     {"status": "pending"}, "winners.manage"),
    ("POST", "/campaigns/zzzzzzzzzzzzzzzzzzzzzzzzzz/winners/shipping-csv?dry_run=true", "当選ID,追跡番号\r\n".encode(),
     "winners.manage"),
    ("GET", "/review", None, "review.read"),
    ("GET", "/review/next?campaign=zzzzzzzzzzzzzzzzzzzzzzzzzz", None, "review.read"),
    ("GET", "/review/templates", None, "review.read"),
    ("PUT", "/review/templates/zzzzzzzzzzzzzzzzzzzzzzzzzz", {"version": 5}, "campaigns.edit"),
    ("POST", "/review/zzzzzzzzzzzzzzzzzzzzzzzzzz/corrections", {"version": 1, "receipts": []}, "review.decide"),
    ("POST", "/review/zzzzzzzzzzzzzzzzzzzzzzzzzz/decision", {"version": 1, "decision": "approve"}, "review.decide"),
    ("GET", "/entries", None, "entries.read"),
    ("GET", "/entries/facets", None, "entries.read"),
    ("GET", "/entries/export?format=pdf", None, "export.entries"),
    ("GET", "/entries/zzzzzzzzzzzzzzzzzzzzzzzzzz", None, "entries.read"),
    ("GET", "/entries/zzzzzzzzzzzzzzzzzzzzzzzzzz/images/0", None, "review.images"),
    ("GET", "/dashboard", None, "campaigns.read"),
    ("GET", "/dashboard/zzzzzzzzzzzzzzzzzzzzzzzzzz", None, "campaigns.read"),
    ("POST", "/logout", None, "self"),
]
# What each role is granted, as src/http/staff.c declares it ("x.*" grants
# every "x.something"); the test holds the server to this table.
GRANTS = {
    "owner": {"*"},
    "admin": {"self", "campaigns.*", "review.*", "draw.*", "export.*", "winners.*", "entries.*", "audit.read"},
    "reviewer": {"self", "review.*", "entries.read"},
    "viewer": {"self", "campaigns.read", "review.read", "draw.read", "entries.read", "winners.read"},
}


def allowed(role, perm):
    g = GRANTS[role]
    return "*" in g or perm in g or perm.split(".")[0] + ".*" in g


def test_every_role_against_every_staff_route(srv, owner):
    staff = {"owner": owner}
    for role in ("admin", "reviewer", "viewer"):
        add_user(owner, f"{role}@demo.example", role)
        staff[role] = login(srv, f"{role}@demo.example", STAFF_PW)
    for method, path, body, perm in ROUTES:
        # Without a session every staff route is 401.
        assert srv.request(method, ADMIN + path, body)[0] == 401, (method, path)
        for role, s in staff.items():
            status, _, resp = s.req(method, path, body)
            if allowed(role, perm):
                assert status not in (401, 403), (role, method, path, status, resp)
            else:
                assert status == 403 and resp["error"]["code"] == "forbidden", (role, method, path, status)
    # The last route logged everyone out.
    assert owner.req("GET", "/session")[0] == 401
    denied = audit(login(srv, OWNER, OWNER_PW), action="access.denied", limit=200)
    assert {r["actor"] for r in denied} == {staff[r].body["user"]["id"] for r in ("admin", "reviewer", "viewer")}


def test_audit_log_export_follows_the_filters_and_is_recorded(srv, owner):
    add_user(owner, "reviewer@demo.example", "reviewer")
    status, hdrs, body = owner.req("GET", "/audit/export?format=csv&action=user.create")
    assert status == 200 and hdrs["content-type"].startswith("text/csv")
    assert "attachment" in hdrs["content-disposition"] and hdrs["cache-control"].startswith("no-store")
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:4] == ["seq", "at_utc", "actor", "action"]
    # The demo owner (by the CLI) and the reviewer, newest first.
    assert [ln.split(",")[3] for ln in lines[1:]] == ["user.create", "user.create"]
    assert lines[1].endswith("デモ オーナー") and ",cli,user.create," in lines[2]
    status, _, body = owner.req("GET", "/audit/export?format=xlsx")
    assert status == 200 and body[:2] == b"PK"
    status, _, body = owner.req("GET", "/audit/export?format=pdf")
    assert status == 400 and "format" in body["error"]["fields"]
    status, _, body = owner.req("GET", "/audit/export?since=yesterday")
    assert status == 400 and "since" in body["error"]["fields"]
    assert len(audit(owner, action="audit.export")) == 2


def test_session_lists_the_permissions_of_the_role(srv, owner):
    """The console builds its menu from these; each is exactly what the gate allows."""
    declared = {perm for _, _, _, perm in ROUTES}
    assert set(owner.body["perms"]) >= declared
    for role in ("admin", "reviewer", "viewer"):
        add_user(owner, f"{role}@demo.example", role)
        perms = set(login(srv, f"{role}@demo.example", STAFF_PW).body["perms"])
        assert perms & declared == {p for p in declared if allowed(role, p)}, role


def test_viewer_sees_personal_data_masked(srv, owner):
    v = add_user(owner, "viewer@demo.example", "viewer")
    viewer = login(srv, "viewer@demo.example", STAFF_PW)
    assert viewer.body["pii"] is False and owner.body["pii"] is True
    # Their own details in full.
    assert viewer.req("GET", "/session")[2]["user"]["email"] == "viewer@demo.example"
    assert v["email"] == "viewer@demo.example"


def test_other_tenants_session_and_ids_do_not_reach(srv, owner, data_dir):
    assert srv.json("POST", "/ops/api/tenants", {"slug": "acme", "name": "Acme"}, token=OPS_TOKEN)[0] == 201
    p = cli_input(data_dir, STAFF_PW + "\n", "user", "add", "acme", "boss@acme.example", "Boss", "--role", "owner")
    assert p.returncode == 0, p.stderr
    acme = login(srv, "boss@acme.example", STAFF_PW, slug="acme")
    demo_user = add_user(owner, "victim@demo.example", "admin")
    # Tenant A's session on tenant B's admin routes: not logged in there.
    for method, path, body, _ in ROUTES:
        status, _, _ = acme.req(method, path.replace("zzzzzzzzzzzzzzzzzzzzzzzzzz", demo_user["id"]), body,
                                slug="demo")
        assert status == 401, (method, path, status)
    # Tenant A's owner naming tenant B's user in tenant A: not found.
    assert acme.req("PATCH", f"/users/{demo_user['id']}", {"status": "disabled"})[0] == 404
    assert acme.req("DELETE", f"/users/{demo_user['id']}")[0] == 404
    users = {u["email"]: u for u in owner.req("GET", "/users")[2]["users"]}
    assert users["victim@demo.example"]["status"] == "active" and users["victim@demo.example"]["role"] == "admin"
    # And the demo owner cannot log in at acme.
    assert login_raw(srv, OWNER, OWNER_PW, slug="acme")[0] == 401


def test_last_owner_cannot_be_removed_or_demoted(srv, owner):
    me = owner.body["user"]["id"]
    for method, body in [("DELETE", None), ("PATCH", {"role": "admin"}), ("PATCH", {"status": "disabled"})]:
        status, _, resp = owner.req(method, f"/users/{me}", body)
        assert status == 409 and resp["error"]["code"] == "last_owner", (method, body)
    second = add_user(owner, "owner2@demo.example", "owner")
    status, _, resp = owner.req("PATCH", f"/users/{second['id']}", {"role": "viewer"})
    assert status == 200 and resp["user"]["role"] == "viewer"
    add_user(owner, "owner3@demo.example", "owner")
    status, _, resp = owner.req("PATCH", f"/users/{me}", {"role": "admin"})
    assert status == 200
    # Demoted: the change applies to the very next request.
    assert owner.req("GET", "/users")[0] == 403
    assert len([r for r in audit(login(srv, "owner3@demo.example", STAFF_PW), action="user.update")
                if r["outcome"] == "failure"]) == 2


def test_disabled_or_deleted_users_sessions_end_at_once(srv, owner):
    a = add_user(owner, "a@demo.example", "admin")
    b = add_user(owner, "b@demo.example", "reviewer")
    sa, sb = login(srv, "a@demo.example", STAFF_PW), login(srv, "b@demo.example", STAFF_PW)
    assert owner.req("PATCH", f"/users/{a['id']}", {"status": "disabled"})[0] == 200
    assert sa.req("GET", "/session")[0] == 401
    assert login_raw(srv, "a@demo.example", STAFF_PW)[0] == 401
    assert owner.req("DELETE", f"/users/{b['id']}")[0] == 200
    assert sb.req("GET", "/session")[0] == 401
    assert login_raw(srv, "b@demo.example", STAFF_PW)[0] == 401
    # A deleted user's address can be given to someone new.
    add_user(owner, "b@demo.example", "viewer")
    assert owner.req("PATCH", f"/users/{a['id']}", {"status": "active"})[0] == 200
    assert login_raw(srv, "a@demo.example", STAFF_PW)[0] == 200


@pytest.mark.parametrize("password,why", [
    ("Short-1", "12"),
    ("password1234", "よく使われている"),
    ("Sakura2024!!", "よく使われている"),
    ("qwertyuiop123", "よく使われている"),
    ("hanako-Blue-Ocean", "メールアドレス"),
    ("demo-Blue-Ocean-7", "組織ID"),
])
def test_password_policy_on_new_users(owner, password, why):
    status, _, body = owner.req("POST", "/users", {"email": "hanako@demo.example", "name": "花子", "role": "viewer",
                                                   "password": password})
    assert status == 400 and why in body["error"]["fields"]["password"], body


def test_password_policy_settings_and_change(srv, owner):
    status, _, body = owner.req("GET", "/settings/security")
    assert status == 200 and body["security"]["version"] == 0 and body["security"]["password_min_length"] == 12
    status, _, body = owner.req("PUT", "/settings/security",
                                {"version": 0, "password_min_length": 7, "idle_timeout_minutes": 241},
                                headers={"Accept-Language": "en"})
    assert status == 400 and set(body["error"]["fields"]) == {"password_min_length", "idle_timeout_minutes"}
    status, _, body = owner.req("PUT", "/settings/security",
                                {"version": 0, "password_min_length": 16, "password_require_digit": True})
    assert status == 200 and body["security"]["version"] == 1
    # A stale save is refused.
    assert owner.req("PUT", "/settings/security", {"version": 0, "password_min_length": 8})[0] == 409
    status, _, body = owner.req("POST", "/password", {"current_password": OWNER_PW, "new_password": "Kettle-Orbit-9"},
                                headers={"Accept-Language": "en"})
    assert status == 400 and body["error"]["fields"]["new_password"] == "Use at least 16 characters."
    status, _, body = owner.req("POST", "/password", {"current_password": OWNER_PW,
                                                      "new_password": "Kettle-Orbit-Maple-Pine"})
    assert status == 400 and "数字" in body["error"]["fields"]["new_password"]
    status, _, body = owner.req("POST", "/password", {"current_password": "nope", "new_password": "x"})
    assert status == 400 and "current_password" in body["error"]["fields"]
    other = login(srv, OWNER, OWNER_PW)
    new_pw = "Kettle-Orbit-Maple-Pine-5"
    assert owner.req("POST", "/password", {"current_password": OWNER_PW, "new_password": new_pw})[0] == 200
    # Other sessions end; this one goes on.
    assert other.req("GET", "/session")[0] == 401
    assert owner.req("GET", "/session")[0] == 200
    assert login_raw(srv, OWNER, OWNER_PW)[0] == 401
    assert login_raw(srv, OWNER, new_pw)[0] == 200


def test_cli_user_add_applies_the_policy(data_dir, srv):
    p = cli_input(data_dir, "password123456\n", "user", "add", "demo", "r@demo.example", "R", "--role", "reviewer")
    assert p.returncode == 1 and "common" in p.stderr
    p = cli_input(data_dir, STAFF_PW + "\n", "user", "add", "demo", "R@Demo.example", "R", "--role", "reviewer")
    assert p.returncode == 0 and "r@demo.example" in p.stdout
    assert login(srv, "r@demo.example", STAFF_PW).body["role"] == "reviewer"
    p = cli_input(data_dir, STAFF_PW + "\n", "user", "add", "demo", "r@demo.example", "R")
    assert p.returncode == 1 and "already exists" in p.stderr


def test_demo_owner_password_is_generated_and_printed_once(data_dir):
    out = run_cli(data_dir, "demo").stdout
    line = [x for x in out.splitlines() if x.startswith("demo owner password")]
    assert len(line) == 1 and len(line[0].split()[-1]) == 26
    again = run_cli(data_dir, "demo").stdout
    assert "demo owner present" in again and "password" not in again


def test_audit_log_records_actions_and_verify_finds_tampering(srv, owner, data_dir):
    a = add_user(owner, "a@demo.example", "admin")
    owner.req("PATCH", f"/users/{a['id']}", {"role": "viewer"})
    owner.req("PUT", "/settings/security", {"version": 0, "idle_timeout_minutes": 60})
    login_raw(srv, "a@demo.example", "wrong-password-x")
    owner.req("DELETE", f"/users/{a['id']}")
    recs = audit(owner)
    me = owner.body["user"]["id"]
    by_action = {r["action"]: r for r in reversed(recs)}
    for action, obj in [("user.create", a["id"]), ("user.update", a["id"]), ("user.delete", a["id"]),
                        ("settings.security.update", "security")]:
        r = by_action[action]
        assert r["actor"] == me and r["object_id"] == obj and r["outcome"] == "success", r
        assert r["client"] == "127.0.0.1" and len(r["request_id"]) == 16 and r["at"].endswith("Z")
    assert any(r["action"] == "login" and r["outcome"] == "failure" and r["object_id"] == a["id"] for r in recs)
    # Filters and paging.
    assert {r["action"] for r in audit(owner, action="user.create")} == {"user.create"}
    assert all(r["actor"] == me for r in audit(owner, actor=me))
    assert audit(owner, since="2100-01-01T00:00:00Z") == []
    page = owner.req("GET", "/audit?limit=2")[2]
    nxt = owner.req("GET", f"/audit?limit=2&cursor={page['next_cursor']}")[2]
    assert page["records"][1]["seq"] > nxt["records"][0]["seq"]
    assert owner.req("GET", "/audit?limit=0")[0] == 400

    ok = run_cli(data_dir, "audit", "verify", "demo")
    assert "chain intact" in ok.stdout
    # Altering a record with sqlite3 (around the append-only triggers) is found.
    con = sqlite3.connect(tenant_db(data_dir))
    seq = con.execute("SELECT seq FROM audit_log WHERE action = 'user.delete'").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE audit_log SET outcome = 'failure' WHERE seq = ?", (seq,))
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET outcome = 'failure' WHERE seq = ?", (seq,))
    con.commit()
    con.close()
    bad = run_cli(data_dir, "audit", "verify", "demo", check=False)
    assert bad.returncode == 1 and f"record {seq}" in bad.stderr


def test_audit_verify_finds_deleted_records(srv, owner, data_dir):
    add_user(owner, "a@demo.example", "admin")
    con = sqlite3.connect(tenant_db(data_dir))
    con.execute("DROP TRIGGER audit_log_no_delete")
    con.execute("DELETE FROM audit_log WHERE seq = 2")
    con.commit()
    bad = run_cli(data_dir, "audit", "verify", "demo", check=False)
    assert bad.returncode == 1 and "record 2" in bad.stderr
    # Cutting records off the end is found too.
    last = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    con.execute("DELETE FROM audit_log WHERE seq >= 2")
    con.commit()
    con.close()
    bad = run_cli(data_dir, "audit", "verify", "demo", check=False)
    assert bad.returncode == 1 and "record 2" in bad.stderr and last > 2


def test_tls_cookie_uses_host_prefix_and_secure(make_server, tmp_path):
    cert = tmp_path / "c.pem"
    key = tmp_path / "k.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True)
    srv = make_server(demo_password=OWNER_PW, tls_cert_file=cert, tls_key_file=key)
    status, hdrs, body = login_raw(srv, OWNER, OWNER_PW)
    assert status == 200
    c = hdrs["set-cookie"]
    assert c.startswith("__Host-recam_s=") and "; Secure" in c and "Path=/" in c and "HttpOnly" in c
    tok = c.split(";", 1)[0].split("=", 1)[1]
    assert srv.json("GET", f"{ADMIN}/session", headers={"Cookie": f"__Host-recam_s={tok}"})[0] == 200
    # The unprefixed name is not accepted over TLS.
    assert srv.json("GET", f"{ADMIN}/session", headers={"Cookie": f"recam_s={tok}"})[0] == 401
