// The review queue: entries the judge left to a person, oldest first. The
// photo large (zoom, rotate, drag to pan), the recognized fields beside it,
// editable; approve or reject with a reason template and a note; keyboard
// shortcuts for the common path. The next entry (data and photos) is
// fetched while the current one is on screen, so it appears at once.
// Also the editor of the rejection templates (review/templates).
import { currentLang } from '../../ui/i18n.js';
import { api, can, clearErrors, fmtTime, fmtYen, h, navigate, showErrors, t, toast } from '../core.js';

const texts = {
  ja: {
    nav_review: '審査キュー', rv_title: '審査キュー', rv_campaign: 'キャンペーン', rv_pending: '審査待ち {n}件',
    rv_position: '{p} / {n} 件目', rv_empty: '審査待ちの応募はありません。', rv_none_campaign: 'キャンペーンがありません。',
    rv_entry: '応募', rv_entered: '応募日時', rv_reason: '審査理由', rv_products: '見つかった対象商品', rv_no_products: '（なし）',
    rv_fields: '読み取り結果（訂正できます）', rv_read: '読み取り: {v}', rv_read_none: '読み取り: なし', rv_conf: '確からしさ {p}',
    rv_corrected: '訂正済み', rv_items: '商品行', rv_item_name: '商品名', rv_item_qty: '数量', rv_item_amount: '金額',
    rv_add_item: '行を追加', rv_remove_item: '削除', rv_receipt_n: 'レシート {n}', rv_photo_error: 'この写真は読み取れませんでした。',
    rv_cut_short: '時間内に写真の一部しか読み取れませんでした。読み取れなかった部分は写真で確かめてください。',
    rv_approve: '承認', rv_reject: '却下', rv_reasons: '却下の理由', rv_note: 'メモ（事務局内のみ。応募者には表示されません）',
    rv_pick_reason: '却下の理由を選んでください（1〜9）。', rv_approved: '承認しました。', rv_rejected: '却下しました。',
    rv_won: '当選: {prize}', rv_lost: '抽選: はずれ', rv_next: '次へ', rv_prev: '前へ', rv_zoom_in: '拡大', rv_zoom_out: '縮小',
    rv_fit: '全体表示', rv_rot_left: '左に回転', rv_rot_right: '右に回転', rv_keys: 'キーボード操作',
    rv_k_approve: '承認', rv_k_reject: '却下', rv_k_reason: '理由を選ぶ', rv_k_move: '次 / 前', rv_k_zoom: '拡大 / 縮小 / 全体',
    rv_k_rotate: '回転', rv_k_leave: '入力欄から抜ける', rv_no_image_perm: '写真を表示する権限がありません。',
    rv_image_failed: '写真を表示できませんでした（{msg}）。', rv_templates: '却下理由のテンプレート', rv_version: '版 {v}',
    rv_history: '履歴', rv_end: 'キューの最後です。', rv_start: 'キューの最初です。', rv_stale: '他の担当者が先に処理しました。次の応募を表示します。',
    fld_store: '店舗名', fld_phone: '電話番号', fld_registration_number: '登録番号', fld_date: '購入日', fld_time: '時刻',
    fld_total: '合計（円）', rv_busy: '処理中…',
    tp_title: '却下理由のテンプレート', tp_intro: '審査キューで却下するときの理由です。表示順の1〜9番目がキーボードの 1〜9 に対応します。メッセージは応募者の画面に表示されます。',
    tp_code: 'コード', tp_label_ja: '表示名（日本語）', tp_label_en: '表示名（英語）', tp_message_ja: '応募者へのメッセージ（日本語）',
    tp_message_en: '応募者へのメッセージ（英語）', tp_position: '表示順', tp_active: '使用する', tp_save: '保存', tp_add: 'テンプレートを追加',
    tp_saved: '保存しました。', tp_new: '新しいテンプレート', tp_back: '審査キューに戻る',
  },
  en: {
    nav_review: 'Review queue', rv_title: 'Review queue', rv_campaign: 'Campaign', rv_pending: '{n} pending',
    rv_position: '{p} of {n}', rv_empty: 'Nothing is waiting for review.', rv_none_campaign: 'There are no campaigns.',
    rv_entry: 'Entry', rv_entered: 'Entered', rv_reason: 'Why in review', rv_products: 'Target products found', rv_no_products: '(none)',
    rv_fields: 'What was read (editable)', rv_read: 'Read: {v}', rv_read_none: 'Read: nothing', rv_conf: 'confidence {p}',
    rv_corrected: 'corrected', rv_items: 'Line items', rv_item_name: 'Item', rv_item_qty: 'Qty', rv_item_amount: 'Amount',
    rv_add_item: 'Add a line', rv_remove_item: 'Remove', rv_receipt_n: 'Receipt {n}', rv_photo_error: 'This photo could not be read.',
    rv_cut_short: 'Only part of this photo could be read in the time allowed. Check the rest on the photo.',
    rv_approve: 'Approve', rv_reject: 'Reject', rv_reasons: 'Reason for rejecting', rv_note: 'Note (staff only; the shopper does not see it)',
    rv_pick_reason: 'Choose a reason for the rejection (1-9).', rv_approved: 'Approved.', rv_rejected: 'Rejected.',
    rv_won: 'Won: {prize}', rv_lost: 'Lottery: no win', rv_next: 'Next', rv_prev: 'Previous', rv_zoom_in: 'Zoom in', rv_zoom_out: 'Zoom out',
    rv_fit: 'Fit', rv_rot_left: 'Rotate left', rv_rot_right: 'Rotate right', rv_keys: 'Keyboard',
    rv_k_approve: 'approve', rv_k_reject: 'reject', rv_k_reason: 'pick a reason', rv_k_move: 'next / previous', rv_k_zoom: 'zoom in / out / fit',
    rv_k_rotate: 'rotate', rv_k_leave: 'leave a field', rv_no_image_perm: 'Your role may not see the photos.',
    rv_image_failed: 'The photo could not be shown ({msg}).', rv_templates: 'Rejection templates', rv_version: 'version {v}',
    rv_history: 'History', rv_end: 'This is the end of the queue.', rv_start: 'This is the start of the queue.', rv_stale: 'Someone else decided it first. Showing the next entry.',
    fld_store: 'Store', fld_phone: 'Phone', fld_registration_number: 'Registration no.', fld_date: 'Date', fld_time: 'Time',
    fld_total: 'Total (yen)', rv_busy: 'Working…',
    tp_title: 'Rejection templates', tp_intro: 'The reasons a reviewer rejects with. The first nine, in order, are the keys 1-9. The message is what the shopper reads.',
    tp_code: 'Code', tp_label_ja: 'Label (Japanese)', tp_label_en: 'Label (English)', tp_message_ja: 'Message to the shopper (Japanese)',
    tp_message_en: 'Message to the shopper (English)', tp_position: 'Order', tp_active: 'In use', tp_save: 'Save', tp_add: 'Add a template',
    tp_saved: 'Saved.', tp_new: 'New template', tp_back: 'Back to the queue',
  },
};

