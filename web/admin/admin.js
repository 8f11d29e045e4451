// The admin console: signs the staff user in, builds the menu from the
// screens their role may open, and routes #/path?query to a screen.
// Screens are modules in screens/ exporting
//   { texts: {ja, en}, routes: [{ path: 'campaigns/:id', perm, nav?, render(el, params, query) }] }
import { applyTexts, setupSwitch } from '../ui/i18n.js';
import { BASE, api, addTexts, can, clearErrors, field, h, setUnauthorizedHandler, showErrors, state, t } from './core.js';

// Menu order. A screen that fails to load is reported, the rest still work.
const SCREENS = ['dashboard', 'campaigns', 'reader', 'review', 'entries', 'draw', 'winners', 'exports', 'users',
  'audit', 'account'];

const TEXTS = {
  ja: {
    console: '管理画面', loading: '読み込み中です…', logout: 'ログアウト', login_title: '管理画面にログイン',
    email: 'メールアドレス', password: 'パスワード', login: 'ログイン', expired: 'セッションの有効期限が切れました。もう一度ログインしてください。',
    not_found: 'このページはありません。', forbidden: 'この画面を開く権限がありません。', menu: 'メニュー',
    role_owner: 'オーナー', role_admin: '管理者', role_reviewer: '審査担当', role_viewer: '閲覧者',
    load_failed: '画面を読み込めませんでした: {name}',
  },
  en: {
    console: 'Admin console', loading: 'Loading…', logout: 'Log out', login_title: 'Log in to the admin console',
    email: 'Email address', password: 'Password', login: 'Log in', expired: 'Your session has expired. Please log in again.',
    not_found: 'There is no such page.', forbidden: 'Your role may not open this screen.', menu: 'Menu',
    role_owner: 'Owner', role_admin: 'Admin', role_reviewer: 'Reviewer', role_viewer: 'Viewer',
    load_failed: 'Could not load a screen: {name}',
  },
};
addTexts(TEXTS);

const routes = [];
const view = document.getElementById('view');
const nav = document.getElementById('nav');

function compile(path) {
  const names = [];
  const re = path.split('/').map((seg) => {
    if (seg.startsWith(':')) { names.push(seg.slice(1)); return '([^/]+)'; }
    return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('/');
  return { re: new RegExp(`^${re}$`), names };
}

async function loadScreens() {
  const mods = await Promise.allSettled(SCREENS.map((name) => import(`./screens/${name}.js`)));
  mods.forEach((m, i) => {
    if (m.status !== 'fulfilled') { console.error(SCREENS[i], m.reason); return; }
    const screen = m.value.default;
    addTexts(screen.texts || {});
    for (const r of screen.routes || []) routes.push({ ...r, screen: SCREENS[i], ...compile(r.path) });
  });
}

function buildNav() {
  const items = routes.filter((r) => r.nav && (!r.perm || can(r.perm)));
  nav.replaceChildren(...items.map((r) => h('a', { href: `#/${r.path}`, dataset: { path: r.path } }, t(r.nav))));
  nav.hidden = false;
  return items;
}

function markNav(path) {
  for (const a of nav.querySelectorAll('a')) {
    const p = a.dataset.path;
    if (path === p || path.startsWith(`${p}/`)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

let renderSeq = 0;
async function route() {
  if (!state.session) return;
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  if (!path) {
    const first = routes.find((r) => r.nav && (!r.perm || can(r.perm)));
    if (first) location.replace(`#/${first.path}`);
    return;
  }
  const seq = ++renderSeq;
  for (const r of routes) {
    const m = path.match(r.re);
    if (!m) continue;
    markNav(path);
    if (r.perm && !can(r.perm)) { view.replaceChildren(h('p', { class: 'error' }, t('forbidden'))); return; }
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    const el = h('div', { class: `screen screen-${r.screen}` });
    view.replaceChildren(el);
    try {
      await r.render(el, params, new URLSearchParams(qs || ''));
    } catch (err) {
      if (seq === renderSeq && err.status !== 401) el.append(h('p', { class: 'error', role: 'alert' }, err.message));
    }
    return;
  }
  view.replaceChildren(h('p', { class: 'error' }, t('not_found')));
}

function showLogin(message) {
  state.session = null;
  nav.hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  const email = h('input', { type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'form', novalidate: true },
    field('email', t('email'), email), field('password', t('password'), password),
    h('button', { type: 'submit', class: 'primary' }, t('login')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const s = await api('login', { body: { email: email.value, password: password.value } });
      await signedIn(s);
    } catch (err) {
      showErrors(form, err);
    }
  });
  view.replaceChildren(h('section', { class: 'panel login' }, h('h1', {}, t('login_title')),
    message ? h('p', { class: 'form-error', role: 'alert' }, message) : null, form));
  email.focus();
}

async function signedIn(s) {
  state.session = s;
  document.getElementById('who').textContent = `${s.user.name || s.user.email} (${t(`role_${s.role}`)})`;
  document.getElementById('logout').hidden = false;
  buildNav();
  await route();
}

async function boot() {
  setupSwitch(TEXTS, () => {
    applyTexts(TEXTS);
    if (state.session) { buildNav(); route(); } else showLogin();
  });
  setUnauthorizedHandler(() => showLogin(t('expired')));
  document.getElementById('logout').addEventListener('click', async () => {
    try { await api('logout', { method: 'POST' }); } catch { /* the session is gone either way */ }
    showLogin();
  });
  window.addEventListener('hashchange', route);
  fetch(`${BASE}/api/info`).then((r) => r.json()).then((info) => {
    document.getElementById('tenant-name').textContent = info.tenant.name;
    document.title = `${info.tenant.name} — ${t('console')}`;
  }).catch(() => {});
  await loadScreens();
  try {
    await signedIn(await api('session'));
  } catch (err) {
    showLogin(err.status === 401 ? '' : err.message);
  }
}

boot();
