"""Operations: health, readiness, metrics, access log, keys, migrations,
connection limits and graceful shutdown."""
import datetime
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time

import pytest

from conftest import OPS_TOKEN, eventually, run_cli


def test_healthz_and_readyz(server):
    assert server.json("GET", "/healthz")[2] == {"status": "ok"}
    status, _, body = server.json("GET", "/readyz")
    assert status == 200
    assert body == {"status": "ready", "checks": {"store": "ok", "workers": {"running": 2, "expected": 2}}}


def test_readyz_fails_when_a_tenant_database_is_gone(server, data_dir):
    tid = run_cli(data_dir, "tenant", "show", "demo").stdout.split("id:", 1)[1].split()[0]
    shutil.move(data_dir / "tenants" / tid, data_dir / "moved-away")
    status, hdrs, body = server.json("GET", "/readyz")
    assert status == 503 and body["status"] == "not_ready"
    assert "unreachable" in body["checks"]["store"]
    assert hdrs["retry-after"]


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool (Debian prometheus) not installed")
def test_metrics_pass_promtool(server):
    for path in ["/healthz", "/t/demo/api/info", "/nope", "/static/ui/app.css"]:
        server.request("GET", path)
    server.request("BREW", "/healthz")
    # A request is counted when its connection reports completion, just
    # after the client has its answer: allow a moment.
    for _ in range(50):
        status, hdrs, body = server.request("GET", "/metrics")
        text = body.decode()
        if 'method="OTHER"' in text:
            break
        time.sleep(0.05)
    assert status == 200 and hdrs["content-type"].startswith("text/plain; version=0.0.4")
    assert 'recam_http_requests_total{route="/t/{tenant}/api/info",method="GET",status="200"} 1' in text
    assert 'recam_http_requests_total{route="other",method="GET",status="404"} 1' in text
    assert 'method="OTHER"' in text
    for name in ["recam_http_request_duration_seconds_bucket", "recam_http_requests_in_flight",
                 "recam_db_errors_total", "recam_jobs_queued", "recam_workers_running",
                 "process_resident_memory_bytes"]:
        assert name in text
    p = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True, timeout=30)
    assert p.returncode == 0, p.stdout + p.stderr


def access_lines(data_dir, day=None):
    day = day or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    path = data_dir / "logs" / f"access-{day}.log"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_access_log_has_one_json_line_per_request(server, data_dir):
    server.request("GET", "/t/demo/api/info")
    server.request("GET", '/weird"path\\x')
    lines = eventually(lambda: len(access_lines(data_dir)) >= 2 and access_lines(data_dir))
    info = [e for e in lines if e["path"] == "/t/demo/api/info"][0]
    assert info["tenant"] == "demo" and info["status"] == 200 and info["method"] == "GET"
    assert info["client"] == "127.0.0.1" and info["bytes"] > 0 and info["duration_ms"] >= 0
    assert info["time"].endswith("Z") and len(info["rid"]) == 16
    assert any(e["path"] == '/weird"path\\x' and e["status"] == 404 for e in lines)
    mode = stat.S_IMODE(os.stat(data_dir / "logs" / f"access-{info['time'][:10]}.log").st_mode)
    assert mode == 0o600


