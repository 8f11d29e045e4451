// Exports (データ出力): choose a campaign, the data set (entries or winners),
// the format (CSV in UTF-8 with BOM, CSV in Shift_JIS for older Excel, or
// .xlsx) and filters, then download. The server streams the file; exports of
// personal data are recorded in the audit log.
import { api, can, download, h, t, toast } from '../core.js';

const texts = {
  ja: {
    nav_exports: 'データ出力', ex_title: 'データ出力', ex_help: '応募と当選者をCSVまたはExcelで出力します。大きなデータもそのまま出力できます（サーバーで逐次書き出します）。当選者の出力には送付先（個人情報）が含まれ、出力したことは操作ログに記録されます。',
    ex_campaign: 'キャンペーン', ex_all_campaigns: 'すべてのキャンペーン（応募のみ）', ex_set: '出力するデータ', ex_entries: '応募',
    ex_winners: '当選者（送付先を含む）', ex_format: '形式', ex_csv: 'CSV（UTF-8・BOM付き）', ex_sjis: 'CSV（Shift_JIS・古いExcel向け）',
    ex_xlsx: 'Excel（.xlsx）', ex_filters: '絞り込み', ex_status: '状態', ex_any: 'すべて', ex_from: '応募日（から）', ex_to: '応募日（まで）',
    ex_store: '店舗名', ex_product: '対象商品', ex_kind: '種別', ex_go: '出力する', ex_exporting: '出力しています…',
    ex_done: '{name} を保存しました。', ex_need_campaign: '当選者の出力にはキャンペーンを選んでください。', ex_no_perm: 'このデータを出力する権限がありません。',
    es_accepted: '受付', es_review: '審査中', es_rejected: '却下', es_queued: '受付待ち', es_reading: '読み取り中',
    ws_won: '当選（送付先未入力）', ws_claimed: '送付先入力済み', ws_shipped: '発送済み', ws_forfeited: '無効',
    wk_instant: '即時当選', wk_draw: '抽選',
  },
  en: {
    nav_exports: 'Exports', ex_title: 'Exports', ex_help: 'Entries and winners as CSV or Excel. Large data sets stream from the server. The winners export contains delivery details (personal data), and exporting it is recorded in the audit log.',
    ex_campaign: 'Campaign', ex_all_campaigns: 'All campaigns (entries only)', ex_set: 'Data', ex_entries: 'Entries',
    ex_winners: 'Winners (with delivery details)', ex_format: 'Format', ex_csv: 'CSV (UTF-8 with BOM)', ex_sjis: 'CSV (Shift_JIS, older Excel)',
    ex_xlsx: 'Excel (.xlsx)', ex_filters: 'Filters', ex_status: 'Status', ex_any: 'Any', ex_from: 'Entered from', ex_to: 'Entered until',
    ex_store: 'Store', ex_product: 'Target product', ex_kind: 'Kind', ex_go: 'Export', ex_exporting: 'Exporting…',
    ex_done: 'Saved {name}.', ex_need_campaign: 'Choose a campaign to export its winners.', ex_no_perm: 'Your role may not export this data.',
    es_accepted: 'accepted', es_review: 'in review', es_rejected: 'rejected', es_queued: 'queued', es_reading: 'reading',
    ws_won: 'won (no details yet)', ws_claimed: 'claimed', ws_shipped: 'shipped', ws_forfeited: 'forfeited',
    wk_instant: 'instant', wk_draw: 'draw',
  },
};

