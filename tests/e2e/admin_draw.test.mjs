// The draw, winners and exports in the admin console. A shopper wins a
// campaign's instant prize and sends their delivery details (real upload,
// real reader); more entries are added to the campaign's database and the
// campaign is ended. The demo owner then publishes the draw's commitment,
// runs the draw, verifies it, forfeits a winner (the first alternate is
// promoted), records shipping, and exports the winners as CSV, Shift_JIS
// CSV and Excel — checking the downloaded bytes. A viewer sees the details
// masked. Screenshots in artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminLogin, desktopPage, launchBrowser, renderReceipt, screenshot, startRecam } from './lib/harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.RECAM_BIN || join(ROOT, 'build/asan/recam');
const SLUG = 'summer-quo';
const VIEWER = { email: 'viewer@demo.example', password: 'Kumo-Tsuki-Hoshi-2026' };

let recam;
let chrome;
let cid;

// Console errors other than HTTP statuses this test provokes on purpose
// (the 401 before logging in, the 400 of a refused field).
const real = (problems) => problems.filter((m) => !/^Failed to load resource: the server responded with a status of (400|401)/.test(m));

function cli(args, input) {
  const p = spawnSync(BIN, args, { env: recam.env, encoding: 'utf8', input });
  assert.equal(p.status, 0, p.stderr);
  return p.stdout;
}

// The demo campaign, with a sure instant win, a uniform draw and a 2025
// purchase window (the generated receipt below is from 2025).
function importCampaign() {
  const c = JSON.parse(readFileSync(join(ROOT, 'demo/campaign.json'), 'utf8'));
  Object.assign(c, {
    slug: SLUG, title: '夏のQUOカードキャンペーン', draw: 'uniform',
    purchase_period: { first: '2025-01-01', last: '2025-12-31' },
    prizes: [{ code: 'A', name: 'QUOカード 1,000円分', value: 1000, stock: 10, units_cost: 1, probability_ppm: 1000000 },
      { code: 'D', name: 'ポテトチップス 1年分', value: 30000, stock: 3, units_cost: 1 }],
  });
  c.rules.review_threshold = 0;
  const file = join(mkdtempSync(join(tmpdir(), 'recam-draw-e2e-')), 'c.json');
  writeFileSync(file, JSON.stringify(c));
  cli(['campaign', 'import', 'demo', file]);
}

