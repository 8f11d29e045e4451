// The admin console's shell: an owner logs in, manages staff (a field error
// from the server's validation shown at the field), reads the audit log,
// switches to English; an idle session leads back to the login screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adminLogin, desktopPage, launchBrowser, screenshot, startRecam } from './lib/harness.mjs';

let recam;
let chrome;

before(async () => {
  recam = await startRecam({ test_hooks: true });
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await recam?.stop();
});

test('owner logs in, adds staff, reads the audit log, times out', async () => {
  const { page, problems } = await desktopPage(chrome.browser);
  await page.goto(`${recam.base}/t/demo/admin/`);
  await page.locator('h1', { hasText: '管理画面にログイン' }).waitFor();
  // A wrong password: the server's message, nothing else happens.
  await page.fill('input[name=email]', recam.owner.email);
  await page.fill('input[name=password]', 'not-the-password');
  await page.click('form button[type=submit]');
  await page.locator('.form-error').waitFor();
  await screenshot(page, 'admin-login-error');

  await adminLogin(page, recam);
  const menu = await page.locator('#nav a').allInnerTexts();
  for (const item of ['スタッフ', 'セキュリティ設定', '操作ログ', 'アカウント']) assert.ok(menu.includes(item), menu.join());

  await page.click('#nav a[data-path=users]');
  await page.locator('h1', { hasText: 'スタッフアカウント' }).waitFor();
  await page.fill('input[name=name]', '審査 花子');
  await page.fill('input[name=email]', 'reviewer@demo.example');
  await page.fill('input[name=password]', 'password');
  await page.selectOption('select[name=role]', 'reviewer');
  await page.click('form.form button[type=submit]');
  // The policy refuses the password: the message sits under the password field.
  const err = page.locator('[data-field=password] .field-error');
  await err.waitFor();
  assert.match(await err.innerText(), /12文字以上/);
  await screenshot(page, 'admin-users-field-error');
  await page.fill('input[name=password]', 'kuri-manju-1987-sakura');
  await page.click('form.form button[type=submit]');
  await page.locator('td', { hasText: 'reviewer@demo.example' }).waitFor();
  await screenshot(page, 'admin-users');

  await page.click('#nav a[data-path=audit]');
  await page.locator('td', { hasText: 'user.create' }).first().waitFor();
  await page.fill('input[name=action]', 'login');
  await page.click('form.toolbar button[type=submit]');
  await page.waitForFunction(() => [...document.querySelectorAll('tbody tr td:nth-child(3)')].every((td) => td.textContent === 'login'));
  await screenshot(page, 'admin-audit');

  await page.click('.lang-switch button[data-lang=en]');
  await page.locator('h1', { hasText: 'Audit log' }).waitFor();
  await page.click('.lang-switch button[data-lang=ja]');
  await page.locator('h1', { hasText: '操作ログ' }).waitFor();

  // 31 minutes without a request: the next one leads back to the login screen.
  const res = await page.request.post(`${recam.base}/__test/clock`, { data: { offset_ms: 31 * 60 * 1000 } });
  assert.equal(res.status(), 200);
  await page.click('#nav a[data-path=users]');
  await page.locator('.form-error', { hasText: 'セッションの有効期限が切れました' }).waitFor();
  assert.equal(await page.locator('#nav').isHidden(), true);
  await screenshot(page, 'admin-session-expired');
  // The browser logs each refused request (400, 401); anything else is a fault.
  assert.deepEqual(problems.filter((p) => !p.startsWith('Failed to load resource')), []);
});

test('a reviewer sees only what the role may open', async () => {
  const { page } = await desktopPage(chrome.browser);
  await page.request.post(`${recam.base}/__test/clock`, { data: { offset_ms: 0 } });
  await adminLogin(page, recam, { email: 'reviewer@demo.example', password: 'kuri-manju-1987-sakura' });
  const menu = await page.locator('#nav a').allInnerTexts();
  for (const item of ['スタッフ', 'セキュリティ設定', '操作ログ']) assert.ok(!menu.includes(item), menu.join());
  await page.goto(`${recam.base}/t/demo/admin/#/security`);
  await page.locator('.error', { hasText: '権限がありません' }).waitFor();
});
