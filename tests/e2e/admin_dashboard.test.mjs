// The dashboard: an owner opens the console and sees the demo campaign's
// figures, a stacked chart of entries per day and one per hour (Chart.js,
// vendored, under the console's CSP), the reasons, prize stock, stores and
// products; clicks a day to see its hours; switches the range and to English.
// Entries are written into the tenant database at known Tokyo times (their
// judging is the entry tests' business), with the server's clock fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { adminLogin, desktopPage, launchBrowser, screenshot, startRecam } from './lib/harness.mjs';

let recam;
let chrome;
const NOW = Date.parse('2026-11-25T15:00:00+09:00');

// 14 days of entries: more on weekends and in the evening, a few rejected
// (no target product, the same receipt photographed again) and a few sent to
// review (a purchase date in the future).
const SEED = String.raw`
import json, random, sqlite3, sys, uuid
from datetime import datetime, timedelta, timezone
data = sys.argv[1]
JST = timezone(timedelta(hours=9))
con = sqlite3.connect(data + "/control.db")
(tid,) = con.execute("SELECT id FROM tenants WHERE slug = 'demo'").fetchone()
con = sqlite3.connect(f"{data}/tenants/{tid}/tenant.db")
(cid,) = con.execute("SELECT id FROM campaigns WHERE slug = 'potato-winter'").fetchone()
R = random.Random(7)
stores = ["サンライズマート 渋谷店", "ひまわりストアー 梅田店", "ふじみステーション 栄店", "ドラッグあおば 札幌駅前店",
          "グリーン市場 博多店", "まるなか薬品 仙台店"]
products = ["ポテトチップス うすしお", "ポテトチップス うすしお 大袋"]
people = []
for i in range(60):
    pid = uuid.uuid4().hex[:26]
    con.execute("INSERT INTO participants(id, email_hash, email_sealed, created_at) VALUES (?, ?, ?, ?)",
                (pid, "h%d" % i, b"x", "2026-11-01T00:00:00Z"))
    people.append(pid)
start = datetime(2026, 11, 12, tzinfo=JST)
n = 0
for d in range(14):
    day = start + timedelta(days=d)
    count = 6 + d + (8 if day.weekday() >= 5 else 0)
    for _ in range(count):
        hour = R.choices(range(24), [1,1,0,0,0,0,1,2,4,3,3,4,8,5,4,4,5,7,10,12,10,7,4,2])[0]
        t = day + timedelta(hours=hour, minutes=R.randint(0, 59))
        if t > datetime(2026, 11, 25, 15, 0, tzinfo=JST):
            continue
        r = R.random()
        status, reason = ("accepted", None)
        if r < 0.10: status, reason = "rejected", "no_target_product"
        elif r < 0.15: status, reason = "rejected", "duplicate_image"
        elif r < 0.18: status, reason = "rejected", "purchase_before_period"
        elif r < 0.24: status, reason = "review", "low_confidence"
        elif r < 0.27: status, reason = "review", "purchase_date_in_future"
        store = R.choice(stores[:3] * 3 + stores)
        found = [] if reason == "no_target_product" else [(R.choice(products[:1] * 4 + products[1:]), R.randint(1, 3))]
        eid = uuid.uuid4().hex[:26]
        ts = int(t.timestamp())
        summary = {"store": store, "products": [{"name": p, "quantity": q, "amount": 158 * q} for p, q in found]}
        con.execute("INSERT INTO entries(id, campaign_id, participant_id, status, reason, units, result, campaign_day,"
                    " created_at, judged_at, store) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (eid, cid, R.choice(people), status, reason, 1 if status == "accepted" else 0,
                     json.dumps({"status": status, "reason": reason, "summary": summary}),
                     (ts + 9 * 3600) // 86400, ts, ts + 4, store))
        for p, q in found:
            con.execute("INSERT OR IGNORE INTO entry_products(entry_id, campaign_id, product, quantity, amount, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)", (eid, cid, p, q, 158 * q, ts))
        if status == "accepted" and R.random() < 0.3:
            con.execute("INSERT INTO wins(id, campaign_id, participant_id, entry_id, prize_code, kind, created_at)"
                        " VALUES (?, ?, ?, ?, ?, 'instant', ?)", (uuid.uuid4().hex[:26], cid, people[0], eid,
                                                                  R.choice("AB"), ts))
        n += 1
con.execute("UPDATE prizes SET stock = stock - 12, won = won + 12 WHERE campaign_id = ? AND code = 'A'", (cid,))
con.execute("UPDATE prizes SET stock = stock - 31, won = won + 31 WHERE campaign_id = ? AND code = 'B'", (cid,))
con.commit()
print(n)
`;

before(async () => {
  recam = await startRecam({ test_hooks: true }, { campaign: 'demo/campaign.json' });
  const p = spawnSync('/usr/bin/python3', ['-c', SEED, recam.dataDir], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  recam.seeded = Number(p.stdout.trim());
  const res = await fetch(`${recam.base}/__test/clock`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ offset_ms: NOW - Date.now() }),
  });
  assert.equal(res.status, 200);
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await recam?.stop();
});

// Bars drawn by Chart.js: the sum of a chart's datasets, and whether the
// canvas really holds pixels of the "accepted" colour.
async function chartState(page, sel) {
  return page.evaluate((s) => {
    const canvas = document.querySelector(s);
    const chart = window.Chart.getChart(canvas);
    const total = chart.data.datasets.reduce((a, ds) => a + ds.data.reduce((x, y) => x + y, 0), 0);
    const ctx = canvas.getContext('2d');
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let green = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] === 0x2e && px[i + 1] === 0x9e && px[i + 2] === 0x64) green++;
    return { total, green, labels: chart.data.labels.length, datasets: chart.data.datasets.map((d) => d.label) };
  }, sel);
}

