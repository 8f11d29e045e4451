// The participant page of a tenant. The page lives at /t/{slug}/ (or the
// tenant's own host), so the API is reached by the relative URL api/...
import { api, applyTexts, setupSwitch } from '../ui/i18n.js';

const TEXTS = {
  ja: {
    welcome: 'キャンペーンページ',
    loading: '読み込み中です…',
    none: '現在、応募を受け付けているキャンペーンはありません。',
    some: '応募受付中のキャンペーン',
  },
  en: {
    welcome: 'Campaign page',
    loading: 'Loading…',
    none: 'There is no campaign open for entries right now.',
    some: 'Campaigns open for entries',
  },
};

async function load() {
  const message = document.getElementById('message');
  try {
    const [info, list] = await Promise.all([api('api/info'), api('api/campaigns')]);
    document.getElementById('tenant-name').textContent = info.tenant.name;
    document.title = `${info.tenant.name} — recam`;
    message.dataset.i18n = list.campaigns.length ? 'some' : 'none';
    document.getElementById('campaigns').replaceChildren(...list.campaigns.map((c) => {
      const li = document.createElement('li');
      const a = Object.assign(document.createElement('a'), { href: `c/${encodeURIComponent(c.slug)}`, textContent: c.title });
      li.append(a);
      return li;
    }));
    applyTexts(TEXTS);
  } catch (err) {
    message.removeAttribute('data-i18n');
    message.textContent = err.message;
    message.classList.add('error');
  }
}

setupSwitch(TEXTS);
load();
