"""The closed draw from the command line: commitment before, winners
recorded, verification by anyone from the published files."""
import json
import sqlite3

from conftest import BIN, run_cli
import subprocess


def seed_entries(data_dir, n=40, participants=9, instant_winner=None):
    db = next((data_dir / "tenants").glob("*/tenant.db"))
    con = sqlite3.connect(db)
    (cid,) = con.execute("SELECT id FROM campaigns WHERE slug = 'potato-winter'").fetchone()
    for p in range(participants):
        con.execute("INSERT INTO participants VALUES (?, ?, x'00', 'now')", (f"p{p:02d}", f"h{p}"))
    for i in range(n):
        status = "rejected" if i % 10 == 9 else "accepted"
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, units, campaign_day, created_at)"
                    " VALUES (?, ?, ?, ?, ?, 1, 1)", (f"e{i:03d}", cid, f"p{i % participants:02d}", status, i % 4 + 1))
    if instant_winner:
        con.execute("INSERT INTO wins(id, campaign_id, participant_id, prize_code, kind, created_at)"
                    " VALUES ('w0', ?, ?, 'A', 'instant', 1)", (cid, instant_winner))
    con.commit()
    con.close()
    return db


def verify(out):
    return subprocess.run([BIN, "draw", "verify", str(out / "result.json"), str(out / "eligible.tsv"),
                           str(out / "commitment.json")], capture_output=True, text=True)


def test_draw_commit_run_verify(data_dir, tmp_path):
    from conftest import ROOT
    run_cli(data_dir, "demo", str(ROOT / "demo/campaign.json"))
    db = seed_entries(data_dir, instant_winner="p00")
    out = tmp_path / "published"
    out.mkdir()
    run_cli(data_dir, "draw", "commit", "demo", "potato-winter", "--winners", "4", "--alternates", "2",
            "--out", str(out))
    commitment = json.loads((out / "commitment.json").read_text())
    assert len(commitment["seed_sha256"]) == 64 and len(commitment["list_sha256"]) == 64
    assert "seed" not in commitment and "winners" not in commitment
    lines = (out / "eligible.tsv").read_text().splitlines()
    # Accepted entries only, without the participant who already won.
    assert len(lines) == 36 - 4 and not any("\tp00\t" in line for line in lines)
    assert lines == sorted(lines)

    run_cli(data_dir, "draw", "run", "demo", "potato-winter", "--out", str(out))
    result = json.loads((out / "result.json").read_text())
    assert result["seed_sha256"] == commitment["seed_sha256"] and len(result["seed"]) == 64
    assert len(result["winners"]) == 4 and len(result["alternates"]) == 2
    owners = {line.split("\t")[0]: line.split("\t")[1] for line in lines}
    assert len({owners[w] for w in result["winners"] + result["alternates"]}) == 6  # one win each
    p = verify(out)
    assert p.returncode == 0 and "verified" in p.stdout

    con = sqlite3.connect(db)
    drawn = {r[0] for r in con.execute("SELECT entry_id FROM wins WHERE kind = 'draw'")}
    con.close()
    assert drawn == set(result["winners"])

    # A second run, or a changed list, is refused; verification catches tampering.
    again = run_cli(data_dir, "draw", "run", "demo", "potato-winter", "--out", str(out), check=False)
    assert again.returncode == 1 and "already" in again.stderr
    tampered = lines[1:] + [lines[0].rsplit("\t", 1)[0] + "\t99"]
    (out / "eligible.tsv").write_text("\n".join(sorted(tampered)) + "\n")
    p = verify(out)
    assert p.returncode == 1 and "NOT verified" in p.stdout
    # A result that verifies on its own but does not carry the commitment
    # published before the draw (a redraw with a new seed) is refused.
    (out / "eligible.tsv").write_text("\n".join(lines) + "\n")
    published = json.loads((out / "commitment.json").read_text())
    (out / "commitment.json").write_text(json.dumps(dict(published, seed_sha256="00" * 32)))
    alone = subprocess.run([BIN, "draw", "verify", str(out / "result.json"), str(out / "eligible.tsv")],
                           capture_output=True, text=True)
    assert alone.returncode == 0
    p = verify(out)
    assert p.returncode == 1 and "commitment" in p.stdout
    (out / "commitment.json").write_text(json.dumps(published))
    forged = dict(result, winners=list(reversed(result["winners"])))
    (out / "eligible.tsv").write_text("\n".join(lines) + "\n")
    (out / "result.json").write_text(json.dumps(forged))
    assert verify(out).returncode == 1


def test_draw_needs_a_commitment_first(data_dir, tmp_path):
    from conftest import ROOT
    run_cli(data_dir, "demo", str(ROOT / "demo/campaign.json"))
    p = run_cli(data_dir, "draw", "run", "demo", "potato-winter", "--out", str(tmp_path), check=False)
    assert p.returncode == 1 and "commit the draw first" in p.stderr
    p = run_cli(data_dir, "draw", "commit", "demo", "nope", "--winners", "1", check=False)
    assert p.returncode == 1 and "no campaign" in p.stderr