test('the dashboard shows the campaign at a glance, charts included', async () => {
  const { page, problems } = await desktopPage(chrome.browser);
  const violations = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => { window.__csp = (window.__csp || []).concat(e.violatedDirective); });
  });
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await adminLogin(page, recam);
  // The first screen of the menu is the dashboard.
  await page.locator('h1', { hasText: 'ダッシュボード' }).waitFor();
  assert.equal(await page.locator('#nav a[aria-current=page]').innerText(), 'ダッシュボード');
  await page.locator('#db-days').waitFor();
  await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('#db-hours')));

  const kpis = Object.fromEntries(await page.locator('.kpi').evaluateAll((els) =>
    els.map((e) => [e.querySelector('.k').textContent, e.querySelector('.v').textContent])));
  assert.equal(kpis['応募数'], recam.seeded.toLocaleString('ja-JP'));
  assert.match(kpis['承認率'], /^\d+\.\d%$/);
  assert.ok(Number(kpis['本日の応募']) > 0, JSON.stringify(kpis));

  const days = await chartState(page, '#db-days');
  assert.equal(days.labels, 30); // the newest 30 days by default
  assert.equal(days.total, recam.seeded);
  assert.deepEqual(days.datasets, ['承認', '審査中', '却下', '判定待ち']);
  assert.ok(days.green > 500, `accepted bars drawn: ${days.green} px`);
  const hours = await chartState(page, '#db-hours');
  assert.equal(hours.labels, 24);
  assert.ok(hours.total > 0 && hours.green > 50);

  // The tables: Japanese labels of the reasons, stock, stores, products.
  const rejected = await page.locator('.db-reasons-rejected tbody tr td:first-child').allInnerTexts();
  assert.deepEqual(new Set(rejected), new Set(['対象商品なし', '使用済みの写真（同じレシート）', '購入日が対象期間より前']));
  const review = await page.locator('.db-reasons-review tbody tr td:first-child').allInnerTexts();
  assert.deepEqual(new Set(review), new Set(['読み取りの確信度が低い', '購入日が未来の日付']));
  const prizes = await page.locator('.db-prizes tbody tr').allInnerTexts();
  assert.match(prizes[0], /QUOカード 1,000円分[\s\S]*50[\s\S]*12[\s\S]*38/);
  assert.match(await page.locator('.db-stores tbody tr').first().innerText(), /(サンライズマート|ひまわりストアー|ふじみステーション)/);
  assert.match(await page.locator('.db-products tbody tr').first().innerText(), /ポテトチップス うすしお/);
  await screenshot(page, 'admin-dashboard');

  // A click on a day's bar shows that day by hour.
  const box = await page.locator('#db-days').boundingBox();
  const target = await page.evaluate(() => {
    const chart = window.Chart.getChart(document.querySelector('#db-days'));
    const i = chart.data.labels.length - 5;
    const el = chart.getDatasetMeta(0).data[i];
    return { x: el.x, y: (chart.chartArea.bottom + chart.chartArea.top) / 2, label: chart.data.labels[i] };
  });
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.waitForURL(/day=2026-11-21/);
  await page.locator('h2', { hasText: '時間帯別の応募数 — 2026年11月21日(土)' }).waitFor();
  await page.waitForFunction(() => window.Chart.getChart(document.querySelector('#db-hours')));
  const day = await chartState(page, '#db-hours');
  assert.ok(day.total > 0 && day.green > 50, JSON.stringify(day));
  await screenshot(page, 'admin-dashboard-day');

  // All days and the whole period.
  await page.click('.seg button:has-text("全期間")');
  await page.waitForURL(/range=0/);
  await page.waitForFunction(() => window.Chart.getChart(document.querySelector('#db-days'))?.data.labels.length > 300);
  await page.click('.seg button:has-text("全期間の合計")');
  await page.waitForURL(/day=all/);
  // The URL changes before the hashchange re-renders the screen: wait for
  // the new screen (its button pressed), whose chart is drawn with it.
  await page.locator('.seg button[aria-pressed=true]', { hasText: '全期間の合計' }).waitFor();
  await page.waitForFunction(() => window.Chart.getChart(document.querySelector('#db-hours')));
  assert.equal((await chartState(page, '#db-hours')).total, recam.seeded);

  // English.
  await page.click('.lang-switch button[data-lang=en]');
  await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
  await page.waitForFunction(() => window.Chart.getChart(document.querySelector('#db-days')));
  const en = await page.locator('.db-reasons-rejected tbody tr td:first-child').allInnerTexts();
  assert.ok(en.includes('No target product') && en.includes('Photo already used (same receipt)'), en.join());
  assert.deepEqual((await chartState(page, '#db-days')).datasets, ['Accepted', 'In review', 'Rejected', 'Being judged']);
  await screenshot(page, 'admin-dashboard-en');

  // Nothing overflows the 1366 px window sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  assert.deepEqual(await page.evaluate(() => window.__csp || []), []);
  assert.deepEqual(violations, []);
  // The only failed load is the console's "am I logged in?" before login.
  assert.deepEqual(problems.filter((m) => !/^Failed to load resource: .* 401/.test(m)), []);
});