def test_access_log_rotates_daily_and_enforces_retention(make_server, data_dir):
    srv = make_server(access_log_retention_days=3)
    logs = data_dir / "logs"
    for name in ["access-2020-01-01.log", "unrelated.txt"]:
        (logs / name).write_text("{}\n")
    srv.request("GET", "/healthz")
    today = datetime.datetime.now(datetime.timezone.utc)
    # After the clock moves to tomorrow, 3 days of retention keep tomorrow,
    # today and yesterday.
    keep = (today - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    drop = (today - datetime.timedelta(days=2)).strftime("%Y-%m-%d")
    (logs / f"access-{keep}.log").write_text("{}\n")
    (logs / f"access-{drop}.log").write_text("{}\n")
    # Move the server's clock a day ahead: the next request opens a new file
    # and files older than the retention go.
    assert srv.json("POST", "/__test/clock", body={"offset_ms": 86400 * 1000})[0] == 200
    srv.request("GET", "/healthz")
    tomorrow = (today + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    assert eventually(lambda: any(e["path"] == "/healthz" for e in access_lines(data_dir, tomorrow)))
    eventually(lambda: "access-2020-01-01.log" not in {p.name for p in logs.iterdir()})
    names = {p.name for p in logs.iterdir()}
    assert "access-2020-01-01.log" not in names and f"access-{drop}.log" not in names
    assert f"access-{keep}.log" in names and "unrelated.txt" in names


def test_test_hooks_are_off_by_default(make_server):
    srv = make_server(test_hooks="false")
    assert srv.request("POST", "/__test/clock", body={"offset_ms": 1})[0] == 404


def test_request_id_ties_log_lines_to_the_response(server):
    status, hdrs, _ = server.request("GET", "/ops/api/tenants", token="wrong")
    assert status == 401
    time.sleep(0.2)
    assert f"rid={hdrs['x-request-id']}" in server.stderr()


def test_master_key_file_is_created_private_and_checked(data_dir):
    run_cli(data_dir, "tenant", "list")
    key = data_dir / "master.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text().strip()) == 64
    key.chmod(0o644)
    p = run_cli(data_dir, "tenant", "list", check=False)
    assert p.returncode == 1 and "master_key_file" in p.stderr and "chmod 600" in p.stderr


def test_tenant_keys_need_the_same_master_key(data_dir, tmp_path):
    run_cli(data_dir, "demo")
    wrong = tmp_path / "other.key"
    wrong.write_text("ab" * 32 + "\n")
    wrong.chmod(0o600)
    # Tenants stay listed (the control data is not personal), but nothing of
    # theirs can be decrypted; the key file is never replaced silently.
    before = (data_dir / "master.key").read_text()
    run_cli(data_dir, "tenant", "list", master_key_file=wrong)
    assert (data_dir / "master.key").read_text() == before


def test_migrate_is_idempotent(data_dir):
    first = run_cli(data_dir, "migrate").stdout
    run_cli(data_dir, "demo")
    again = run_cli(data_dir, "migrate").stdout
    assert "migrations applied: 0" in again
    assert "control at 1" in first


def test_changed_migration_stops_start_up(data_dir):
    run_cli(data_dir, "demo")
    import sqlite3
    con = sqlite3.connect(data_dir / "control.db")
    con.execute("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1")
    con.commit()
    con.close()
    p = run_cli(data_dir, "migrate", check=False)
    assert p.returncode == 1 and "differs from the one applied" in p.stderr


def test_connection_limit_holds_extra_connections_back(make_server):
    srv = make_server(max_connections=4)
    held = []
    try:
        for _ in range(4):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # incomplete: the slot stays taken
            held.append(s)
        time.sleep(0.3)
        extra = socket.create_connection(("127.0.0.1", srv.port), timeout=1)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        with pytest.raises(socket.timeout):
            extra.recv(100)  # not served while every slot is taken
        extra.close()
    finally:
        for s in held:
            s.close()
    time.sleep(0.3)
    assert srv.request("GET", "/healthz")[0] == 200


def test_stalled_connection_times_out(make_server):
    srv = make_server(connection_timeout="1s")
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        assert s.recv(1024) == b""
        assert time.monotonic() - start < 5
    finally:
        s.close()


def test_graceful_shutdown_finishes_requests_in_flight(make_server):
    srv = make_server()
    body = json.dumps({"slug": "late", "name": "遅い応募"}).encode()
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    s.sendall(b"POST /ops/api/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + OPS_TOKEN.encode() +
              b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:10])
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    # A new request while stopping is told to come back, not dropped.
    status, hdrs, data = srv.request("GET", "/healthz")
    assert status == 503 and json.loads(data)["error"]["code"] == "shutting_down"
    assert hdrs["retry-after"] and hdrs["connection"].lower() == "close"
    assert srv.proc.poll() is None
    # The request in flight completes.
    s.sendall(body[10:])
    out = b""
    while b"\r\n\r\n" not in out or not out.rstrip().endswith(b"}"):
        chunk = s.recv(65536)
        if not chunk:
            break
        out += chunk
    s.close()
    assert out.startswith(b"HTTP/1.1 201"), out[:300]
    srv.assert_clean_exit()


def test_shutdown_grace_bounds_the_wait(make_server):
    srv = make_server(shutdown_grace="1s")
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    s.sendall(b"POST /ops/api/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + OPS_TOKEN.encode() +
              b"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    time.sleep(0.3)
    start = time.monotonic()
    srv.assert_clean_exit()
    assert time.monotonic() - start < 8
    s.close()


def test_concurrent_requests_are_all_answered(server):
    results = []

    def worker():
        for _ in range(20):
            results.append(server.request("GET", "/t/demo/api/info")[0])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 160
