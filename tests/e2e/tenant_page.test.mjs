// The demo tenant's page on a phone: it loads from recam, shows the tenant's
// name from its database, speaks Japanese first and switches to English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRecam, launchBrowser, phonePage, screenshot } from './lib/harness.mjs';

let recam;
let chrome;

before(async () => {
  recam = await startRecam();
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await recam?.stop();
});

test('tenant page shows the tenant and switches language', async () => {
  const { page, problems } = await phonePage(chrome.browser);
  await page.goto(`${recam.base}/t/demo/`);
  await page.locator('#tenant-name', { hasText: 'デモ食品株式会社' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.match(await page.locator('#message').innerText(), /キャンペーンはありません/);
  await screenshot(page, 'tenant-page-ja');

  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.locator('#message').innerText(), /no campaign open/);
  await screenshot(page, 'tenant-page-en');
  // No inline script or style was needed: the CSP refused nothing.
  assert.deepEqual(problems, []);
});

test('unknown tenant shows a readable error, not a blank page', async () => {
  const { page } = await phonePage(chrome.browser);
  const res = await page.goto(`${recam.base}/t/nobody/`);
  assert.equal(res.status(), 404);
  const body = JSON.parse(await page.locator('body').innerText());
  assert.equal(body.error.code, 'not_found');
});
