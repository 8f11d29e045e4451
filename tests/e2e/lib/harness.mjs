// Browser-test harness: starts a real `recam serve` (the ASan build by
// default) on a free port with a temporary data directory, and a headless
// Debian chromium through playwright-core. Screenshots go to artifacts/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = process.env.RECAM_BIN || join(ROOT, 'build/asan/recam');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
const SANITIZER = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/;

function recamEnv(dataDir, settings = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RECAM_')));
  Object.assign(env, {
    RECAM_DATA_DIR: dataDir,
    RECAM_LISTEN: '127.0.0.1:0',
    RECAM_WEB_DIR: join(ROOT, 'web'),
  });
  for (const [k, v] of Object.entries(settings)) env[`RECAM_${k.toUpperCase()}`] = String(v);
  return env;
}

// options.campaign: a campaign file for the demo tenant (as `make run` does).
export async function startRecam(settings = {}, options = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'recam-e2e-'));
  const dataDir = join(tmp, 'data');
  const env = recamEnv(dataDir, { reader_workers: 0, ...settings });
  const demoArgs = options.campaign ? ['demo', join(ROOT, options.campaign)] : ['demo'];
  const demo = spawnSync(BIN, demoArgs, { env, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`recam demo failed: ${demo.stderr}`);
  // `recam demo` shows the demo owner's password once, as `make run` does.
  const owner = {
    email: demo.stdout.match(/demo owner created: (\S+)/)?.[1],
    password: demo.stdout.match(/demo owner password \(shown only now\): (\S+)/)?.[1],
  };
  const errPath = join(tmp, 'stderr.log');
  const proc = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'pipe', openSync(errPath, 'w')] });
  const base = await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error('recam did not start')), 30000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); res(m[1]); }
    });
    proc.on('exit', (code) => rej(new Error(`recam exited ${code}: ${readFileSync(errPath, 'utf8')}`)));
  });
  return {
    base,
    owner,
    dataDir,
    env,
    async stop() {
      const code = await new Promise((res) => { proc.on('exit', res); proc.kill('SIGTERM'); });
      const log = readFileSync(errPath, 'utf8');
      rmSync(tmp, { recursive: true, force: true });
      if (SANITIZER.test(log)) throw new Error(`sanitizer report:\n${log}`);
      if (code !== 0) throw new Error(`recam exited ${code}:\n${log}`);
    },
  };
}

// playwright-core gives each launch a fresh temporary profile directory.
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

// A phone-sized page, as a shopper holds it.
export async function phonePage(browser) {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'ja-JP',
  });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Renders a receipt carrying the given products with the project's
// generator; returns { image, truth }.
export function renderReceipt(products, seed, level = 'clean') {
  const out = mkdtempSync(join(tmpdir(), 'recam-receipt-'));
  const code = `import sys, json; sys.path.insert(0, ${JSON.stringify(join(ROOT, 'tests/receipts'))}); import gen
t = gen.make_receipt_with(${JSON.stringify(products)}, ${JSON.stringify(out)}, rid="r", seed=${seed}, levels=["${level}"])
print(json.dumps(t, ensure_ascii=False))`;
  const p = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`receipt generator failed: ${p.stderr}`);
  const truth = JSON.parse(p.stdout);
  return { image: join(out, truth.images[0].file), truth };
}

// A desktop page, as staff use the admin console (1280 px and wider).
export async function desktopPage(browser, lang = 'ja-JP') {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang, acceptDownloads: true });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

// Opens the demo tenant's admin console and logs in (default: the demo owner).
export async function adminLogin(page, recam, who = recam.owner) {
  await page.goto(`${recam.base}/t/demo/admin/`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('form button[type=submit]');
  await page.waitForSelector('#nav a');
}
