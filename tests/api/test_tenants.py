"""Tenants: the CLI, the operator API, and reaching a tenant by path or host."""
import json

from conftest import OPS_TOKEN, run_cli


def test_cli_create_list_show(data_dir):
    out = run_cli(data_dir, "tenant", "create", "acme-foods", "アクメ食品株式会社").stdout
    assert "slug:       acme-foods" in out and "status:     active" in out
    tid = out.split("id:", 1)[1].split()[0]
    assert len(tid) == 26
    listing = run_cli(data_dir, "tenant", "list").stdout
    assert "acme-foods" in listing and "アクメ食品株式会社" in listing
    assert tid in run_cli(data_dir, "tenant", "show", "acme-foods").stdout
    assert "acme-foods" in run_cli(data_dir, "tenant", "show", tid).stdout


def test_cli_refuses_bad_and_duplicate_tenants(data_dir):
    run_cli(data_dir, "tenant", "create", "acme", "Acme")
    for args, why in [(("acme", "Again"), "already exists"), (("Bad_Slug", "x"), "slug"),
                      (("admin", "x"), "reserved"), (("ok-slug", ""), "name"),
                      (("ok-slug", "bad\x01name"), "name")]:
        p = run_cli(data_dir, "tenant", "create", *args, check=False)
        assert p.returncode == 1 and why in p.stderr, (args, p.stderr)
    p = run_cli(data_dir, "tenant", "show", "nobody", check=False)
    assert p.returncode == 1 and "no tenant" in p.stderr
    assert run_cli(data_dir, "tenant", check=False).returncode == 2


def test_each_tenant_gets_its_own_database_and_key(data_dir):
    run_cli(data_dir, "tenant", "create", "one", "One")
    run_cli(data_dir, "tenant", "create", "two", "Two")
    dbs = sorted(p.parent.name for p in (data_dir / "tenants").glob("*/tenant.db"))
    assert len(dbs) == 2
    import sqlite3
    con = sqlite3.connect(data_dir / "control.db")
    keys = [bytes(k) for (k,) in con.execute("SELECT wrapped_key FROM tenants")]
    con.close()
    assert len(set(keys)) == 2 and all(len(k) == 73 for k in keys)


def test_tenant_by_path(server):
    status, hdrs, body = server.json("GET", "/t/demo/api/info")
    assert status == 200
    assert body["tenant"] == {"slug": "demo", "name": "デモ食品株式会社"}
    status, hdrs, body = server.request("GET", "/t/demo/")
    assert status == 200 and b"<html" in body
    status, hdrs, _ = server.request("GET", "/t/demo")
    assert status == 308 and hdrs["location"] == "/t/demo/"


def test_unknown_or_malformed_tenant_is_404(server):
    for path in ["/t/nobody/api/info", "/t/DEMO/api/info", "/t/../api/info", "/t//api/info",
                 "/t/" + "a" * 300 + "/api/info", "/t/demo%00/api/info"]:
        status, hdrs, body = server.request("GET", path)
        assert status == 404, path
        assert json.loads(body)["error"]["code"] == "not_found"


def test_tenant_by_base_domain_host(make_server):
    srv = make_server(tenant_base_domain="campaigns.example.test")
    status, _, body = srv.json("GET", "/api/info", headers={"Host": "demo.campaigns.example.test:8080"})
    assert status == 200 and body["tenant"]["slug"] == "demo"
    assert srv.request("GET", "/api/info", headers={"Host": "nobody.campaigns.example.test"})[0] == 404
    # The platform's own host and unknown hosts get the platform routes.
    assert srv.request("GET", "/healthz", headers={"Host": "campaigns.example.test"})[0] == 200
    assert srv.request("GET", "/api/info", headers={"Host": "other.example"})[0] == 404


def test_tenant_by_custom_host(make_server, data_dir):
    run_cli(data_dir, "tenant", "create", "acme", "Acme", "--host", "receipts.acme.example")
    srv = make_server()
    status, _, body = srv.json("GET", "/api/info", headers={"Host": "RECEIPTS.acme.example"})
    assert status == 200 and body["tenant"]["slug"] == "acme"


def test_ops_api_needs_its_token(server, make_server, tmp_path):
    assert server.request("GET", "/ops/api/tenants")[0] == 401
    status, hdrs, _ = server.request("GET", "/ops/api/tenants", token="wrong")
    assert status == 401 and hdrs["www-authenticate"] == "Bearer"
    # With no token configured the operator API does not exist.
    off = make_server(data=tmp_path / "off", ops_token="")
    assert off.request("GET", "/ops/api/tenants", token="")[0] == 404


def test_ops_api_creates_lists_and_shows_tenants(server):
    status, _, body = server.json("POST", "/ops/api/tenants", body={"slug": "mall-1", "name": "ショッピングモール"},
                                  token=OPS_TOKEN)
    assert status == 201
    t = body["tenant"]
    assert t["slug"] == "mall-1" and t["status"] == "active" and len(t["id"]) == 26
    status, _, body = server.json("POST", "/ops/api/tenants", body={"slug": "mall-1", "name": "again"},
                                  token=OPS_TOKEN)
    assert status == 409 and body["error"]["code"] == "conflict"
    status, _, body = server.json("GET", "/ops/api/tenants", token=OPS_TOKEN)
    assert [x["slug"] for x in body["tenants"]] == ["demo", "mall-1"]
    status, _, body = server.json("GET", f"/ops/api/tenants/{t['id']}", token=OPS_TOKEN)
    assert status == 200 and body["tenant"]["name"] == "ショッピングモール"
    assert server.request("GET", "/ops/api/tenants/zzzzzzzzzzzzzzzzzzzzzzzzzz", token=OPS_TOKEN)[0] == 404
    # The new tenant is served at once.
    status, _, body = server.json("GET", "/t/mall-1/api/info")
    assert status == 200 and body["tenant"]["name"] == "ショッピングモール"


def test_script_in_a_tenant_name_stays_data(server):
    name = '<script>alert(1)</script>"\'&'
    status, _, body = server.json("POST", "/ops/api/tenants", body={"slug": "xss", "name": name}, token=OPS_TOKEN)
    assert status == 201
    status, hdrs, raw = server.request("GET", "/t/xss/api/info")
    assert json.loads(raw)["tenant"]["name"] == name
    assert hdrs["content-type"].startswith("application/json")