function useCss() {
  const href = new URL('./draw.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

const lab = (key, control) => h('label', { class: 'field', dataset: { field: key } }, h('span', {}, t(`ex_${key}`)), control);
const options = (prefix, values) => [h('option', { value: '' }, t('ex_any')), values.map((v) => h('option', { value: v }, t(`${prefix}${v}`)))];

async function render(el, params, query) {
  useCss();
  const { campaigns } = await api('campaigns');
  const campaign = h('select', { name: 'campaign' }, h('option', { value: '' }, t('ex_all_campaigns')),
    campaigns.map((c) => h('option', { value: c.id }, c.title)));
  campaign.value = query.get('campaign') || (campaigns[0]?.id ?? '');
  const sets = [['entries', 'export.entries'], ['winners', 'export.winners']].filter(([, p]) => can(p));
  const radios = sets.map(([s], i) => h('input', { type: 'radio', name: 'set', value: s, checked: (query.get('set') || sets[0][0]) === s || (i === 0 && !query.get('set')) }));
  const format = h('select', { name: 'format' }, [['csv', 'ex_csv'], ['csv-sjis', 'ex_sjis'], ['xlsx', 'ex_xlsx']].map(([v, k]) => h('option', { value: v }, t(k))));
  const f = {
    entries: {
      status: h('select', { name: 'status' }, options('es_', ['accepted', 'review', 'rejected', 'queued', 'reading'])),
      from: h('input', { type: 'date', name: 'from' }), to: h('input', { type: 'date', name: 'to' }),
      store: h('input', { type: 'text', name: 'store' }), product: h('input', { type: 'text', name: 'product' }),
    },
    winners: {
      status: h('select', { name: 'wstatus' }, options('ws_', ['won', 'claimed', 'shipped', 'forfeited'])),
      kind: h('select', { name: 'kind' }, options('wk_', ['instant', 'draw'])),
    },
  };
  const boxes = {
    entries: h('div', { class: 'toolbar ex-entries' }, Object.entries(f.entries).map(([k, c]) => lab(k, c))),
    winners: h('div', { class: 'toolbar ex-winners' }, Object.entries(f.winners).map(([k, c]) => lab(k, c))),
  };
  const chosen = () => radios.find((r) => r.checked)?.value;
  const sync = () => { for (const s of ['entries', 'winners']) boxes[s].hidden = chosen() !== s; };
  radios.forEach((r) => r.addEventListener('change', sync));
  sync();
  const go = h('button', { type: 'submit', class: 'primary' }, t('ex_go'));
  const form = h('form', { class: 'panel ex-form', novalidate: true },
    h('div', { class: 'toolbar' }, lab('campaign', campaign), lab('format', format)),
    h('div', { class: 'field' }, h('span', {}, t('ex_set')), h('div', { class: 'ex-sets' },
      sets.length ? radios.map((r) => h('label', {}, r, t(`ex_${r.value}`))) : h('span', { class: 'muted' }, t('ex_no_perm')))),
    h('h2', {}, t('ex_filters')), boxes.entries, boxes.winners, h('div', { class: 'dw-actions' }, go));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const set = chosen();
    if (!set) return;
    const q = new URLSearchParams({ format: format.value });
    let path;
    if (set === 'winners') {
      if (!campaign.value) { toast(t('ex_need_campaign'), 'error'); return; }
      if (f.winners.status.value) q.set('status', f.winners.status.value);
      if (f.winners.kind.value) q.set('kind', f.winners.kind.value);
      path = `campaigns/${campaign.value}/winners/export?${q}`;
    } else {
      if (campaign.value) q.set('campaign', campaign.value);
      for (const [k, c] of Object.entries(f.entries)) if (c.value.trim()) q.set(k, c.value.trim());
      path = `entries/export?${q}`;
    }
    go.disabled = true;
    toast(t('ex_exporting'));
    try {
      const res = await api(path, { raw: true });
      const name = (res.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/)?.[1] || `${set}.csv`;
      await download(res, name);
      toast(t('ex_done', { name }));
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      go.disabled = false;
    }
  });
  el.replaceChildren(h('h1', {}, t('ex_title')), h('p', { class: 'muted' }, t('ex_help')), form);
}

export default {
  texts,
  routes: [{ path: 'exports', nav: 'nav_exports', perm: 'export.entries', render }],
};
