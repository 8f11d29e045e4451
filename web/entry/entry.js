// The participant page of a tenant. The page lives at /t/{slug}/ (or the
// tenant's own host), so the API is reached by the relative URL api/...
import { api, applyTexts, setupSwitch } from '../ui/i18n.js';

const TEXTS = {
  ja: {
    welcome: 'キャンペーンページ',
    loading: '読み込み中です…',
    none: '現在、応募を受け付けているキャンペーンはありません。',
  },
  en: {
    welcome: 'Campaign page',
    loading: 'Loading…',
    none: 'There is no campaign open for entries right now.',
  },
};

async function load() {
  const message = document.getElementById('message');
  try {
    const info = await api('api/info');
    document.getElementById('tenant-name').textContent = info.tenant.name;
    document.title = `${info.tenant.name} — recam`;
    message.dataset.i18n = 'none';
    applyTexts(TEXTS);
  } catch (err) {
    message.removeAttribute('data-i18n');
    message.textContent = err.message;
    message.classList.add('error');
  }
}

setupSwitch(TEXTS);
load();