function sql(script) {
  const dir = join(recam.dataDir, 'tenants');
  const db = join(dir, readdirSync(dir)[0], 'tenant.db');
  const p = spawnSync('/usr/bin/python3', ['-c', `import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
rows = [list(r) for r in con.execute(sys.argv[2]).fetchall()] if sys.argv[2].lstrip().upper().startswith("SELECT") else con.executescript(sys.argv[2]) and []
con.commit()
print(__import__("json").dumps(rows))`, db, script], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  return JSON.parse(p.stdout);
}

// A shopper enters the receipt and, having won, sends delivery details.
async function shopperWins(image) {
  const form = new FormData();
  form.append('email', 'hanako@example.jp');
  form.append('agree', 'true');
  form.append('receipt', new Blob([readFileSync(image)], { type: 'image/png' }), 'r.png');
  let res = await fetch(`${recam.base}/t/demo/api/campaigns/${SLUG}/entries`, { method: 'POST', body: form, headers: { 'Idempotency-Key': 'e2e-draw-1' } });
  assert.equal(res.status, 202);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { entry } = await res.json();
  let e;
  for (let i = 0; i < 240; i++) {
    res = await fetch(`${recam.base}/t/demo/api/campaigns/${SLUG}/entries/${entry.id}`, { headers: { cookie } });
    e = (await res.json()).entry;
    if (!['queued', 'reading'].includes(e.status)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(e.status, 'accepted', JSON.stringify(e));
  const winId = e.result.instant_win.win_id;
  res = await fetch(`${recam.base}/t/demo/api/campaigns/${SLUG}/wins/${winId}/delivery`, {
    method: 'POST', headers: { cookie, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: '山田 花子', furigana: 'やまだ はなこ', postal_code: '150-0001', prefecture: '東京都',
      address1: '渋谷区神宮前1-2-3', address2: 'レシートビル101', phone: '090-1234-5678', email: 'hanako@example.jp' }),
  });
  assert.equal(res.status, 200, await res.text());
  return winId;
}

let instantWin;

before(async () => {
  recam = await startRecam({ reader_workers: 1, test_hooks: true }, { campaign: 'demo/campaign.json' });
  chrome = await launchBrowser();
  importCampaign();
  const { image, truth } = renderReceipt(['ポテトチップス うすしお'], 6);
  assert.match(truth.date, /^2025-/);
  instantWin = await shopperWins(image);
  [[cid]] = sql(`SELECT id FROM campaigns WHERE slug = '${SLUG}'`);
  // Thirty more accepted entries of twelve shoppers, then the campaign ends.
  const stmts = [];
  for (let p = 0; p < 12; p++) stmts.push(`INSERT INTO participants VALUES ('p${p}', 'h${p}', x'00', 'now');`);
  for (let i = 0; i < 30; i++) {
    stmts.push(`INSERT INTO entries(id, campaign_id, participant_id, status, units, campaign_day, created_at)
      VALUES ('e${String(i).padStart(3, '0')}', '${cid}', 'p${i % 12}', 'accepted', 1, 1, 1);`);
  }
  stmts.push(`UPDATE campaigns SET status = 'ended' WHERE id = '${cid}';`);
  sql(stmts.join('\n'));
  cli(['user', 'add', 'demo', VIEWER.email, '閲覧 太郎', '--role', 'viewer'], `${VIEWER.password}\n`);
});

after(async () => {
  await chrome?.close();
  await recam?.stop();
});

test('owner commits, runs and verifies the draw, forfeits, ships and exports', async () => {
  const { page, problems } = await desktopPage(chrome.browser);
  page.on('dialog', (d) => d.accept());
  await adminLogin(page, recam);
  await page.click('#nav a[data-path=draw]');
  await page.locator('a', { hasText: '夏のQUOカードキャンペーン' }).click();
  await page.locator('h1', { hasText: '抽選 — 夏のQUOカードキャンペーン' }).waitFor();
  // The shopper who won instantly is not in the draw (one win per participant).
  assert.equal(await page.locator('.dw-prepare dd strong').innerText(), '30');
  await page.fill('input[name=winners]', '3');
  await page.fill('input[name=alternates]', '2');
  await screenshot(page, 'admin-draw-prepare');
  await page.click('.dw-prepare button[type=submit]');
  await page.locator('.dw-commitment').waitFor();
  const seedHash = await page.locator('.dw-commitment code.hash').first().innerText();
  assert.match(seedHash, /^[0-9a-f]{64}$/);
  await screenshot(page, 'admin-draw-committed');

  await page.click('.dw-run button');
  await page.locator('.dw-result').waitFor();
  assert.equal(await page.locator('.dw-winners tbody tr').count(), 3);
  assert.equal(await page.locator('.dw-alternates tbody tr').count(), 2);
  await page.click('button:has-text("検証する")');
  await page.locator('.dw-ok').waitFor();
  assert.match(await page.locator('.dw-ok').innerText(), /再現されました/);
  await screenshot(page, 'admin-draw-result');

  // Forfeit the first winner: alternate 1 is promoted.
  const firstRow = page.locator('.dw-winners tbody tr').first();
  await firstRow.locator('button', { hasText: '無効にする' }).click();
  await firstRow.locator('select[name=reason]').selectOption('declined');
  await firstRow.locator('button', { hasText: '無効にして繰り上げる' }).click();
  await page.locator('.toast', { hasText: '補欠1位' }).waitFor();
  await page.locator('.dw-winners tbody tr').first().locator('.badge.forfeited').waitFor();
  await page.locator('.dw-alternates tbody tr').first().locator('.badge.won').waitFor();
  await screenshot(page, 'admin-draw-forfeit');

  // Winners: the instant winner's details in full; record shipping.
  await page.click('#nav a[data-path=winners]');
  await page.locator('a', { hasText: '夏のQUOカードキャンペーン' }).click();
  const row = page.locator(`tr[data-win="${instantWin}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /山田 花子/);
  assert.match(await row.innerText(), /090-1234-5678/);
  await row.locator('button', { hasText: '発送を記録' }).click();
  await page.fill('.wn-edit input[name=carrier]', 'ヤマト運輸');
  await page.fill('.wn-edit input[name=tracking_number]', '12');
  await page.click('.wn-edit button[type=submit]');
  await page.locator('.wn-edit [data-field=tracking_number] .field-error').waitFor();
  await screenshot(page, 'admin-winners-field-error');
  await page.fill('.wn-edit input[name=tracking_number]', '1234-5678-9012');
  await page.click('.wn-edit button[type=submit]');
  await page.locator(`tr[data-win="${instantWin}"] .badge.shipped`).waitFor();
  await screenshot(page, 'admin-winners');

  // A tracking-number file (UTF-8; Shift_JIS is covered by the API tests): checked
  // first, a report per line, then applied.
  const trackingFile = join(mkdtempSync(join(tmpdir(), 'recam-ship-')), 'tracking.csv');
  const body = `当選ID,配送業者,追跡番号\r\n${instantWin},佐川急便,5555-6666-7777\r\nnosuchwin,佐川急便,111122223333\r\n`;
  writeFileSync(trackingFile, body);
  await page.setInputFiles('.wn-upload input[type=file]', trackingFile);
  await page.click('.wn-upload button[type=submit]');
  await page.locator('.wn-upload .dw-note', { hasText: '反映 1件' }).waitFor();
  assert.match(await page.locator('.wn-report tr.refused').innerText(), /見つかりません/);
  await screenshot(page, 'admin-winners-upload-check');
  await page.click('.wn-upload button:has-text("反映する")');
  await page.locator('.wn-upload .dw-ok').waitFor();
  await page.locator(`tr[data-win="${instantWin}"]`, { hasText: '5555-6666-7777' }).waitFor();
  await screenshot(page, 'admin-winners-upload-done');
  // Back to the first number for the export checks below.
  writeFileSync(trackingFile, `当選ID,配送業者,追跡番号\r\n${instantWin},ヤマト運輸,1234-5678-9012\r\n`);
  await page.setInputFiles('.wn-upload input[type=file]', trackingFile);
  await page.click('.wn-upload button[type=submit]');
  await page.click('.wn-upload button:has-text("反映する")');
  await page.locator(`tr[data-win="${instantWin}"]`, { hasText: '1234-5678-9012' }).waitFor();

  // The export for shipping: check the bytes of each download.
  const grab = async (format) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-format="${format}"]`)]);
    return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
  };
  const csv = await grab('csv');
  assert.equal(csv.name, `winners-${SLUG}.csv`);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = csv.bytes.subarray(3).toString('utf8');
  const lines = text.trim().split('\r\n');
  assert.ok(lines[0].startsWith('当選ID,応募ID,種別,賞品コード,賞品,状態'), lines[0]);
  assert.equal(lines.length, 1 + 1 + 3 + 1); // header, instant win, 3 drawn, 1 promoted
  const mine = lines.find((l) => l.startsWith(instantWin));
  assert.match(mine, /山田 花子/);
  assert.match(mine, /ヤマト運輸,1234-5678-9012,\d{4}-\d\d-\d\d$/);
  const sjis = await grab('csv-sjis');
  const decoded = new TextDecoder('shift_jis').decode(sjis.bytes);
  assert.ok(decoded.startsWith('当選ID,'), decoded.slice(0, 20));
  assert.match(decoded, /山田 花子/);
  assert.notEqual(sjis.bytes.length, csv.bytes.length);
  const xlsx = await grab('xlsx');
  assert.equal(xlsx.name, `winners-${SLUG}.xlsx`);
  assert.equal(xlsx.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');

  // The exports screen offers both data sets.
  await page.click('#nav a[data-path=exports]');
  await page.locator('h1', { hasText: 'データ出力' }).waitFor();
  await page.selectOption('select[name=campaign]', cid);
  await page.check('input[name=set][value=winners]');
  await page.selectOption('select[name=format]', 'csv');
  await screenshot(page, 'admin-exports');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.ex-form button[type=submit]')]);
  assert.deepEqual(readFileSync(await dl.path()), csv.bytes);
  assert.deepEqual(real(problems), []);
});

