"""API tier: every test talks HTTP to a real `recam serve` started on a free
port with a temporary data directory. The server is the ASan+UBSan build
(RECAM_BIN); a sanitizer report or an unclean exit fails the test."""
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("RECAM_BIN", str(ROOT / "build/asan/recam"))
OPS_TOKEN = "test-ops-token-0123456789abcdef"
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "SUMMARY: UndefinedBehavior")


def eventually(check, timeout=3.0):
    """Retries check until it holds. The access log, metrics and the clean-up
    of a request happen when libmicrohttpd reports the request complete,
    just after the client has its answer."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except (FileNotFoundError, AssertionError, IndexError):
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            return check()
        time.sleep(0.05)


def base_env(data_dir, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECAM_")}
    env.update({
        "RECAM_DATA_DIR": str(data_dir),
        "RECAM_LISTEN": "127.0.0.1:0",
        "RECAM_WEB_DIR": str(ROOT / "web"),
        "RECAM_OPS_TOKEN": OPS_TOKEN,
        "RECAM_TEST_HOOKS": "true",
        "RECAM_SHUTDOWN_GRACE": "10s",
        "RECAM_LOG_LEVEL": "info",
        "RECAM_READER_WORKERS": "0",  # tests that read receipts ask for readers
    })
    for k, v in settings.items():
        env["RECAM_" + k.upper()] = str(v)
    return env


def run_cli(data_dir, *args, check=True, **settings):
    """Runs `recam ARGS` with the same data dir; returns the CompletedProcess."""
    p = subprocess.run([BIN, *args], env=base_env(data_dir, **settings), capture_output=True, text=True, timeout=60)
    assert not any(m in p.stderr for m in SANITIZER_MARKS), p.stderr
    if check:
        assert p.returncode == 0, f"recam {' '.join(args)} failed:\n{p.stdout}\n{p.stderr}"
    return p


class Server:
    def __init__(self, data_dir, **settings):
        self.data_dir = Path(data_dir)
        self.env = base_env(data_dir, **settings)
        self.tls = "tls_cert_file" in settings
        self.stderr_path = self.data_dir.parent / f"{self.data_dir.name}-stderr.log"
        self.proc = None
        self.port = None

    def start(self):
        self.stderr_file = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([BIN, "serve"], env=self.env, stdout=subprocess.PIPE, stderr=self.stderr_file,
                                     text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"listening on https?://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                return self
        raise RuntimeError(f"recam did not start:\n{self.stderr()}")

    def stderr(self):
        self.stderr_file.flush()
        return self.stderr_path.read_text(errors="replace")

    def conn(self, timeout=10):
        if self.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, token=None):
        """One request on a new connection; returns (status, headers, body bytes)."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def json(self, method, path, body=None, headers=None, token=None):
        status, hdrs, data = self.request(method, path, body, headers, token)
        assert hdrs.get("content-type", "").startswith("application/json"), (status, hdrs, data)
        return status, hdrs, json.loads(data)

    def raw(self, data, timeout=5):
        """Sends bytes on a plain socket; returns what came back before close."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            out = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                out += chunk
            return out
        finally:
            s.close()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise AssertionError(f"recam did not stop within {timeout}s:\n{self.stderr()}")
        self.proc.stdout.close()
        self.stderr_file.close()
        self.proc = None
        return rc

    def assert_clean_exit(self):
        rc = self.stop()
        log = self.stderr_path.read_text(errors="replace")
        assert not any(m in log for m in SANITIZER_MARKS), log
        assert rc == 0, f"recam exited {rc}:\n{log}"


@pytest.fixture
def data_dir():
    with tempfile.TemporaryDirectory(prefix="recam-api-") as d:
        yield Path(d) / "data"


@pytest.fixture
def make_server(data_dir):
    """Factory: make_server(**settings) starts a server; all are stopped and
    checked for a clean exit and sanitizer silence at the end of the test."""
    servers = []

    def start(create_demo=True, data=None, **settings):
        d = Path(data) if data else data_dir
        if create_demo:
            run_cli(d, "demo", **settings)
        srv = Server(d, **settings).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        if srv.proc is not None:
            srv.assert_clean_exit()


@pytest.fixture
def server(make_server):
    return make_server()
