// Entries: search with filters (campaign, status, entry date, store,
// product, participant's email), the results a page at a time (keyset:
// "next" is as fast at page 1000 as at page 1), export of the filtered list,
// and one entry with its photos, what was read and corrected, and history.
import { currentLang } from '../../ui/i18n.js';
import { api, can, download, fmtNum, fmtTime, fmtYen, h, navigate, showErrors, t, toast } from '../core.js';

const texts = {
  ja: {
    nav_entries: '応募一覧', ent_title: '応募一覧', ent_campaign: 'キャンペーン', ent_all: 'すべて', ent_status: '状態',
    ent_from: '応募日（から）', ent_to: '応募日（まで）', ent_store: '店舗名', ent_product: '対象商品', ent_email: '応募者のメールアドレス',
    ent_search: '検索', ent_clear: '条件をクリア', ent_export: '出力', ent_csv: 'CSV（UTF-8）', ent_sjis: 'CSV（Shift_JIS）', ent_xlsx: 'Excel',
    ent_none: '条件に合う応募はありません。', ent_next: '次の{n}件', ent_prev: '前のページ', ent_first: '最初のページ', ent_page: '{p}ページ目',
    ent_col_at: '応募日時', ent_col_campaign: 'キャンペーン', ent_col_status: '状態', ent_col_reason: '理由', ent_col_store: '店舗',
    ent_col_purchase: '購入日', ent_col_total: '合計', ent_col_products: '対象商品', ent_col_units: '口数',
    st_queued: '受付待ち', st_reading: '読み取り中', st_accepted: '受付', st_rejected: '却下', st_review: '審査中',
    ent_detail: '応募の詳細', ent_back: '一覧に戻る', ent_photos: 'レシート写真', ent_no_photo_perm: '写真を表示する権限がありません。',
    ent_fields: '読み取り結果', ent_field: '項目', ent_read: '読み取り', ent_value: '採用した値', ent_items: '商品行', ent_result: '判定',
    ent_units: '口数 {n}', ent_participant: '応募者', ent_wins: '当選', ent_review: '審査', ent_history: '履歴', ent_open_review: '審査する',
    ent_by: '担当', ent_note: 'メモ', ent_template: '却下理由', ent_shopper_msg: '応募者への表示',
    ev_created: '応募を受け付けました', ev_judged: '自動判定: {status}', ev_corrected: '訂正: {fields}', ev_rejudged: '再判定: {status}',
    ev_reviewed: '審査: {decision}', ev_approve: '承認', ev_reject: '却下', ent_actor_system: 'システム', ent_actor_participant: '応募者',
    ent_won: '当選 {prize}', ent_lost: 'はずれ', ent_exporting: '出力しています…',
    fld_store: '店舗名', fld_phone: '電話番号', fld_registration_number: '登録番号', fld_date: '購入日', fld_time: '時刻', fld_total: '合計',
  },
  en: {
    nav_entries: 'Entries', ent_title: 'Entries', ent_campaign: 'Campaign', ent_all: 'All', ent_status: 'Status',
    ent_from: 'Entered from', ent_to: 'Entered until', ent_store: 'Store', ent_product: 'Target product', ent_email: "Participant's email",
    ent_search: 'Search', ent_clear: 'Clear', ent_export: 'Export', ent_csv: 'CSV (UTF-8)', ent_sjis: 'CSV (Shift_JIS)', ent_xlsx: 'Excel',
    ent_none: 'No entries match.', ent_next: 'Next {n}', ent_prev: 'Previous page', ent_first: 'First page', ent_page: 'Page {p}',
    ent_col_at: 'Entered', ent_col_campaign: 'Campaign', ent_col_status: 'Status', ent_col_reason: 'Reason', ent_col_store: 'Store',
    ent_col_purchase: 'Bought', ent_col_total: 'Total', ent_col_products: 'Target products', ent_col_units: 'Units',
    st_queued: 'queued', st_reading: 'reading', st_accepted: 'accepted', st_rejected: 'rejected', st_review: 'in review',
    ent_detail: 'Entry', ent_back: 'Back to the list', ent_photos: 'Receipt photos', ent_no_photo_perm: 'Your role may not see the photos.',
    ent_fields: 'What was read', ent_field: 'Field', ent_read: 'Read', ent_value: 'Value used', ent_items: 'Line items', ent_result: 'Judgement',
    ent_units: '{n} units', ent_participant: 'Participant', ent_wins: 'Wins', ent_review: 'Review', ent_history: 'History', ent_open_review: 'Review it',
    ent_by: 'By', ent_note: 'Note', ent_template: 'Reason', ent_shopper_msg: 'Shown to the shopper',
    ev_created: 'Entry received', ev_judged: 'Judged: {status}', ev_corrected: 'Corrected: {fields}', ev_rejudged: 'Judged again: {status}',
    ev_reviewed: 'Reviewed: {decision}', ev_approve: 'approved', ev_reject: 'rejected', ent_actor_system: 'system', ent_actor_participant: 'participant',
    ent_won: 'Won {prize}', ent_lost: 'No win', ent_exporting: 'Exporting…',
    fld_store: 'Store', fld_phone: 'Phone', fld_registration_number: 'Registration no.', fld_date: 'Date', fld_time: 'Time', fld_total: 'Total',
  },
};