test('a viewer sees winners masked and cannot export', async () => {
  const { page, problems } = await desktopPage(chrome.browser);
  await adminLogin(page, recam, VIEWER);
  const menu = await page.locator('#nav a').allInnerTexts();
  assert.ok(menu.includes('抽選') && menu.includes('当選者・発送') && !menu.includes('データ出力'), menu.join());
  await page.goto(`${recam.base}/t/demo/admin/#/winners/${cid}`);
  const row = page.locator(`tr[data-win="${instantWin}"]`);
  await row.waitFor();
  const txt = await row.innerText();
  assert.match(txt, /山田 \*\*/);
  assert.match(txt, /〒150-\*\*\*\*/);
  assert.match(txt, /\*\*\*-\*\*\*\*-5678/);
  assert.doesNotMatch(txt, /花子|神宮前|090-1234/);
  assert.equal(await page.locator('button[data-format]').count(), 0);
  assert.equal(await page.locator('.wn-upload').count(), 0);
  await page.locator('.dw-note', { hasText: '伏せて' }).waitFor();
  await screenshot(page, 'admin-winners-viewer');
  await page.goto(`${recam.base}/t/demo/admin/#/draw/${cid}`);
  await page.locator('.dw-result').waitFor();
  assert.equal(await page.locator('button', { hasText: '無効にする' }).count(), 0);
  assert.deepEqual(real(problems), []);
});
