// A shopper on a phone enters a generated receipt on the demo campaign of
// `make run` and sees it judged, with the instant-win reveal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRecam, launchBrowser, phonePage, renderReceipt, screenshot } from './lib/harness.mjs';

let recam;
let chrome;

before(async () => {
  recam = await startRecam({ reader_workers: 1, test_hooks: true }, { campaign: 'demo/campaign.json' });
  // The receipt's purchase date (2027-05-08) must not be after the judging
  // moment (purchase_date_in_future): judge at noon on 2027-12-31 in Tokyo.
  const res = await fetch(`${recam.base}/__test/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ offset_ms: Date.parse('2027-12-31T12:00:00+09:00') - Date.now() }) });
  assert.equal(res.status, 200);
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await recam?.stop();
});

test('enter a receipt on the demo campaign and see the result', async () => {
  const { image } = renderReceipt(['ポテトチップス うすしお'], 5);
  const { page, problems } = await phonePage(chrome.browser);
  await page.goto(`${recam.base}/t/demo/`);
  await page.getByRole('link', { name: /ポテトチップス うすしお 冬の/ }).click();
  await page.locator('#title', { hasText: 'ポテトチップス' }).waitFor();
  await screenshot(page, 'campaign-page');

  // Submitting without agreeing is refused on the page, before any upload.
  await page.setInputFiles('#photos', image);
  await page.locator('#previews img').waitFor();
  await page.fill('#email', 'hanako@example.jp');
  await page.click('#submit');
  assert.match(await page.locator('#form-error').innerText(), /同意/);

  await page.check('#agree');
  await page.click('#submit');
  await page.locator('#result:not([hidden])').waitFor({ timeout: 120000 });
  assert.equal(await page.locator('#result-title').innerText(), '応募を受け付けました');
  // The reveal settles on a win or a loss.
  await page.locator('#drum.win, #drum.lose').waitFor();
  assert.match(await page.locator('#r-products').innerText(), /ポテトチップス うすしお/);
  await page.locator('#history-list li').first().waitFor();
  await screenshot(page, 'entry-result');
  assert.deepEqual(problems, []);
});