const STATUSES = ['accepted', 'review', 'rejected', 'queued', 'reading'];
const FILTERS = ['campaign', 'status', 'from', 'to', 'store', 'product', 'email'];
const PAGE = 50;

function useCss() {
  const href = new URL('./review.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

const badge = (status) => h('span', { class: `badge ${status}` }, t(`st_${status}`));

// ---- the list ----

async function renderList(el, params, query) {
  useCss();
  const facets = await api(`entries/facets${query.get('campaign') ? `?campaign=${encodeURIComponent(query.get('campaign'))}` : ''}`);
  const ctl = {
    campaign: h('select', {}, h('option', { value: '' }, t('ent_all')),
      facets.campaigns.map((c) => h('option', { value: c.id }, c.title))),
    status: h('select', {}, h('option', { value: '' }, t('ent_all')), STATUSES.map((s) => h('option', { value: s }, t(`st_${s}`)))),
    from: h('input', { type: 'date' }),
    to: h('input', { type: 'date' }),
    store: h('input', { type: 'text', list: 'ent-stores', autocomplete: 'off' }),
    product: h('input', { type: 'text', list: 'ent-products', autocomplete: 'off' }),
    email: h('input', { type: 'email', autocomplete: 'off' }),
  };
  for (const k of FILTERS) ctl[k].value = query.get(k) || '';
  const chosen = facets.campaigns.find((c) => c.id === ctl.campaign.value);
  const products = chosen ? chosen.products : [...new Set(facets.campaigns.flatMap((c) => c.products))];
  const form = h('form', { class: 'toolbar ent-filters', novalidate: true },
    ...FILTERS.map((k) => h('label', { class: 'field', dataset: { field: k } }, h('span', {}, t(`ent_${k}`)), ctl[k])),
    h('button', { type: 'submit', class: 'primary' }, t('ent_search')),
    h('button', { type: 'button', onclick: () => navigate('entries') }, t('ent_clear')),
    h('datalist', { id: 'ent-stores' }, facets.stores.map((s) => h('option', { value: s.store }))),
    h('datalist', { id: 'ent-products' }, products.map((p) => h('option', { value: p }))));
  const filters = () => {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (ctl[k].value.trim()) q.set(k, ctl[k].value.trim());
    return q;
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); navigate(`entries?${filters()}`); });
  ctl.campaign.addEventListener('change', () => navigate(`entries?${filters()}`));

  const exports = can('export.entries') ? h('div', { class: 'toolbar ent-export' }, h('strong', {}, t('ent_export')),
    [['csv', 'ent_csv'], ['csv-sjis', 'ent_sjis'], ['xlsx', 'ent_xlsx']].map(([fmt, key]) => h('button', {
      type: 'button', onclick: async (ev) => {
        const b = ev.currentTarget;
        b.disabled = true;
        toast(t('ent_exporting'));
        try {
          const q = filters();
          q.set('format', fmt);
          await download(await api(`entries/export?${q}`, { raw: true }), `entries.${fmt === 'xlsx' ? 'xlsx' : 'csv'}`);
        } catch (err) {
          toast(err.message, 'error');
        } finally {
          b.disabled = false;
        }
      },
    }, t(key)))) : null;

  const tbody = h('tbody');
  const empty = h('p', { class: 'muted', hidden: true }, t('ent_none'));
  const pageLabel = h('span', { class: 'muted' });
  const prev = h('button', { type: 'button', hidden: true }, t('ent_prev'));
  const next = h('button', { type: 'button', hidden: true }, t('ent_next', { n: PAGE }));
  const cursors = [null]; // the cursor each page started from
  const bySlug = Object.fromEntries(facets.campaigns.map((c) => [c.id, c.title]));

  async function load(page) {
    const q = filters();
    q.set('limit', PAGE);
    if (cursors[page]) q.set('cursor', cursors[page]);
    let data;
    try {
      data = await api(`entries?${q}`);
    } catch (err) {
      showErrors(form, err);
      return;
    }
    tbody.replaceChildren(...data.entries.map((e) => h('tr', { class: 'clickable', onclick: () => navigate(`entries/${e.id}`) },
      h('td', { class: 'nowrap' }, h('a', { href: `#/entries/${e.id}` }, fmtTime(e.created_at))),
      h('td', {}, bySlug[e.campaign_id] || e.campaign_slug),
      h('td', {}, badge(e.status)),
      h('td', { class: 'muted' }, e.reason_label || e.reason || ''),
      h('td', {}, e.store || ''),
      h('td', { class: 'nowrap' }, e.purchase_date || ''),
      h('td', { class: 'num' }, fmtYen(e.total)),
      h('td', {}, e.products || ''),
      h('td', { class: 'num' }, fmtNum(e.units)))));
    cursors[page + 1] = data.next_cursor;
    cursors.length = page + 2;
    next.hidden = !data.next_cursor;
    prev.hidden = page === 0;
    pageLabel.textContent = t('ent_page', { p: page + 1 });
    empty.hidden = data.entries.length > 0;
    current = page;
  }
  let current = 0;
  next.addEventListener('click', () => load(current + 1));
  prev.addEventListener('click', () => load(current - 1));
  const cols = ['at', 'campaign', 'status', 'reason', 'store', 'purchase', 'total', 'products', 'units'];
  el.replaceChildren(h('h1', {}, t('ent_title')), h('section', { class: 'panel' }, form, exports),
    h('section', { class: 'panel' }, h('table', { class: 'grid ent-table' },
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { class: k === 'total' || k === 'units' ? 'num' : null }, t(`ent_col_${k}`))))),
      tbody), empty, h('div', { class: 'pager' }, prev, pageLabel, next)));
  await load(0);
}

