#!/usr/bin/python3
"""bench/admin — the admin console's review queue and entry search at volume.

1. Review queue: a campaign with 10,000 entries pending review (each with a
   reader-shaped reading of ~3 KB, one photo row); staff approve them one
   after another (instant win by probability, so the lottery and the stock
   reservation run) and the time from "approve" to "the next entry's data is
   here" is the approve call plus the next-item call, as the console makes
   them. p50/p95/p99 over --decisions approvals.
2. Entry search: 1,000,000 entries in one tenant; p50/p95 of the common
   filters (status, date range, store, product, participant, combined), on
   page 1 and on a page 50,000 rows deep (keyset cursor: page 1000 at 50 a
   page).

References measured in the same run: GET /healthz (recam's request path with
a trivial handler) interleaved with the measured calls, and SQLite alone
running the same SQL on the same file (Python's sqlite3 module, the same
libsqlite3; the sqlite3 CLI's timer has only millisecond resolution).

Rows are generated straight into SQLite (no reader, no OCR). Not generated
for the 1M set: photo rows and history events (the search reads neither).
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Bench-Lantern-Orbit-42"
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
TARGETS = ["ポテトチップス うすしお", "ポテトチップス うすしお 大袋"]
CHAINS = ["セブン-イレブン", "ローソン", "ファミリーマート", "イオン", "ミナミドラッグストア", "ひまわりストア", "あおばミニ",
          "マルエツ", "ライフ", "サミット", "ツルハドラッグ", "ウエルシア", "スギ薬局", "西友", "オーケー"]
BRANCHES = ["渋谷", "新宿", "池袋", "上野", "品川", "柏中央", "天神", "梅田", "栄", "札幌駅前", "仙台", "横浜西口",
            "大宮", "千葉", "川崎", "神戸三宮", "京都四条", "広島本通", "那覇", "金沢"]


def rid(rng):
    return "".join(rng.choice(ALPHABET) for _ in range(26))


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    f, c = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def ms(s):
    return f"{s * 1000:.2f}"


def env_for(data):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECAM_")}
    env.update({"RECAM_DATA_DIR": str(data), "RECAM_LISTEN": "127.0.0.1:0", "RECAM_WEB_DIR": str(ROOT / "web"),
                "RECAM_READER_WORKERS": "0", "RECAM_WORKERS": "1", "RECAM_DEMO_PASSWORD": PASSWORD,
                "RECAM_LOG_LEVEL": "warn"})
    return env


def tenant_db(data):
    con = sqlite3.connect(data / "control.db")
    (tid,) = con.execute("SELECT id FROM tenants WHERE slug = 'demo'").fetchone()
    con.close()
    return data / "tenants" / tid / "tenant.db"


# ---- data ----

def reading(rng, store, date, total, i):
    lines = [{"text": f"行{k} テキスト", "normalized": f"行{k} テキスト", "box": [10, 20 * k, 300, 18],
              "confidence": round(rng.uniform(0.5, 0.95), 2)} for k in range(30)]
    items = [{"name": TARGETS[0], "normalized_name": TARGETS[0], "quantity": 1, "unit_price": 150, "amount": 150,
              "reduced": True, "discount": False, "confidence": 0.62, "name_confidence": 0.62, "amount_confidence": 0.9,
              "line": 7},
             {"name": "緑茶 500ml", "normalized_name": "緑茶 500ml", "quantity": 1, "unit_price": total - 150,
              "amount": total - 150, "reduced": True, "discount": False, "confidence": 0.7, "name_confidence": 0.7,
              "amount_confidence": 0.9, "line": 8}]
    f = lambda v, c=0.6: {"value": v, "confidence": c}  # noqa: E731
    return {"store": f(store), "branch": f("本店"), "phone": f("03-1234-5678"),
            "registration_number": f("T3203221632237"), "date": f(date), "time": f(f"{10 + i % 10:02d}:{i % 60:02d}"),
            "subtotal": f(total, 0.9), "total": f(total, 0.9), "receipt_number": f(str(100000 + i)),
            "items": {"value": items, "confidence": 0.62}, "lines": lines,
            "checks": {"items_sum": True, "subtotal_total": True}, "image": {"type": "png", "width": 800, "height": 2400}}


def generate(db_path, main_cid, review_cid, n_entries, n_review, seed=7):
    rng = random.Random(seed)
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-400000")
    now = int(time.time())
    stores = [f"{c}{b}店" for c in CHAINS for b in BRANCHES]  # 300, kept as recam_norm_text keeps them (no spaces)
    weights = [1 / (k + 1) for k in range(len(stores))]  # Zipf: a few chains' shops take most receipts
    n_part = max(1, n_entries // 5)
    pids = [rid(rng) for _ in range(n_part)]
    con.executemany("INSERT INTO participants(id, email_hash, email_sealed, created_at) VALUES (?, ?, x'00', 'x')",
                    ((p, hashlib.sha256(p.encode()).hexdigest()) for p in pids))
    span = 120 * 86400
    times = sorted(now - rng.randrange(span) for _ in range(n_entries))
    statuses = rng.choices(["accepted", "rejected", "review", "queued"], [78, 16, 5, 1], k=n_entries)
    chosen_stores = rng.choices(stores, weights, k=n_entries)
    rows, prods = [], []
    for i in range(n_entries):
        at, st, store = times[i], statuses[i], chosen_stores[i]
        eid = rid(rng)
        pday = (at + 9 * 3600) // 86400 - rng.randrange(3)
        total = rng.randrange(300, 6000)
        found = []
        if st != "rejected" or rng.random() < 0.5:
            if rng.random() < 0.9:
                found.append((TARGETS[0], rng.choice([1, 1, 1, 2, 3]), 150))
            if rng.random() < 0.15 or not found:
                found.append((TARGETS[1], 1, 398))
        reason = None if st == "accepted" else ("no_target_product" if st == "rejected" else "low_confidence")
        summary = {"store": store, "date": "2026-01-01", "total": total, "target_amount": sum(a for _, _, a in found),
                   "products": [{"name": n, "quantity": q, "amount": a} for n, q, a in found]}
        result = json.dumps({"status": st, "reason": reason, "summary": summary, "units": 1 if st == "accepted" else 0},
                            ensure_ascii=False)
        rows.append((eid, main_cid, pids[rng.randrange(n_part)], st, reason, 1 if st == "accepted" else 0, result,
                     (at + 9 * 3600) // 86400, at, at + 3, store, pday, total))
        prods.extend((eid, main_cid, n, q, a * q, at) for n, q, a in found)
        if len(rows) == 50000:
            flush(con, rows, prods)
            rows, prods = [], []
    flush(con, rows, prods)
    # The review queue's campaign: 10,000 pending, oldest first, one photo each.
    base = now - 3 * 86400
    for i in range(n_review):
        eid, pid = rid(rng), rid(rng)
        at = base + i * 20
        store = rng.choice(stores)
        total = rng.randrange(300, 3000)
        con.execute("INSERT INTO participants(id, email_hash, email_sealed, created_at) VALUES (?, ?, x'00', 'x')",
                    (pid, hashlib.sha256(pid.encode()).hexdigest()))
        summary = {"store": store, "date": "2026-11-20", "total": total, "target_amount": 150,
                   "products": [{"name": TARGETS[0], "quantity": 1, "amount": 150}]}
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, reason, units, result, campaign_day,"
                    " created_at, judged_at, store, purchase_day, total) VALUES (?, ?, ?, 'review', 'low_confidence', 0,"
                    " ?, ?, ?, ?, ?, ?, ?)",
                    (eid, review_cid, pid, json.dumps({"status": "review", "reason": "low_confidence",
                                                       "summary": summary, "units": 0}, ensure_ascii=False),
                     (at + 9 * 3600) // 86400, at, at + 2, store, (at + 9 * 3600) // 86400, total))
        con.execute("INSERT INTO entry_images(entry_id, position, blob_id, sha256, receipt) VALUES (?, 0, ?, ?, ?)",
                    (eid, rid(rng), hashlib.sha256(eid.encode()).hexdigest(),
                     json.dumps(reading(rng, store, "2026-11-20", total, i), ensure_ascii=False)))
        con.execute("INSERT INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)"
                    " VALUES (?, ?, ?, 1, 150, ?)", (eid, review_cid, TARGETS[0], at))
        con.execute("INSERT INTO entry_events(entry_id, at_ms, actor, kind, detail) VALUES (?, ?, 'participant',"
                    " 'created', NULL), (?, ?, 'system', 'judged', '{\"status\":\"review\"}')",
                    (eid, at * 1000, eid, at * 1000 + 2000))
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return pids


def flush(con, rows, prods):
    con.executemany("INSERT INTO entries(id, campaign_id, participant_id, status, reason, units, result, campaign_day,"
                    " created_at, judged_at, store, purchase_day, total) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("INSERT INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)"
                    " VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING", prods)
    con.commit()


# ---- the server and a staff session ----

class Client:
    def __init__(self, port):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = self.csrf = None

    def req(self, method, path, body=None):
        h = {"Accept": "application/json"}
        if self.cookie:
            h["Cookie"] = self.cookie
        if body is not None:
            body = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if method != "GET" and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        self.c.request(method, path, body=body, headers=h)
        r = self.c.getresponse()
        data = r.read()
        if r.getheader("Set-Cookie"):
            self.cookie = r.getheader("Set-Cookie").split(";", 1)[0]
        return r.status, data

    def json(self, method, path, body=None):
        s, d = self.req(method, path, body)
        return s, json.loads(d) if d else None


def start(binary, data, log):
    p = subprocess.Popen([binary, "serve"], env=env_for(data), stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = p.stdout.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line or "")
        if m:
            return p, int(m.group(1))
    p.kill()
    raise SystemExit(f"recam did not start; see {log}")


def login(port):
    c = Client(port)
    s, body = c.json("POST", "/t/demo/api/admin/login", {"email": "owner@demo.example", "password": PASSWORD})
    assert s == 200, body
    c.csrf = body["csrf_token"]
    return c


def timed(fn):
    t0 = time.perf_counter()
    r = fn()
    return time.perf_counter() - t0, r


# ---- the SQL recam runs (src/campaign/entry_search.c), for the sqlite3 CLI reference ----

def search_sql(f, limit=51):
    cols = ("SELECT e.id, e.campaign_id, (SELECT slug FROM campaigns WHERE id = e.campaign_id), e.status, e.reason,"
            " e.created_at, e.store, e.purchase_day, e.total, e.units, e.participant_id, e.reviewed_by, e.reviewed_at,"
            " (SELECT group_concat(product || '×' || quantity, ' / ') FROM entry_products WHERE entry_id = e.id)")
    q = lambda v: "'" + str(v).replace("'", "''") + "'"  # noqa: E731 (literals only for the CLI reference)
    t, tid = ("p", "p.entry_id") if "product" in f else ("e", "e.id")
    if "product" in f:
        sql = cols + f" FROM entry_products p CROSS JOIN entries e WHERE e.id = p.entry_id AND p.product = {q(f['product'])}"
        if "campaign" in f:
            sql += f" AND p.campaign_id = {q(f['campaign'])}"
    else:
        sql = cols + " FROM entries e WHERE 1 = 1"
        if "campaign" in f:
            sql += f" AND e.campaign_id = {q(f['campaign'])}"
    for k, col in (("status", "status"), ("store", "store"), ("participant", "participant_id")):
        if k in f:
            sql += f" AND e.{col} = {q(f[k])}"
    if "from" in f:
        sql += f" AND {t}.created_at >= {f['from']}"
    upper = f.get("to", 2**62) - 1
    if "cursor" in f:
        upper = min(upper, f["cursor"][0])
    if upper < 2**62 - 1:
        sql += f" AND {t}.created_at <= {upper}"
    if "cursor" in f:
        sql += f" AND ({t}.created_at < {f['cursor'][0]} OR {tid} < {q(f['cursor'][1])})"
    return sql + f" ORDER BY {t}.created_at DESC, {tid} DESC LIMIT {limit}"


def sql_times(db, sqls, repeat):
    """Each statement run in-process by SQLite itself (Python's sqlite3 module,
    the same libsqlite3 as recam) on the same file, repeated: the floor under
    recam's HTTP, JSON, audit record and session check."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = {s: [] for s in sqls}
    for _ in range(repeat):
        for s in sqls:
            t0 = time.perf_counter()
            con.execute(s).fetchall()
            out[s].append(time.perf_counter() - t0)
    con.close()
    return out


