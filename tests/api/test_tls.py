"""TLS through libmicrohttpd's GnuTLS support."""
import shutil
import socket
import subprocess

import pytest


@pytest.fixture
def cert(tmp_path):
    if shutil.which("certtool") is None:
        pytest.skip("certtool (gnutls-bin) not installed")
    key, crt, tmpl = tmp_path / "key.pem", tmp_path / "cert.pem", tmp_path / "cert.cfg"
    tmpl.write_text('cn = "localhost"\nip_address = "127.0.0.1"\nexpiration_days = 2\ntls_www_server\n')
    subprocess.run(["certtool", "--generate-privkey", "--key-type=ecdsa", "--outfile", str(key)], check=True,
                   capture_output=True)
    subprocess.run(["certtool", "--generate-self-signed", "--load-privkey", str(key), "--template", str(tmpl),
                    "--outfile", str(crt)], check=True, capture_output=True)
    return crt, key


def test_https_serves_with_hsts(make_server, cert):
    crt, key = cert
    srv = make_server(tls_cert_file=crt, tls_key_file=key)
    status, hdrs, body = srv.json("GET", "/t/demo/api/info")
    assert status == 200 and body["tenant"]["slug"] == "demo"
    assert "max-age=" in hdrs["strict-transport-security"]


def test_plain_http_to_the_tls_port_gets_nothing_useful(make_server, cert):
    crt, key = cert
    srv = make_server(tls_cert_file=crt, tls_key_file=key)
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        data = s.recv(4096)
    except ConnectionResetError:
        data = b""
    s.close()
    assert b'"status":"ok"' not in data
    assert srv.json("GET", "/healthz")[0] == 200
