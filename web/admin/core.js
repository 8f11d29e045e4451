// The admin console's shared helpers. Every screen (screens/*.js) imports
// from here: the API client (session cookie + CSRF header, errors in the
// user's language), texts, element building, field errors and toasts.
import { currentLang } from '../ui/i18n.js';

// The console lives at {tenant}/admin/: /t/demo/admin/ or a tenant host's /admin/.
export const BASE = location.pathname.replace(/\/admin\/.*$/, '');
export const state = { session: null };

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.fields = body?.error?.fields || null;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// Calls /api/admin/{path}. options.body: an object (sent as JSON), a
// FormData or a Blob; options.raw: return the Response (downloads).
export async function api(path, options = {}) {
  const method = options.method || (options.body !== undefined ? 'POST' : 'GET');
  const headers = { 'Accept': 'application/json', 'Accept-Language': currentLang(), ...(options.headers || {}) };
  if (method !== 'GET' && method !== 'HEAD' && state.session) headers['X-CSRF-Token'] = state.session.csrf_token;
  let body = options.body;
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  }
  const res = await fetch(`${BASE}/api/admin/${path}`, { method, headers, body, credentials: 'same-origin' });
  if (res.status === 401 && path !== 'login' && path !== 'session') {
    onUnauthorized();
    throw new ApiError(401, await res.json().catch(() => null));
  }
  if (options.raw && res.ok) return res;
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// Whether the signed-in role may use perm (the server decides; this only
// hides what would be refused).
export function can(perm) {
  const perms = state.session?.perms || [];
  return perms.includes(perm);
}

const texts = { ja: {}, en: {} };
export function addTexts(dict) {
  for (const lang of ['ja', 'en']) Object.assign(texts[lang], dict[lang] || {});
}
// t('key', {n: 3}) → the text in the current language with {n} filled in.
export function t(key, vars = {}) {
  const lang = currentLang();
  const s = texts[lang][key] ?? texts.ja[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

// h('button', {class: 'primary', onclick: fn}, 'text', child...) — attributes
// starting with "on" become listeners; strings become text (never HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A labelled control: field('title', t('title'), h('input', {...})).
// The control gets name=key so showErrors can find it.
export function field(key, label, control, opts = {}) {
  control.name = control.name || key;
  if (!control.id) control.id = `f-${key.replace(/[^\w-]/g, '-')}`;
  return h('label', { class: `field${opts.wide ? ' wide' : ''}`, dataset: { field: key } },
    h('span', {}, label), control, opts.hint ? h('small', { class: 'muted' }, opts.hint) : null);
}

// Shows err (an ApiError) on form: each {field: message} under its control,
// anything else at the top of the form.
export function showErrors(form, err) {
  clearErrors(form);
  const fields = err?.fields || {};
  let placed = 0;
  for (const [key, msg] of Object.entries(fields)) {
    const box = form.querySelector(`[data-field="${CSS.escape(key)}"]`);
    if (!box) continue;
    box.classList.add('invalid');
    box.append(h('span', { class: 'field-error', role: 'alert' }, msg));
    placed++;
  }
  if (!placed || Object.keys(fields).length > placed) {
    const extra = Object.entries(fields).filter(([k]) => !form.querySelector(`[data-field="${CSS.escape(k)}"]`));
    const text = extra.length ? extra.map(([k, m]) => `${k}: ${m}`).join(' / ') : err?.message;
    form.prepend(h('p', { class: 'form-error', role: 'alert' }, text || String(err)));
  }
  form.querySelector('.invalid input, .invalid select, .invalid textarea')?.focus();
}
export function clearErrors(form) {
  form.querySelectorAll('.field-error, .form-error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
}

export function toast(message, kind = 'info') {
  const el = h('div', { class: `toast ${kind}` }, message);
  document.getElementById('toasts').append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

export function navigate(hash) { location.hash = hash.startsWith('#') ? hash : `#/${hash}`; }

// Dates are unix seconds or RFC 3339 strings; shown in Asia/Tokyo.
export function fmtTime(v) {
  if (v === null || v === undefined || v === '') return '';
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return d.toLocaleString(currentLang() === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', hour12: false });
}
export function fmtYen(n) {
  return n === null || n === undefined ? '' : `¥${Number(n).toLocaleString('ja-JP')}`;
}
export function fmtNum(n) { return Number(n || 0).toLocaleString('ja-JP'); }

// Saves a Response (a download route) as a file with the server's name.
export async function download(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const m = cd.match(/filename\*=UTF-8''([^;]+)/) || cd.match(/filename="([^"]+)"/);
  const name = m ? decodeURIComponent(m[1]) : fallback;
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
