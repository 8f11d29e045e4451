// A campaign page on a phone: details, the entry form with photo previews,
// upload progress, waiting for the judgement, the instant-win reveal, and the
// shopper's own history. The page is /t/{tenant}/c/{slug} (or /c/{slug} on a
// tenant host); the API is found relative to the tenant's root.
import { api, applyTexts, currentLang, setupSwitch } from '../ui/i18n.js';

const TEXTS = {
  ja: {
    entryPeriod: '応募期間', purchasePeriod: '対象購入期間', products: '対象商品', prizes: '賞品',
    enter: 'レシートで応募する', photos: 'レシートの写真',
    photoHint: 'レシート全体が写るように、明るい場所で撮影してください。', email: 'メールアドレス',
    termsTitle: '応募規約と個人情報の取扱い', terms: '応募規約', purpose: '個人情報の利用目的',
    agree: '応募規約と個人情報の取扱いに同意します', submit: '応募する', store: '店舗', date: '購入日',
    found: '対象商品', amount: '金額', again: '別のレシートで応募する', history: 'あなたの応募履歴',
    uploading: '送信中… {p}%', judging: 'レシートを確認しています…', ahead: '順番待ち: あと{n}件',
    accepted: '応募を受け付けました', rejected: '応募できませんでした', review: '確認中です',
    win: '当たり！', lose: 'はずれ', winMessage: '{prize} が当たりました。送付先の入力をお願いします。',
    loseMessage: '残念、はずれです。キャンペーン終了後の抽選をお待ちください。',
    needEmail: 'メールアドレスを正しく入力してください。', needPhoto: 'レシートの写真を選んでください。',
    needAgree: '応募規約と個人情報の取扱いに同意してください。', network: '通信に失敗しました。電波の良い場所でもう一度お試しください。',
    phase_open: '応募受付中', phase_upcoming: '開始前', phase_ended: '終了しました', phase_paused: '一時停止中',
    status_accepted: '受付', status_rejected: '不可', status_review: '確認中', status_queued: '確認待ち', status_reading: '確認中',
    yen: '円', deliveryTitle: '賞品のお届け先', dName: 'お名前', dFurigana: 'ふりがな', dPostal: '郵便番号',
    dPref: '都道府県', dAddress1: '市区町村・番地', dAddress2: '建物名・部屋番号', dPhone: '電話番号',
    dSubmit: '送付先を登録する', deadline: '入力期限: {d}', delivered: '送付先を受け付けました。賞品の発送までお待ちください。',
    choose: '選択してください',
  },
  en: {
    entryPeriod: 'Entry period', purchasePeriod: 'Purchase period', products: 'Products', prizes: 'Prizes',
    enter: 'Enter with your receipt', photos: 'Receipt photos',
    photoHint: 'Photograph the whole receipt in good light.', email: 'Email address',
    termsTitle: 'Terms and use of personal data', terms: 'Terms', purpose: 'How we use your data',
    agree: 'I agree to the terms and to how my data is used', submit: 'Enter', store: 'Store', date: 'Date',
    found: 'Products found', amount: 'Amount', again: 'Enter with another receipt', history: 'Your entries',
    uploading: 'Sending… {p}%', judging: 'Checking your receipt…', ahead: 'Waiting: {n} ahead of you',
    accepted: 'Entry accepted', rejected: 'Entry not accepted', review: 'Being checked',
    win: 'You won!', lose: 'Not this time', winMessage: 'You won {prize}. Please enter your delivery address.',
    loseMessage: 'Not a winner this time. Wait for the draw after the campaign ends.',
    needEmail: 'Please enter a valid email address.', needPhoto: 'Please choose a photo of your receipt.',
    needAgree: 'Please agree to the terms.', network: 'The connection failed. Please try again.',
    phase_open: 'Open', phase_upcoming: 'Not started', phase_ended: 'Ended', phase_paused: 'Paused',
    status_accepted: 'Accepted', status_rejected: 'Not accepted', status_review: 'Checking', status_queued: 'Waiting', status_reading: 'Checking',
    yen: ' yen', deliveryTitle: 'Delivery address', dName: 'Name', dFurigana: 'Name in kana', dPostal: 'Postal code',
    dPref: 'Prefecture', dAddress1: 'City and street', dAddress2: 'Building and room', dPhone: 'Phone',
    dSubmit: 'Send delivery address', deadline: 'Send by {d}', delivered: 'Thank you. We will ship your prize.',
    choose: 'Choose',
  },
};