// ---- one entry ----

const FIELDS = ['store', 'date', 'time', 'total', 'phone', 'registration_number'];

function fieldsTable(r) {
  const show = (name, v) => (v === null || v === undefined ? '' : name === 'total' ? fmtYen(v) : String(v));
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, h('th', {}, t('ent_field')), h('th', {}, t('ent_read')), h('th', {}, t('ent_value')))),
    h('tbody', {}, FIELDS.map((n) => {
      const f = r.fields[n];
      return h('tr', { class: f.corrected ? 'ent-corrected' : '' }, h('td', {}, t(`fld_${n}`)),
        h('td', { class: 'muted' }, show(n, f.read), f.confidence != null ? h('small', {}, ` (${Math.round(f.confidence * 100)}%)`) : null),
        h('td', {}, show(n, f.value)));
    })));
}

function itemsTable(items) {
  return h('table', { class: 'grid' }, h('tbody', {}, (items || []).map((it) => h('tr', {},
    h('td', {}, it.name), h('td', { class: 'num' }, `×${it.quantity ?? 1}`), h('td', { class: 'num' }, fmtYen(it.amount))))));
}

function eventText(ev) {
  const d = ev.detail || {};
  switch (ev.kind) {
    case 'created': return t('ev_created');
    case 'judged': return t('ev_judged', { status: t(`st_${d.status}`) }) + (d.reason ? ` (${d.reason})` : '');
    case 'corrected': return t('ev_corrected', { fields: (d.changes || []).map((c) => `${t(`fld_${c.field}`)}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ') });
    case 'rejudged': return t('ev_rejudged', { status: t(`st_${d.status}`) });
    case 'reviewed': return t('ev_reviewed', { decision: t(`ev_${d.decision}`) }) + (d.template ? ` (${d.template})` : '') + (d.note ? ` — ${d.note}` : '');
    default: return ev.kind;
  }
}

async function renderEntry(el, params) {
  useCss();
  const { entry: e } = await api(`entries/${encodeURIComponent(params.id)}`);
  const photos = h('div', { class: 'ent-photos' });
  if (can('review.images')) {
    for (const r of e.receipts) {
      const img = h('img', { alt: `${t('ent_photos')} ${r.position + 1}` });
      photos.append(h('figure', {}, img));
      api(`entries/${e.id}/images/${r.position}`, { raw: true }).then((res) => res.blob())
        .then((b) => { img.src = URL.createObjectURL(b); img.onload = () => URL.revokeObjectURL(img.src); })
        .catch((err) => img.replaceWith(h('p', { class: 'error' }, err.message)));
    }
  } else {
    photos.append(h('p', { class: 'muted' }, t('ent_no_photo_perm')));
  }
  const iw = e.instant_win;
  const lang = currentLang();
  const review = e.review ? h('section', { class: 'panel' }, h('h2', {}, t('ent_review')),
    h('p', {}, `${t('ent_by')}: ${e.review.by_name || e.review.by} · ${fmtTime(e.review.at)}`),
    e.review.template ? h('p', {}, `${t('ent_template')}: ${e.review.template}`) : null,
    e.shopper_message ? h('p', { class: 'muted' }, `${t('ent_shopper_msg')}: ${e.shopper_message[lang] || e.shopper_message.ja}`) : null,
    e.review.note ? h('p', {}, `${t('ent_note')}: ${e.review.note}`) : null) : null;
  el.replaceChildren(
    h('div', { class: 'toolbar ent-head' }, h('h1', {}, t('ent_detail')), badge(e.status), h('span', { class: 'rv-id' }, e.id),
      h('span', { class: 'spacer' }),
      e.status === 'review' && can('review.read') ? h('a', { class: 'button primary', href: `#/review?campaign=${e.campaign_id}&entry=${e.id}` }, t('ent_open_review')) : null,
      h('a', { class: 'button', href: '#/entries' }, t('ent_back'))),
    h('div', { class: 'ent-detail' },
      h('section', { class: 'panel' }, h('h2', {}, t('ent_photos')), photos),
      h('div', {},
        h('section', { class: 'panel' }, h('h2', {}, t('ent_result')),
          h('p', {}, badge(e.status), ' ', e.reason_label || '', ' ', e.status === 'accepted' ? t('ent_units', { n: e.units }) : ''),
          h('p', {}, (e.summary?.products || []).map((p) => h('span', { class: 'badge accepted' }, `${p.name} ×${p.quantity}`))),
          iw ? h('p', {}, iw.won ? t('ent_won', { prize: iw.prize.name }) : t('ent_lost')) : null,
          h('p', { class: 'muted' }, `${t('ent_participant')}: ${e.participant?.email || ''} (${e.participant?.id || ''})`),
          e.wins?.length ? h('p', {}, `${t('ent_wins')}: ${e.wins.map((w) => `${w.prize_code} (${w.status})`).join(', ')}`) : null),
        review,
        ...e.receipts.map((r) => h('section', { class: 'panel' }, h('h2', {}, `${t('ent_fields')} ${e.receipts.length > 1 ? r.position + 1 : ''}`),
          fieldsTable(r), h('h3', {}, t('ent_items')), itemsTable(r.fields.items.value))),
        h('section', { class: 'panel' }, h('h2', {}, t('ent_history')), h('ol', { class: 'ent-history' },
          e.history.map((ev) => h('li', {}, h('span', { class: 'muted nowrap' }, fmtTime(ev.at)), ' ',
            h('strong', {}, ev.actor_name || (ev.actor === 'system' ? t('ent_actor_system') : ev.actor === 'participant' ? t('ent_actor_participant') : ev.actor)),
            ' ', eventText(ev))))))));
}

export default {
  texts,
  routes: [
    { path: 'entries', nav: 'nav_entries', perm: 'entries.read', render: renderList },
    { path: 'entries/:id', perm: 'entries.read', render: renderEntry },
  ],
};
