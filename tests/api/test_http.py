"""HTTP behaviour every route relies on: JSON errors, limits, security
headers, static files, and hostile requests that must not hurt the server."""
import json

import pytest

from conftest import OPS_TOKEN

SECURITY_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_error(status, hdrs, body, want_status, code):
    assert status == want_status, body
    assert hdrs["content-type"].startswith("application/json")
    err = json.loads(body)["error"]
    assert err["code"] == code
    assert err["message"]
    return err


def test_security_headers_on_every_kind_of_response(server):
    for method, path in [("GET", "/healthz"), ("GET", "/nope"), ("POST", "/healthz"), ("GET", "/static/ui/app.css"),
                         ("GET", "/t/demo/")]:
        status, hdrs, _ = server.request(method, path)
        for name, must_contain in SECURITY_HEADERS.items():
            assert must_contain in hdrs.get(name, ""), (method, path, status, name, hdrs)
        assert "strict-transport-security" not in hdrs  # only under TLS
        assert len(hdrs["x-request-id"]) == 16


def test_unknown_route_is_json_404_in_japanese_by_default(server):
    status, hdrs, body = server.request("GET", "/no/such/page")
    err = assert_error(status, hdrs, body, 404, "not_found")
    assert "見つかりません" in err["message"]


def test_error_message_follows_accept_language(server):
    status, hdrs, body = server.request("GET", "/no/such/page", headers={"Accept-Language": "en-US,en;q=0.8"})
    err = assert_error(status, hdrs, body, 404, "not_found")
    assert "not found" in err["message"]


def test_wrong_method_is_405_with_allow(server):
    status, hdrs, body = server.request("DELETE", "/healthz")
    assert_error(status, hdrs, body, 405, "method_not_allowed")
    assert hdrs["allow"] == "GET, HEAD"
    status, hdrs, body = server.request("PUT", "/ops/api/tenants", token=OPS_TOKEN)
    assert status == 405
    assert set(m.strip() for m in hdrs["allow"].split(",")) == {"GET", "HEAD", "POST"}


def test_head_answers_like_get_without_body(server):
    status, hdrs, body = server.request("HEAD", "/healthz")
    assert status == 200 and body == b""
    assert hdrs["content-type"].startswith("application/json")


def test_keep_alive_serves_several_requests_on_one_connection(server):
    c = server.conn()
    try:
        for _ in range(5):
            c.request("GET", "/healthz")
            r = c.getresponse()
            assert r.status == 200 and json.loads(r.read()) == {"status": "ok"}
    finally:
        c.close()


@pytest.mark.parametrize("body,code,fragment", [
    (b'{"slug": "x", "name": ', "invalid_json", "line 1"),
    (b'{"slug": "abc", "slug": "abd", "name": "n"}', "invalid_json", "duplicate"),
    (b'\xff\xfe{"slug": 1}', "invalid_json", ""),
    (b"[" * 40 + b"]" * 40, "json_too_deep", "nesting"),
    (b'{"slug": "abc", "name": NaN}', "invalid_json", ""),
    (b"", "invalid_json", ""),
])
def test_invalid_json_is_400_naming_the_problem(server, body, code, fragment):
    status, hdrs, data = server.request("POST", "/ops/api/tenants", body=body,
                                        headers={"Content-Type": "application/json"}, token=OPS_TOKEN)
    err = assert_error(status, hdrs, data, 400, code)
    assert fragment in err.get("detail", "")


def test_json_with_wrong_content_type_is_415(server):
    status, hdrs, data = server.request("POST", "/ops/api/tenants", body=b'{"slug":"abc","name":"x"}',
                                        headers={"Content-Type": "text/plain"}, token=OPS_TOKEN)
    assert_error(status, hdrs, data, 415, "unsupported_media_type")


def test_validation_errors_name_each_field(server):
    status, hdrs, data = server.json("POST", "/ops/api/tenants", body={"slug": "Bad Slug!", "name": ""},
                                     token=OPS_TOKEN)
    assert status == 400
    assert set(data["error"]["fields"]) == {"slug", "name"}


def test_oversized_body_by_content_length_is_413(make_server):
    srv = make_server(max_body_bytes="4k")
    body = json.dumps({"slug": "big", "name": "x" * 10000}).encode()
    status, hdrs, data = srv.request("POST", "/ops/api/tenants", body=body,
                                     headers={"Content-Type": "application/json"}, token=OPS_TOKEN)
    assert_error(status, hdrs, data, 413, "too_large")
    assert srv.request("GET", "/healthz")[0] == 200


