"""Staff sessions for the API tests of the admin console: the demo owner's
credentials, a logged-in browser (session cookie and CSRF token), login,
staff users, the audit log, the injectable clock and the tenant's database
file, with the `srv` and `owner` fixtures most admin tests use (import them
into a test module to use them there; a module's own `srv` takes over)."""
import json
import sqlite3
import subprocess

import pytest

from conftest import BIN, SANITIZER_MARKS, base_env

OWNER = "owner@demo.example"
OWNER_PW = "Hinoki-Lantern-42"
STAFF_PW = "Maple-Kettle-Orbit-9"
ADMIN = "/t/demo/api/admin"


class Staff:
    """A logged-in browser: the session cookie and the CSRF token."""

    def __init__(self, srv, token, csrf, body, slug="demo"):
        self.srv, self.token, self.csrf, self.body, self.slug = srv, token, csrf, body, slug

    def req(self, method, path, body=None, csrf=True, headers=None, slug=None):
        h = {"Cookie": f"recam_s={self.token}"}
        if csrf:
            h["X-CSRF-Token"] = self.csrf if csrf is True else csrf
        h.update(headers or {})
        status, hdrs, data = self.srv.request(method, f"/t/{slug or self.slug}/api/admin{path}", body, h)
        # JSON answers parsed; downloads (CSV, xlsx, images) as bytes.
        if data and hdrs.get("content-type", "").startswith("application/json"):
            return status, hdrs, json.loads(data)
        return status, hdrs, (data or None)


def login_raw(srv, email, password, slug="demo", cookie=None, lang=None):
    h = {}
    if cookie:
        h["Cookie"] = f"recam_s={cookie}"
    if lang:
        h["Accept-Language"] = lang
    return srv.json("POST", f"/t/{slug}/api/admin/login", {"email": email, "password": password}, h)


def token_of(hdrs):
    c = hdrs["set-cookie"]
    return c.split(";", 1)[0].split("=", 1)[1]


def login(srv, email, password, slug="demo", cookie=None):
    status, hdrs, body = login_raw(srv, email, password, slug, cookie)
    assert status == 200, body
    return Staff(srv, token_of(hdrs), body["csrf_token"], body, slug)


def set_clock(srv, offset_ms):
    assert srv.json("POST", "/__test/clock", {"offset_ms": offset_ms})[0] == 200


def audit(staff, **filters):
    q = "&".join(f"{k}={v}" for k, v in filters.items())
    status, _, body = staff.req("GET", f"/audit?{q}")
    assert status == 200, body
    return body["records"]


def tenant_db(data_dir, slug="demo"):
    con = sqlite3.connect(data_dir / "control.db")
    (tid,) = con.execute("SELECT id FROM tenants WHERE slug = ?", (slug,)).fetchone()
    con.close()
    return data_dir / "tenants" / tid / "tenant.db"


def cli_input(data_dir, stdin, *args):
    p = subprocess.run([BIN, *args], env=base_env(data_dir), input=stdin, capture_output=True, text=True, timeout=60)
    assert not any(m in p.stderr for m in SANITIZER_MARKS), p.stderr
    return p


@pytest.fixture
def srv(make_server):
    return make_server(demo_password=OWNER_PW)


@pytest.fixture
def owner(srv):
    return login(srv, OWNER, OWNER_PW)


def add_user(owner, email, role, password=STAFF_PW, name="スタッフ"):
    status, _, body = owner.req("POST", "/users", {"email": email, "name": name, "role": role, "password": password})
    assert status == 201, body
    return body["user"]
