// recam i18n: Japanese first, English on request. Texts live in per-page
// dictionaries; elements carry data-i18n="key". The choice is remembered.
const STORAGE_KEY = 'recam.lang';

export function currentLang() {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'ja';
}

export function applyTexts(dict, lang = currentLang()) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const text = dict[lang]?.[el.dataset.i18n];
    if (text !== undefined) el.textContent = text;
  }
  for (const b of document.querySelectorAll('.lang-switch button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  }
}

export function setupSwitch(dict, onChange) {
  for (const b of document.querySelectorAll('.lang-switch button')) {
    b.addEventListener('click', () => {
      localStorage.setItem(STORAGE_KEY, b.dataset.lang);
      applyTexts(dict);
      if (onChange) onChange(b.dataset.lang);
    });
  }
  applyTexts(dict);
}

// Fetches JSON from the API; throws an Error whose message is the server's
// message in the user's language.
export async function api(path, options = {}) {
  const headers = { 'Accept': 'application/json', 'Accept-Language': currentLang(), ...(options.headers || {}) };
  const res = await fetch(path, { ...options, headers, credentials: 'same-origin' });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(body?.error?.message || `HTTP ${res.status}`);
    err.code = body?.error?.code;
    err.fields = body?.error?.fields;
    err.status = res.status;
    throw err;
  }
  return body;
}