def test_oversized_chunked_body_is_413(make_server):
    srv = make_server(max_body_bytes="4k")
    chunk = b"x" * 3000
    req = (b"POST /ops/api/tenants HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + OPS_TOKEN.encode() +
           b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
           (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 3 + b"0\r\n\r\n")
    out = srv.raw(req)
    assert out.startswith(b"HTTP/1.1 413"), out[:200]
    assert srv.request("GET", "/healthz")[0] == 200


def test_body_on_a_route_that_takes_none_is_refused(server):
    status, hdrs, data = server.request("GET", "/healthz", body=b"x" * 100)
    assert status == 413


def test_oversized_headers_are_431(make_server):
    srv = make_server(max_header_bytes="4k")
    status, hdrs, body = srv.request("GET", "/healthz", headers={"X-Padding": "a" * 6000})
    assert_error(status, hdrs, body, 431, "headers_too_large")
    many = {f"X-H{i}": "v" * 50 for i in range(100)}
    assert srv.request("GET", "/healthz", headers=many)[0] == 431
    assert srv.request("GET", "/healthz")[0] == 200


def test_headers_far_beyond_the_limit_do_not_hurt_the_server(make_server):
    srv = make_server(max_header_bytes="4k")
    out = srv.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n")
    assert out == b"" or out.split(b" ")[1][:1] == b"4", out[:100]
    assert srv.request("GET", "/healthz")[0] == 200


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n",
    b"GET /he\x00althz HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    b"POST /ops/api/tenants HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n",
    b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)),
    b"GET /healthz HTTP/1.1\r\n" + b"X: y\r\n" * 5000 + b"\r\n",
])
def test_malformed_requests_get_4xx_or_close_and_server_survives(server, raw):
    out = server.raw(raw)
    if out:
        status = out.split(b"\r\n", 1)[0]
        assert status.startswith(b"HTTP/1.") and status.split(b" ")[1][:1] in (b"4", b"5"), out[:200]
        assert not status.split(b" ")[1].startswith(b"500")
    assert server.request("GET", "/healthz")[0] == 200


@pytest.mark.parametrize("path", [
    "/static/../Makefile",
    "/static/%2e%2e/Makefile",
    "/static/%2E%2E/%2E%2E/etc/passwd",
    "/static/..%2fMakefile",
    "/static/ui/../../Makefile",
    "/static/./ui/app.css",
    "/static//etc/passwd",
    "/static/%00index.html",
    "/static/..\\Makefile",
    "/t/demo/static/../../Makefile",
])
def test_traversal_never_leaves_web_dir(server, path):
    out = server.raw(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    head, _, body = out.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] in (b"400", b"404"), head
    assert b"CFLAGS" not in body and b"root:" not in body


def test_symlink_out_of_web_dir_is_not_followed(make_server, tmp_path):
    import shutil
    from conftest import ROOT
    web = tmp_path / "web"
    shutil.copytree(ROOT / "web", web)
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (web / "leak.txt").symlink_to(secret)
    (web / "leakdir").symlink_to(tmp_path)
    srv = make_server(web_dir=web)
    assert srv.request("GET", "/static/leak.txt")[0] == 404
    assert srv.request("GET", "/static/leakdir/secret.txt")[0] == 404


@pytest.mark.parametrize("path,ctype", [
    ("/static/ui/app.css", "text/css; charset=utf-8"),
    ("/static/ui/i18n.js", "text/javascript; charset=utf-8"),
    ("/static/index.html", "text/html; charset=utf-8"),
    ("/", "text/html; charset=utf-8"),
])
def test_static_files_have_types_and_caching(server, path, ctype):
    status, hdrs, body = server.request("GET", path)
    assert status == 200 and body
    assert hdrs["content-type"] == ctype
    assert hdrs["etag"].startswith('"')
    assert ("no-cache" if ctype.startswith("text/html") else "max-age=") in hdrs["cache-control"]
    status2, hdrs2, body2 = server.request("GET", path, headers={"If-None-Match": hdrs["etag"]})
    assert status2 == 304 and body2 == b""


def test_static_directory_or_missing_file_is_404(server):
    assert server.request("GET", "/static/ui")[0] == 404
    assert server.request("GET", "/static/ui/")[0] == 404
    assert server.request("GET", "/static/nope.js")[0] == 404