const FIELDS = ['store', 'date', 'time', 'total', 'phone', 'registration_number'];
const INPUT = { total: 'number' };
const PLACEHOLDER = { date: 'YYYY-MM-DD', time: 'HH:MM', registration_number: 'T0000000000000' };

function useCss() {
  const href = new URL('./review.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

const lang = currentLang;
const pct = (c) => `${Math.round((c || 0) * 100)}%`;

// ---- photos: fetched through the staff route into object URLs ----

async function loadPhotos(entry) {
  if (!can('review.images')) return entry.receipts.map(() => ({ error: 'perm' }));
  return Promise.all(entry.receipts.map(async (r) => {
    try {
      const res = await api(`entries/${entry.id}/images/${r.position}`, { raw: true });
      return { url: URL.createObjectURL(await res.blob()) };
    } catch (err) {
      return { error: err.message };
    }
  }));
}

function freePhotos(photos) {
  for (const p of photos || []) if (p.url) URL.revokeObjectURL(p.url);
}

// An item of the queue: the entry and its photos, fetched together.
async function fetchItem(campaign, from) {
  const q = new URLSearchParams({ campaign });
  if (from?.after) q.set('after', from.after);
  if (from?.before) q.set('before', from.before);
  const data = await api(`review/next?${q}`);
  const photos = data.entry ? await loadPhotos(data.entry) : [];
  return { ...data, photos };
}

// ---- the photo viewer: CSS transforms set from script (CSP allows element.style) ----

function viewer() {
  const img = h('img', { alt: '', draggable: false });
  const stage = h('div', { class: 'rv-stage' }, img);
  const msg = h('p', { class: 'rv-photo-msg muted', hidden: true });
  const zoomLabel = h('span', { class: 'rv-zoom muted' }, '100%');
  const v = { zoom: 1, rot: 0, x: 0, y: 0 };
  const apply = () => {
    img.style.transform = `translate(${v.x}px, ${v.y}px) rotate(${v.rot}deg) scale(${v.zoom})`;
    zoomLabel.textContent = `${Math.round(v.zoom * 100)}%`;
  };
  const api_ = {
    zoom(f) { v.zoom = Math.min(8, Math.max(0.25, v.zoom * f)); apply(); },
    rotate(d) { v.rot = (v.rot + d + 360) % 360; apply(); },
    fit() { v.zoom = 1; v.x = 0; v.y = 0; apply(); },
    show(photo) {
      v.zoom = 1; v.rot = 0; v.x = 0; v.y = 0; apply();
      msg.hidden = true;
      img.hidden = !photo?.url;
      if (photo?.url) img.src = photo.url;
      else {
        img.removeAttribute('src');
        msg.hidden = false;
        msg.textContent = photo?.error === 'perm' ? t('rv_no_image_perm') : t('rv_image_failed', { msg: photo?.error || '' });
      }
    },
  };
  // Drag to pan, wheel to zoom.
  let drag = null;
  stage.addEventListener('pointerdown', (e) => { drag = { x: e.clientX - v.x, y: e.clientY - v.y }; stage.setPointerCapture(e.pointerId); });
  stage.addEventListener('pointermove', (e) => { if (drag) { v.x = e.clientX - drag.x; v.y = e.clientY - drag.y; apply(); } });
  stage.addEventListener('pointerup', () => { drag = null; });
  stage.addEventListener('wheel', (e) => { e.preventDefault(); api_.zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15); }, { passive: false });
  const tools = h('div', { class: 'rv-tools' },
    h('button', { type: 'button', title: t('rv_zoom_out'), onclick: () => api_.zoom(1 / 1.25) }, '−'), zoomLabel,
    h('button', { type: 'button', title: t('rv_zoom_in'), onclick: () => api_.zoom(1.25) }, '+'),
    h('button', { type: 'button', onclick: () => api_.fit() }, t('rv_fit')),
    h('button', { type: 'button', title: t('rv_rot_left'), onclick: () => api_.rotate(-90) }, '⟲'),
    h('button', { type: 'button', title: t('rv_rot_right'), onclick: () => api_.rotate(90) }, '⟳'));
  api_.el = h('div', { class: 'rv-viewer' }, tools, h('div', { class: 'rv-frame' }, stage, msg));
  api_.tabs = h('div', { class: 'rv-tabs' });
  return api_;
}

// ---- the fields form of one receipt ----

function fieldRow(r, name) {
  const f = r.fields[name];
  const value = f.value ?? '';
  const input = h('input', { type: INPUT[name] || 'text', value: String(value), name: `receipts.${r.position}.${name}`,
    step: name === 'total' ? '1' : undefined, min: name === 'total' ? '0' : undefined, autocomplete: 'off',
    placeholder: PLACEHOLDER[name], inputmode: name === 'total' || name === 'phone' ? 'numeric' : undefined });
  input.dataset.orig = String(value);
  const read = f.read === null || f.read === undefined ? t('rv_read_none') : t('rv_read', { v: name === 'total' ? fmtYen(f.read) : f.read });
  const low = f.confidence !== null && f.confidence !== undefined && f.confidence < 0.8;
  return h('label', { class: `field rv-field${f.corrected ? ' corrected' : ''}`, dataset: { field: `corrections.receipts.${r.position}.${name}` } },
    h('span', {}, t(`fld_${name}`), f.corrected ? h('span', { class: 'badge review' }, t('rv_corrected')) : null),
    input,
    h('small', { class: low ? 'rv-low' : 'muted' }, read, f.confidence !== null && f.confidence !== undefined ? ` · ${t('rv_conf', { p: pct(f.confidence) })}` : ''));
}

function itemRow(item) {
  const listId = 'rv-products';
  const tr = h('tr', {},
    h('td', {}, h('input', { type: 'text', value: item.name ?? '', list: listId, class: 'rv-item-name', autocomplete: 'off' })),
    h('td', {}, h('input', { type: 'number', value: item.quantity ?? 1, min: 1, max: 999, step: 1, class: 'rv-num' })),
    h('td', {}, h('input', { type: 'number', value: item.amount ?? 0, step: 1, class: 'rv-num' })),
    h('td', {}, h('button', { type: 'button', class: 'rv-x', title: t('rv_remove_item'), onclick: () => { tr.remove(); } }, '×')));
  if (item.discount) tr.classList.add('muted');
  return tr;
}

function itemsOf(tbody) {
  return [...tbody.querySelectorAll('tr')].map((tr) => {
    const [name, qty, amount] = tr.querySelectorAll('input');
    return { name: name.value.trim(), quantity: Number(qty.value), amount: Number(amount.value) };
  });
}

function receiptForm(r, products) {
  const box = h('div', { class: 'rv-receipt', dataset: { position: r.position } });
  if (r.error) box.append(h('p', { class: 'error' }, t('rv_photo_error')));
  if (r.cut_short) box.append(h('p', { class: 'error' }, t('rv_cut_short')));
  box.append(h('div', { class: 'rv-grid' }, FIELDS.map((n) => fieldRow(r, n))));
  const items = r.fields.items;
  const tbody = h('tbody', {}, (items.value || []).map((it) => itemRow(it)));
  box.dataset.items = JSON.stringify(itemsOf(tbody));
  box.append(h('div', { class: 'rv-items-head' }, h('strong', {}, t('rv_items')),
    items.corrected ? h('span', { class: 'badge review' }, t('rv_corrected')) : null, h('span', { class: 'spacer' }),
    h('button', { type: 'button', onclick: () => tbody.append(itemRow({ name: products[0] || '', quantity: 1, amount: 0 })) }, t('rv_add_item'))),
  h('div', { class: 'rv-items', dataset: { field: `corrections.receipts.${r.position}.items` } },
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, t('rv_item_name')), h('th', { class: 'num' }, t('rv_item_qty')),
      h('th', { class: 'num' }, t('rv_item_amount')), h('th'))), tbody)));
  return box;
}