def tokyo_day_start(days_ago):
    now = int(time.time())
    day = (now + 9 * 3600) // 86400 - days_ago
    return day * 86400 - 9 * 3600


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--review", type=int, default=10_000)
    ap.add_argument("--decisions", type=int, default=300)
    ap.add_argument("--queries", type=int, default=40, help="runs of each search query")
    ap.add_argument("--bin", default=str(ROOT / "bin/recam"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--reuse", help="a data dir generated before (copied, not changed)")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    data = out / "data"
    results = {"machine": os.uname().nodename, "cpus": os.cpu_count(), "entries": a.entries, "review_pending": a.review}

    if a.reuse:
        shutil.copytree(a.reuse, data)
    else:
        subprocess.run([a.bin, "demo", str(ROOT / "demo/campaign.json")], env=env_for(data), check=True,
                       capture_output=True)
        c = json.loads((ROOT / "demo/campaign.json").read_text())
        c.update(slug="review-bench", title="審査ベンチ")
        c["prizes"] = [{"code": "A", "name": "QUOカード", "value": 1000, "stock": 100, "units_cost": 1,
                        "probability_ppm": 500000}]
        c["rules"]["one_win_per_participant"] = True
        f = out / "review-bench.json"
        f.write_text(json.dumps(c, ensure_ascii=False))
        subprocess.run([a.bin, "campaign", "import", "demo", str(f)], env=env_for(data), check=True, capture_output=True)
        db = tenant_db(data)
        con = sqlite3.connect(db)
        ids = dict(con.execute("SELECT slug, id FROM campaigns").fetchall())
        con.close()
        t0 = time.monotonic()
        generate(db, ids["potato-winter"], ids["review-bench"], a.entries, a.review)
        results["generate_s"] = round(time.monotonic() - t0, 1)
        print(f"generated {a.entries:,} + {a.review:,} entries in {results['generate_s']} s", flush=True)
    db = tenant_db(data)
    con = sqlite3.connect(db)
    ids = dict(con.execute("SELECT slug, id FROM campaigns").fetchall())
    results["db_mb"] = round(os.path.getsize(db) / 1e6)
    main_cid, review_cid = ids["potato-winter"], ids["review-bench"]

    # Searches: the common filters, page 1 and 50,000 rows deep.
    week_from, week_to = tokyo_day_start(37), tokyo_day_start(30)
    top_store = con.execute("SELECT store FROM entries WHERE campaign_id = ? GROUP BY store ORDER BY count(*) DESC"
                            " LIMIT 1", (main_cid,)).fetchone()[0]
    rare_store = con.execute("SELECT store FROM entries WHERE campaign_id = ? GROUP BY store ORDER BY count(*)"
                             " LIMIT 1", (main_cid,)).fetchone()[0]
    busy_pid = con.execute("SELECT participant_id FROM entries WHERE campaign_id = ? GROUP BY participant_id"
                           " ORDER BY count(*) DESC LIMIT 1", (main_cid,)).fetchone()[0]
    queries = {
        "campaign (all of it)": {"campaign": main_cid},
        "status=review": {"campaign": main_cid, "status": "review"},
        "date range (7 days)": {"campaign": main_cid, "from": week_from, "to": week_to},
        "store (busiest)": {"campaign": main_cid, "store": top_store},
        "store (quietest)": {"campaign": main_cid, "store": rare_store},
        "product (common)": {"campaign": main_cid, "product": TARGETS[0]},
        "product (rare)": {"campaign": main_cid, "product": TARGETS[1]},
        "participant": {"campaign": main_cid, "participant": busy_pid},
        "status+store+dates": {"campaign": main_cid, "status": "accepted", "store": top_store, "from": week_from,
                               "to": week_to},
        "status, every campaign": {"status": "rejected"},
    }
    plans, counts = {}, {}
    for name, f in queries.items():
        deep = None
        rows = con.execute(search_sql(f, limit=1).replace(" LIMIT 1", " LIMIT 1 OFFSET 49999")).fetchall()
        if rows:
            deep = (rows[0][5], rows[0][0])
        counts[name] = deep is not None
        plans[name] = [r[3] for r in con.execute("EXPLAIN QUERY PLAN " + search_sql(f)).fetchall()]
        f["_deep"] = deep
    con.close()

    proc, port = start(a.bin, data, out / "recam.err")
    try:
        staff = login(port)
        ref = Client(port)
        # Warm: one of each, so the page cache holds what a working console would.
        for f in queries.values():
            staff.req("GET", "/t/demo/api/admin/entries?" + qs(f))
        search = {}
        health, gate = [], []
        for _ in range(a.queries):
            for name, f in queries.items():
                for deep in (False, True):
                    if deep and not f["_deep"]:
                        continue
                    path = "/t/demo/api/admin/entries?" + qs(f, f["_deep"] if deep else None)
                    dt, (s, d) = timed(lambda: staff.req("GET", path))
                    assert s == 200, d[:200]
                    search.setdefault((name, deep), []).append(dt)
                    dt, (s, _) = timed(lambda: ref.req("GET", "/healthz"))
                    health.append(dt)
                    dt, (s, _) = timed(lambda: staff.req("GET", "/t/demo/api/admin/session"))
                    gate.append(dt)
        # SQLite alone on the same file, the same statements (page 1 and deep).
        sqls = {}
        for name, f in queries.items():
            sqls[(name, False)] = search_sql(f)
            if f["_deep"]:
                g = dict(f)
                g["cursor"] = f["_deep"]
                sqls[(name, True)] = search_sql(g)
        cli = sql_times(db, list(sqls.values()), a.queries)
        results["search"] = [{"query": n, "deep": d, "p50_ms": ms(pct(v, 50)), "p95_ms": ms(pct(v, 95)),
                              "sql_p50_ms": ms(pct(cli[sqls[(n, d)]], 50)), "sql_p95_ms": ms(pct(cli[sqls[(n, d)]], 95)),
                              "plan": plans[n]} for (n, d), v in search.items()]
        results["search_healthz"] = {"p50_ms": ms(pct(health, 50)), "p95_ms": ms(pct(health, 95))}
        results["search_session"] = {"p50_ms": ms(pct(gate, 50)), "p95_ms": ms(pct(gate, 95))}

        # Review: approve, then the next entry, over and over.
        s, first = staff.json("GET", f"/t/demo/api/admin/review/next?campaign={review_cid}")
        assert s == 200 and first["count"] > a.decisions, first.get("count")
        cur = first["entry"]
        both, approve_t, next_t, health, won = [], [], [], [], 0
        for _ in range(a.decisions):
            t0 = time.perf_counter()
            s, res = staff.json("POST", f"/t/demo/api/admin/review/{cur['id']}/decision",
                                {"version": cur["version"], "decision": "approve"})
            t1 = time.perf_counter()
            assert s == 200, res
            won += res["result"]["instant_win"]["won"]
            s, nxt = staff.json("GET", f"/t/demo/api/admin/review/next?campaign={review_cid}&after={cur['id']}")
            t2 = time.perf_counter()
            assert s == 200 and nxt["entry"], nxt
            both.append(t2 - t0)
            approve_t.append(t1 - t0)
            next_t.append(t2 - t1)
            cur = nxt["entry"]
            dt, _ = timed(lambda: ref.req("GET", "/healthz"))
            health.append(dt)
        results["review"] = {
            "decisions": a.decisions, "pending_at_start": first["count"], "instant_wins": won,
            "approve_plus_next": {"p50_ms": ms(pct(both, 50)), "p95_ms": ms(pct(both, 95)), "p99_ms": ms(pct(both, 99))},
            "approve": {"p50_ms": ms(pct(approve_t, 50)), "p95_ms": ms(pct(approve_t, 95))},
            "next": {"p50_ms": ms(pct(next_t, 50)), "p95_ms": ms(pct(next_t, 95))},
            "healthz": {"p50_ms": ms(pct(health, 50)), "p95_ms": ms(pct(health, 95))},
        }
        nq = (f"SELECT created_at, id FROM entries WHERE campaign_id = '{review_cid}' AND status = 'review'"
              f" AND created_at >= 0 AND (created_at > 0 OR id > '') ORDER BY created_at, id LIMIT 1")
        cq = f"SELECT count(*) FROM entries WHERE campaign_id = '{review_cid}' AND status = 'review'"
        ct = sql_times(db, [nq, cq], 50)
        results["review"]["sql_next_plus_count"] = {"p50_ms": ms(pct([x + y for x, y in zip(ct[nq], ct[cq])], 50)),
                                                    "p95_ms": ms(pct([x + y for x, y in zip(ct[nq], ct[cq])], 95))}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    report(results)


def qs(f, cursor=None):
    import urllib.parse
    q = {}
    for k in ("campaign", "status", "store", "product", "participant"):
        if k in f:
            q[k] = f[k]
    # The API takes RFC 3339 for exact instants (dates are whole Tokyo days).
    if "from" in f:
        q["from"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(f["from"]))
    if "to" in f:
        q["to"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(f["to"]))
    if cursor:
        q["cursor"] = f"{cursor[0]}.{cursor[1]}"
    q["limit"] = 50
    return urllib.parse.urlencode(q)


def report(r):
    print(f"\nmachine {r['machine']} ({r['cpus']} CPUs); tenant database {r['db_mb']} MB")
    rv = r.get("review")
    if rv:
        print(f"\nReview queue: {rv['pending_at_start']:,} pending, {rv['decisions']} approvals in a row"
              f" ({rv['instant_wins']} instant wins)")
        print(f"  approve + next item    p50 {rv['approve_plus_next']['p50_ms']} ms  p95 {rv['approve_plus_next']['p95_ms']} ms"
              f"  p99 {rv['approve_plus_next']['p99_ms']} ms")
        print(f"    approve alone        p50 {rv['approve']['p50_ms']} ms  p95 {rv['approve']['p95_ms']} ms")
        print(f"    next item alone      p50 {rv['next']['p50_ms']} ms  p95 {rv['next']['p95_ms']} ms")
        print(f"  reference GET /healthz p50 {rv['healthz']['p50_ms']} ms  p95 {rv['healthz']['p95_ms']} ms")
        print(f"  reference SQLite alone, next + count queries  p50 {rv['sql_next_plus_count']['p50_ms']} ms"
              f"  p95 {rv['sql_next_plus_count']['p95_ms']} ms")
    print(f"\nEntry search ({r['entries']:,} entries), 50 a page; recam over HTTP vs SQLite alone on the same SQL")
    print(f"  {'filter':28} {'page':>6} {'recam p50':>10} {'recam p95':>10} {'SQL p50':>9} {'SQL p95':>9}")
    for s in r["search"]:
        print(f"  {s['query']:28} {'deep' if s['deep'] else '1':>6} {s['p50_ms']:>10} {s['p95_ms']:>10}"
              f" {s['sql_p50_ms']:>9} {s['sql_p95_ms']:>9}")
    print(f"  reference GET /healthz p50 {r['search_healthz']['p50_ms']} ms  p95 {r['search_healthz']['p95_ms']} ms")
    print(f"  reference GET /api/admin/session (the staff gate and a tenant read, no audit record)"
          f" p50 {r['search_session']['p50_ms']} ms  p95 {r['search_session']['p95_ms']} ms")
    print("  ('deep' = the page 50,000 rows in, by keyset cursor; every search also appends its audit record)")


if __name__ == "__main__":
    sys.exit(main())
