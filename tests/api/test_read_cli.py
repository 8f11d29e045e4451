"""`recam read` end to end on the sanitizer build: hostile files give an
error line and exit status 1, never a crash; a committed golden receipt is
read with one JSON object per line and the public fields present."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("RECAM_BIN", str(ROOT / "build/asan/recam"))
GOLDEN = ROOT / "tests/receipts/golden"
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def read(*args, timeout=240):
    p = subprocess.run([BIN, "read", *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    err = p.stderr.decode(errors="replace")
    assert not any(m in err for m in SANITIZER_MARKS), err
    return p.returncode, [json.loads(l) for l in p.stdout.decode().splitlines()]


def test_hostile_files(tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    html = tmp_path / "receipt.png"
    html.write_bytes(b"<html>not a png</html>")
    heic = tmp_path / "x.heic"
    heic.write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic")
    rc, lines = read(empty, html, heic, tmp_path / "missing.jpg")
    assert rc == 1
    assert len(lines) == 4
    assert all("error" in l and l["error"]["code"] for l in lines)
    assert lines[0]["error"]["code"] == lines[1]["error"]["code"]


def test_text_mode(tmp_path):
    t = tmp_path / "r.txt"
    t.write_text("合計 ¥1,378\nお預り ¥2,000\nお釣り ¥622\n", encoding="utf-8")
    rc, lines = read("--text", t)
    assert rc == 0
    assert lines[0]["total"]["value"] == 1378
    assert lines[0]["total"]["confidence"] >= 0.9


@pytest.mark.skipif(not (GOLDEN / "g03-moderate.jpg").exists(), reason="golden sample absent")
def test_golden_receipt():
    rc, lines = read("--timeout", "120000", GOLDEN / "g03-moderate.jpg")
    assert rc == 0 and len(lines) == 1
    o = lines[0]
    for k in ("store", "phone", "registration_number", "date", "time", "subtotal", "total", "currency", "items"):
        assert k in o
        assert o[k] is None or set(o[k]) >= {"value", "confidence"}
    assert o["currency"]["value"] == "JPY"
    assert isinstance(o["items"]["value"], list)


@pytest.mark.skipif(not (GOLDEN / "g02-clean.heic").exists(), reason="golden sample absent")
def test_every_format_through_the_sandboxed_worker():
    """The same receipt as PNG, WebP and HEIC (g02-clean.png encoded with Debian's
    heif-enc -q 60 and Pillow's WebP at quality 80) reads the same: decoding,
    libde265's threads and recognition all run inside the worker's seccomp filter."""
    rc, lines = read(GOLDEN / "g02-clean.png", GOLDEN / "g02-clean.webp", GOLDEN / "g02-clean.heic")
    assert rc == 0, lines
    truth = json.load(open(GOLDEN / "g02.json", encoding="utf-8"))
    assert [o["image"]["type"] for o in lines] == ["png", "webp", "heif"]
    for o in lines:
        assert o["total"]["value"] == truth["total"], o["file"]
        assert o["date"]["value"] == truth["date"], o["file"]


def test_library_messages_neither_kill_a_worker_nor_reach_stderr(tmp_path):
    """tests/api/data/tesseract-chatter.png (the foot of a generated receipt with its
    QR box) makes Tesseract print "Image too small to scale!!". Its messages go to
    its debug file, /dev/null, opened before the worker's sandbox; a worker whose
    stderr is a regular file once died of them (SIGXFSZ under RLIMIT_FSIZE 0)."""
    err = tmp_path / "stderr.txt"
    with open(err, "wb") as f:
        p = subprocess.run([BIN, "read", str(ROOT / "tests/api/data/tesseract-chatter.png")],
                           stdout=subprocess.PIPE, stderr=f, timeout=240)
    text = err.read_text(errors="replace")
    assert not any(m in text for m in SANITIZER_MARKS), text
    assert p.returncode == 0, text
    o = json.loads(p.stdout.decode().splitlines()[0])
    assert "error" not in o, o
    assert "too small" not in text and "cannot be recognized" not in text, text


def test_totals_block_and_header_read_again():
    """tests/api/data/totals-block-reread.jpg is the moderate photo of receipt 0164 of
    `tests/receipts/gen.py --count 200 --seed 9797 --levels moderate`: the total is
    not confirmed by the page's reading, so the totals block is read on its own, and
    the header, its phone unread, is read again. The path where block re-reads are made, under the
    sanitizers. --reread-work and --reread-cpu lift the bounds of second readings
    (CI failed when a 4 s CPU bound was reached; the work bound of the defaults
    is the same on every machine, but this test is about the path, not the bound).
    (Until 2026-11-26 the photo was dev 0033 of seed 9173; the uncropped re-read
    now reads that one whole, with the total confirmed and no block re-read. Until
    2026-11-27 it was 0052 of seed 8383, whose phone, date and time the reader now
    keeps from its line re-reads, so its header is not read again.)"""
    rc, lines = read("--timeout", "120000", "--reread-cpu", "60000", "--reread-work", "1000000",
                     ROOT / "tests/api/data/totals-block-reread.jpg")
    assert rc == 0 and len(lines) == 1
    o = lines[0]
    assert o.get("totals_reread") is True and o.get("header_reread") is True, o.get("timing_ms")
    assert o["total"]["value"] == 3955
    assert o["phone"]["value"] == "099-727-2947"