// What the reviewer changed, as the API's corrections document (null when nothing).
function corrections(form) {
  const receipts = [];
  for (const box of form.querySelectorAll('.rv-receipt')) {
    const pos = Number(box.dataset.position);
    const c = { position: pos };
    for (const input of box.querySelectorAll('.rv-field input')) {
      if (input.value === input.dataset.orig) continue;
      const name = input.name.split('.').pop();
      c[name] = input.value === '' ? null : name === 'total' ? Number(input.value) : input.value;
    }
    const items = itemsOf(box.querySelector('.rv-items tbody'));
    if (JSON.stringify(items) !== box.dataset.items) c.items = items;
    if (Object.keys(c).length > 1) receipts.push(c);
  }
  return receipts.length ? { receipts } : null;
}

// ---- the queue screen ----

async function renderQueue(el, params, query) {
  useCss();
  const { campaigns, templates } = await api('review');
  if (!campaigns.length) {
    el.replaceChildren(h('h1', {}, t('rv_title')), h('section', { class: 'panel' }, h('p', { class: 'muted' }, t('rv_none_campaign'))));
    return;
  }
  const chosen = campaigns.find((c) => c.id === query.get('campaign')) || campaigns.find((c) => c.pending > 0) || campaigns[0];
  const select = h('select', { name: 'campaign', onchange: () => navigate(`review?campaign=${select.value}`) },
    campaigns.map((c) => h('option', { value: c.id, selected: c.id === chosen.id }, `${c.title}（${t('rv_pending', { n: c.pending })}）`)));
  const counter = h('span', { class: 'rv-counter', role: 'status' });
  const head = h('div', { class: 'toolbar rv-head' }, h('h1', {}, t('rv_title')),
    h('label', { class: 'field' }, h('span', {}, t('rv_campaign')), select), counter, h('span', { class: 'spacer' }),
    can('campaigns.edit') ? h('a', { class: 'button', href: '#/review/templates' }, t('rv_templates')) : null);
  const view = viewer();
  const side = h('div', { class: 'rv-side' });
  const keys = h('div', { class: 'rv-keys muted' }, h('strong', {}, t('rv_keys')),
    h('span', {}, h('kbd', {}, 'A'), ' ', t('rv_k_approve')), h('span', {}, h('kbd', {}, 'R'), ' ', t('rv_k_reject')),
    h('span', {}, h('kbd', {}, '1'), '–', h('kbd', {}, '9'), ' ', t('rv_k_reason')),
    h('span', {}, h('kbd', {}, 'J'), ' / ', h('kbd', {}, 'K'), ' ', t('rv_k_move')),
    h('span', {}, h('kbd', {}, '+'), ' ', h('kbd', {}, '−'), ' ', h('kbd', {}, '0'), ' ', t('rv_k_zoom')),
    h('span', {}, h('kbd', {}, '['), ' ', h('kbd', {}, ']'), ' ', t('rv_k_rotate')),
    h('span', {}, h('kbd', {}, 'Esc'), ' ', t('rv_k_leave')));
  const work = h('div', { class: 'rv-work' }, h('div', { class: 'rv-left' }, view.tabs, view.el, keys), side);
  const empty = h('section', { class: 'panel', hidden: true }, h('p', { class: 'muted' }, t('rv_empty')));
  el.replaceChildren(head, work, empty, h('datalist', { id: 'rv-products' }, chosen.products.map((p) => h('option', { value: p }))));

  const st = { cur: null, next: null, nextFor: null, reason: null, busy: false };
  const reasons = templates.slice(0, 9);

  function prefetch() {
    const id = st.cur?.entry?.id;
    if (!id) return;
    st.nextFor = id;
    st.next = fetchItem(chosen.id, { after: id }).catch(() => null);
  }

  function show(item) {
    if (st.cur && st.cur !== item) freePhotos(st.cur.photos);
    st.cur = item;
    st.reason = null;
    select.selectedOptions[0].textContent = `${chosen.title}（${t('rv_pending', { n: item.count })}）`;
    if (!item.entry) {
      work.hidden = true;
      empty.hidden = false;
      counter.textContent = t('rv_pending', { n: item.count });
      return;
    }
    work.hidden = false;
    empty.hidden = true;
    const e = item.entry;
    counter.textContent = t('rv_position', { p: item.position, n: item.count });
    view.tabs.replaceChildren(...(e.receipts.length > 1 ? e.receipts.map((r, i) => h('button', {
      type: 'button', class: i === 0 ? 'on' : '', onclick: (ev) => {
        view.tabs.querySelectorAll('button').forEach((b) => b.classList.remove('on'));
        ev.target.classList.add('on');
        view.show(item.photos[i]);
      },
    }, t('rv_receipt_n', { n: i + 1 }))) : []));
    view.show(item.photos[0]);
    const form = h('form', { class: 'rv-form', novalidate: true });
    e.receipts.forEach((r, i) => {
      if (e.receipts.length > 1) form.append(h('h3', {}, t('rv_receipt_n', { n: i + 1 })));
      form.append(receiptForm(r, chosen.products));
    });
    const products = e.summary?.products || [];
    const note = h('textarea', { name: 'note', rows: 1, maxlength: 1000 });
    const reasonList = h('ol', { class: 'rv-reasons' }, reasons.map((tp, i) => h('li', {},
      h('label', {}, h('input', { type: 'radio', name: 'template', value: tp.code, onchange: () => { st.reason = tp.code; } }),
        h('kbd', {}, String(i + 1)), ' ', tp.label[lang()] || tp.label.ja))));
    const decision = h('div', { class: 'rv-decide' },
      h('button', { type: 'button', class: 'primary rv-approve', onclick: () => decide(true) }, t('rv_approve'), ' ', h('kbd', {}, 'A')),
      h('button', { type: 'button', class: 'danger rv-reject', onclick: () => decide(false) }, t('rv_reject'), ' ', h('kbd', {}, 'R')));
    side.replaceChildren(
      h('section', { class: 'panel rv-meta' },
        h('div', { class: 'rv-meta-row' }, h('span', { class: 'badge review' }, e.reason_label || e.status),
          h('span', { class: 'muted' }, `${t('rv_entered')}: ${fmtTime(e.created_at)}`), h('span', { class: 'spacer' }),
          h('small', { class: 'muted' }, t('rv_version', { v: e.version }))),
        h('div', { class: 'rv-meta-row' }, h('strong', {}, t('rv_products')), ' ',
          products.length ? products.map((p) => h('span', { class: 'badge accepted' }, `${p.name} ×${p.quantity}`)) : t('rv_no_products'),
          h('span', { class: 'spacer' }), h('a', { href: `#/entries/${e.id}`, class: 'rv-id' }, e.id))),
      h('section', { class: 'panel' }, h('h2', {}, t('rv_fields')), form),
      can('review.decide') ? h('section', { class: 'panel rv-decision' },
        h('h2', {}, t('rv_reasons')), reasonList,
        h('label', { class: 'field', dataset: { field: 'note' } }, h('span', {}, t('rv_note')), note), decision) : null);
    st.form = form;
    st.note = note;
    st.reasonList = reasonList;
    st.decisionBox = side.querySelector('.rv-decision');
    history.replaceState(null, '', `#/review?campaign=${chosen.id}&entry=${e.id}`);
    prefetch();
  }

  async function goNext() {
    const id = st.cur?.entry?.id;
    if (!id) return;
    const item = (st.nextFor === id && st.next ? await st.next : null) || await fetchItem(chosen.id, { after: id });
    if (!item.entry) { toast(t('rv_end')); freePhotos(item.photos); return; }
    show(item);
  }

  async function goPrev() {
    const id = st.cur?.entry?.id;
    if (!id) return;
    const item = await fetchItem(chosen.id, { before: id });
    if (!item.entry) { toast(t('rv_start')); return; }
    show(item);
  }

  function pickReason(n) {
    const input = st.reasonList?.querySelectorAll('input')[n - 1];
    if (!input) return;
    input.checked = true;
    st.reason = input.value;
  }

  async function decide(approve) {
    if (st.busy || !st.cur?.entry || !can('review.decide')) return;
    const e = st.cur.entry;
    const body = { version: e.version, decision: approve ? 'approve' : 'reject' };
    if (!approve) {
      if (!st.reason) { toast(t('rv_pick_reason'), 'error'); st.reasonList.querySelector('input')?.focus(); return; }
      body.template = st.reason;
    }
    if (st.note.value.trim()) body.note = st.note.value.trim();
    const corr = corrections(st.form);
    if (corr) body.corrections = corr;
    st.busy = true;
    clearErrors(side);
    try {
      const res = await api(`review/${e.id}/decision`, { body });
      const iw = res.result?.instant_win;
      toast(approve ? `${t('rv_approved')}${iw ? ` ${iw.won ? t('rv_won', { prize: iw.prize.name }) : t('rv_lost')}` : ''}` : t('rv_rejected'));
      // The prefetched next entry is still the next one: shown at once.
      const pre = st.nextFor === e.id && st.next ? await st.next : null;
      const item = pre || await fetchItem(chosen.id, { after: e.id });
      if (pre) { item.count = Math.max(0, st.cur.count - 1); item.position = st.cur.position; }
      if (!item.entry) {
        const again = await fetchItem(chosen.id, {}); // anything left before this one
        show(again);
      } else {
        show(item);
      }
    } catch (err) {
      if (err.status === 409 && err.code === 'stale_entry') {
        toast(t('rv_stale'), 'error');
        show(await fetchItem(chosen.id, { after: e.id }).then((x) => (x.entry ? x : fetchItem(chosen.id, {}))));
      } else if (Object.keys(err.fields || {}).some((k) => k.startsWith('corrections.'))) {
        showErrors(st.form, err);
      } else {
        showErrors(st.decisionBox || side, err);
      }
    } finally {
      st.busy = false;
    }
  }

  function onKey(ev) {
    if (!el.isConnected) { document.removeEventListener('keydown', onKey); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const typing = ev.target.closest?.('input:not([type=radio]), textarea, select');
    if (typing) {
      if (ev.key === 'Escape') ev.target.blur();
      return;
    }
    const k = ev.key;
    const act = {
      a: () => decide(true), A: () => decide(true), r: () => decide(false), R: () => decide(false),
      j: goNext, J: goNext, k: goPrev, K: goPrev,
      '+': () => view.zoom(1.25), '=': () => view.zoom(1.25), '-': () => view.zoom(1 / 1.25), 0: () => view.fit(),
      '[': () => view.rotate(-90), ']': () => view.rotate(90),
    }[k];
    if (act) { ev.preventDefault(); Promise.resolve(act()).catch((err) => toast(err.message, 'error')); return; }
    if (/^[1-9]$/.test(k)) { ev.preventDefault(); pickReason(Number(k)); }
  }
  document.addEventListener('keydown', onKey);

  // An entry named in the address (a reload, or "review this entry"), else the oldest.
  const want = query.get('entry');
  let first = await fetchItem(chosen.id, {});
  if (want && first.entry && first.entry.id !== want) {
    try {
      const { entry } = await api(`entries/${want}`);
      if (entry.status === 'review' && entry.campaign_id === chosen.id) {
        freePhotos(first.photos);
        first = { count: first.count, position: 0, entry, photos: await loadPhotos(entry) };
        const before = await api(`review/next?${new URLSearchParams({ campaign: chosen.id, after: want })}`);
        first.position = before.entry ? before.position - 1 : first.count;
      }
    } catch { /* not found: the oldest instead */ }
  }
  show(first);
  el.querySelector('.rv-approve')?.focus();
}

// ---- the templates editor ----

async function renderTemplates(el) {
  useCss();
  const { templates } = await api('review/templates');
  const list = h('div', { class: 'tp-list' });
  function card(tp) {
    const isNew = !tp.version;
    const inputs = {
      code: h('input', { type: 'text', value: tp.code || '', readOnly: !isNew, pattern: '[a-z0-9_]+' }),
      label_ja: h('input', { type: 'text', value: tp.label?.ja || '', maxlength: 40 }),
      label_en: h('input', { type: 'text', value: tp.label?.en || '', maxlength: 40 }),
      message_ja: h('textarea', { rows: 2, maxlength: 400 }, tp.message?.ja || ''),
      message_en: h('textarea', { rows: 2, maxlength: 400 }, tp.message?.en || ''),
      position: h('input', { type: 'number', value: tp.position || 10, min: 1, max: 99 }),
      active: h('input', { type: 'checkbox', checked: tp.active !== false }),
    };
    const form = h('form', { class: 'form panel tp-card', novalidate: true },
      h('h3', { class: 'wide' }, isNew ? t('tp_new') : `${tp.label?.[lang()] || tp.code}`),
      ...['code', 'label_ja', 'label_en', 'position'].map((k) => h('label', { class: 'field', dataset: { field: k } }, h('span', {}, t(`tp_${k}`)), inputs[k])),
      ...['message_ja', 'message_en'].map((k) => h('label', { class: 'field wide', dataset: { field: k } }, h('span', {}, t(`tp_${k}`)), inputs[k])),
      h('label', { class: 'field rv-check', dataset: { field: 'active' } }, h('span', {}, t('tp_active')), inputs.active),
      h('div', { class: 'wide' }, h('button', { type: 'submit', class: 'primary' }, t('tp_save'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const body = { version: tp.version || 0, label_ja: inputs.label_ja.value, label_en: inputs.label_en.value,
        message_ja: inputs.message_ja.value, message_en: inputs.message_en.value, position: Number(inputs.position.value),
        active: inputs.active.checked };
      try {
        await api(`review/templates/${encodeURIComponent(inputs.code.value || '_')}`, { method: 'PUT', body });
        toast(t('tp_saved'));
        await renderTemplates(el);
      } catch (err) {
        showErrors(form, err);
      }
    });
    return form;
  }
  list.append(...templates.map(card));
  el.replaceChildren(h('div', { class: 'toolbar' }, h('h1', {}, t('tp_title')), h('span', { class: 'spacer' }),
    h('a', { class: 'button', href: '#/review' }, t('tp_back'))),
  h('p', { class: 'muted' }, t('tp_intro')), list,
  h('button', { type: 'button', onclick: (ev) => { ev.target.before(card({})); ev.target.remove(); } }, t('tp_add')));
}

export default {
  texts,
  routes: [
    { path: 'review', nav: 'nav_review', perm: 'review.read', render: renderQueue },
    { path: 'review/templates', perm: 'campaigns.edit', render: renderTemplates },
  ],
};