const t = (key, vars = {}) => (TEXTS[currentLang()][key] || key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
const $ = (id) => document.getElementById(id);
const slug = decodeURIComponent(location.pathname.match(/\/c\/([^/]+)\/?$/)[1]);
const root = location.pathname.replace(/c\/[^/]+\/?$/, '');
const apiBase = `${root}api/campaigns/${encodeURIComponent(slug)}`;
let campaign = null;

const fmtDate = (iso) => new Date(iso).toLocaleString(currentLang() === 'en' ? 'en-GB' : 'ja-JP',
  { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const fmtYen = (n) => `${Number(n).toLocaleString('ja-JP')}${t('yen')}`;

function listInto(ul, items) {
  ul.replaceChildren(...items.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

function renderCampaign() {
  const c = campaign;
  document.title = `${c.title} — recam`;
  $('title').textContent = c.title;
  $('description').textContent = c.description || '';
  $('phase').textContent = t(`phase_${c.phase}`);
  $('phase').className = `badge ${c.phase}`;
  $('entry-period').textContent = `${fmtDate(c.entry_period.start)} 〜 ${fmtDate(c.entry_period.end)}`;
  $('purchase-period').textContent = `${c.purchase_period.first} 〜 ${c.purchase_period.last}`;
  listInto($('products'), c.target_products);
  listInto($('prizes'), c.prizes.map((p) => p.name));
  $('terms').textContent = c.terms;
  $('purpose').textContent = c.data_purpose;
  $('entry-form').hidden = c.phase !== 'open';
  const max = c.receipts_per_entry.max;
  $('photos').multiple = max > 1;
}

function showPreviews() {
  const files = [...$('photos').files];
  $('previews').replaceChildren(...files.map((f) => {
    const img = document.createElement('img');
    img.alt = f.name;
    img.src = URL.createObjectURL(f);
    img.onload = () => URL.revokeObjectURL(img.src);
    return img;
  }));
}

function upload(form, key) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${apiBase}/entries`);
    xhr.setRequestHeader('Accept-Language', currentLang());
    xhr.setRequestHeader('Idempotency-Key', key);
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const p = Math.round((e.loaded / e.total) * 100);
      $('bar').style.width = `${p}%`;
      $('progress-text').textContent = t('uploading', { p });
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body.entry);
      else reject(Object.assign(new Error(body?.error?.message || `HTTP ${xhr.status}`), { fields: body?.error?.fields }));
    };
    xhr.onerror = () => reject(new Error(t('network')));
    xhr.send(form);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForJudgement(entry) {
  $('progress').classList.add('indeterminate');
  while (entry.status === 'queued' || entry.status === 'reading') {
    $('progress-text').textContent = entry.queue_ahead > 0 ? t('ahead', { n: entry.queue_ahead }) : t('judging');
    await sleep(1000);
    entry = (await api(`${apiBase}/entries/${entry.id}`)).entry;
  }
  $('progress').classList.remove('indeterminate');
  return entry;
}

async function reveal(win) {
  const drum = $('drum');
  $('reveal').hidden = false;
  drum.className = 'drum spinning';
  drum.textContent = '?';
  await sleep(matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1600);
  drum.className = `drum ${win?.won ? 'win' : 'lose'}`;
  drum.textContent = win?.won ? t('win') : t('lose');
}

async function showResult(entry) {
  $('entry-form').hidden = true;
  $('result').hidden = false;
  $('result').scrollIntoView({ behavior: 'smooth' });
  $('result-title').textContent = t(entry.status);
  $('result-title').className = `status-${entry.status}`;
  const summary = entry.result?.summary;
  $('read-facts').hidden = !summary;
  if (summary) {
    $('r-store').textContent = summary.store || '—';
    $('r-date').textContent = summary.date || '—';
    $('r-products').textContent = summary.products.map((p) => `${p.name} ×${p.quantity}`).join('、') || '—';
    $('r-amount').textContent = summary.target_amount ? fmtYen(summary.target_amount) : (summary.total ? fmtYen(summary.total) : '—');
  }
  const win = entry.result?.instant_win;
  $('result-message').textContent = entry.message || '';
  $('reveal').hidden = true;
  if (entry.status === 'accepted' && win) {
    await reveal(win);
    $('result-message').textContent = win.won ? t('winMessage', { prize: win.prize.name }) : t('loseMessage');
    if (win.won) showDelivery(win.win_id);
  }
  loadHistory();
}

async function submit(event) {
  event.preventDefault();
  for (const id of ['form-error', 'email-error']) $(id).textContent = '';
  const files = [...$('photos').files];
  const email = $('email').value.trim();
  if (!files.length) { $('form-error').textContent = t('needPhoto'); return; }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) { $('email-error').textContent = t('needEmail'); return; }
  if (!$('agree').checked) { $('form-error').textContent = t('needAgree'); return; }
  const form = new FormData();
  form.append('email', email);
  form.append('agree', 'true');
  for (const f of files) form.append('receipt', f, f.name);
  // The same key for retries of this one submission: the server answers a
  // retry with the first entry instead of a second one.
  const key = crypto.randomUUID();
  $('submit').disabled = true;
  $('progress').hidden = false;
  try {
    let entry;
    for (let attempt = 0; ; attempt++) {
      try { entry = await upload(form, key); break; } catch (err) {
        if (err.message !== t('network') || attempt >= 2) throw err;
        await sleep(1500);
      }
    }
    await showResult(await waitForJudgement(entry));
  } catch (err) {
    $('form-error').textContent = err.message;
    if (err.fields?.email) $('email-error').textContent = err.fields.email;
  } finally {
    $('submit').disabled = false;
    $('progress').hidden = true;
    $('progress-text').textContent = '';
  }
}

const PREFECTURES = '北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県'.split(' ');

async function showDelivery(winId) {
  const form = $('delivery');
  const { win } = await api(`${apiBase}/wins/${winId}`);
  form.dataset.win = winId;
  $('delivery-deadline').textContent = t('deadline', { d: fmtDate(win.claim_deadline) });
  const sel = $('prefecture');
  sel.replaceChildren(new Option(t('choose'), ''), ...PREFECTURES.map((p) => new Option(p, p)));
  form.elements.email.value = $('email').value;
  form.hidden = win.delivery_sent;
}

async function sendDelivery(event) {
  event.preventDefault();
  const form = $('delivery');
  for (const el of form.querySelectorAll('small.error')) el.textContent = '';
  $('delivery-error').textContent = '';
  const body = Object.fromEntries(new FormData(form).entries());
  try {
    await api(`${apiBase}/wins/${form.dataset.win}/delivery`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    form.hidden = true;
    $('result-message').textContent = t('delivered');
  } catch (err) {
    $('delivery-error').textContent = err.message;
    for (const [name, msg] of Object.entries(err.fields || {})) {
      const el = form.querySelector(`small[data-for="${name}"]`);
      if (el) el.textContent = msg;
    }
  }
}

async function loadHistory() {
  const { entries } = await api(`${apiBase}/entries`);
  $('history').hidden = entries.length === 0;
  $('history-list').replaceChildren(...entries.map((e) => {
    const li = document.createElement('li');
    const status = Object.assign(document.createElement('span'), { className: `status-${e.status}`, textContent: t(`status_${e.status}`) });
    const won = e.result?.instant_win?.won ? ` 🎉 ${e.result.instant_win.prize.name}` : '';
    li.append(`${fmtDate(e.created_at)} `, status, won ? won : '', e.message ? ` — ${e.message}` : '');
    return li;
  }));
}

async function load() {
  try {
    const [info, c] = await Promise.all([api(`${root}api/info`), api(apiBase)]);
    $('tenant-name').textContent = info.tenant.name;
    campaign = c.campaign;
    renderCampaign();
    loadHistory();
  } catch (err) {
    $('title').textContent = err.message;
    $('entry-form').hidden = true;
  }
}

setupSwitch(TEXTS, () => { if (campaign) { renderCampaign(); loadHistory(); } applyTexts(TEXTS); });
$('photos').addEventListener('change', showPreviews);
$('entry-form').addEventListener('submit', submit);
$('delivery').addEventListener('submit', sendDelivery);
$('again').addEventListener('click', () => {
  $('result').hidden = true;
  $('entry-form').hidden = false;
  $('entry-form').reset();
  $('previews').replaceChildren();
});
load();
