// Winners and shipping (当選者・発送): per campaign, every win with its status
// and delivery details — in full for owners and admins, masked for viewers
// (the server masks; reading is audited) — shipping per winner (carrier,
// tracking number, day shipped), a tracking-number file (CSV in UTF-8 or
// Shift_JIS) checked first and then applied with a report per line, and the
// winners export for the shipping company.
import { api, can, download, field, fmtNum, fmtTime, h, showErrors, state, t, toast } from '../core.js';
import { campaignPicker } from './draw.js';

const texts = {
  ja: {
    nav_winners: '当選者・発送', wn_title: '当選者・発送', wn_pick: 'キャンペーンを選んでください。', wn_back: 'キャンペーン一覧へ',
    wn_masked: '閲覧者の権限のため、個人情報は一部を伏せて表示しています。', wn_all: 'すべて', wn_status: '状態', wn_kind: '種別',
    wn_kind_instant: '即時当選', wn_kind_draw: '抽選', wn_filter: '絞り込む', wn_more: 'さらに表示', wn_none: '該当する当選はありません。',
    wn_col_win: '当選ID / 応募ID', wn_col_prize: '賞品 / 種別', wn_col_status: '状態', wn_col_to: '送付先',
    wn_col_deadline: '入力期限', wn_col_ship: '発送', wn_col_action: '操作', wn_no_details: '未入力', wn_not_shipped: '未発送',
    wn_alt: '補欠{n}位から繰り上げ', wn_edit: '発送を記録', wn_ship_status: '発送状況', wn_pending: '未発送', wn_shipped: '発送済み',
    wn_carrier: '配送業者', wn_tracking: '追跡番号', wn_shipped_on: '発送日', wn_save: '保存', wn_cancel: 'やめる', wn_saved: '発送状況を保存しました。',
    wn_export: '出力（発送用）', wn_csv: 'CSV（UTF-8）', wn_sjis: 'CSV（Shift_JIS）', wn_xlsx: 'Excel', wn_exporting: '出力しています…',
    wn_upload: '追跡番号の一括登録', wn_upload_help: '「当選ID」または「応募ID」と「配送業者」「追跡番号」（任意で「発送日」）の列があるCSVを選んでください。発送用に出力したファイルに追跡番号を記入して、そのまま取り込めます。UTF-8 と Shift_JIS に対応します。まず内容を確認し、問題がなければ反映します。',
    wn_file: 'CSVファイル', wn_check: '内容を確認', wn_apply: '反映する', wn_choose: 'ファイルを選んでください。',
    wn_report: '{enc}・反映 {a}件・変更なし {u}件・スキップ {s}件・反映できない行 {r}件', wn_report_dry: '確認結果（まだ反映していません）',
    wn_report_done: '反映しました', wn_col_line: '行', wn_col_id: 'ID', wn_col_result: '結果', wn_col_msg: '内容',
    res_applied: '反映', res_unchanged: '変更なし', res_skipped: 'スキップ', res_refused: '反映不可',
    st_won: '当選（送付先未入力）', st_claimed: '送付先入力済み', st_shipped: '発送済み', st_forfeited: '無効',
    wn_expired: '期限切れ', wn_counts: '{n}件',
  },
  en: {
    nav_winners: 'Winners', wn_title: 'Winners and shipping', wn_pick: 'Choose a campaign.', wn_back: 'All campaigns',
    wn_masked: 'Your role is viewer: personal data is partly masked.', wn_all: 'All', wn_status: 'Status', wn_kind: 'Kind',
    wn_kind_instant: 'instant', wn_kind_draw: 'draw', wn_filter: 'Filter', wn_more: 'Show more', wn_none: 'No wins match.',
    wn_col_win: 'Win / entry', wn_col_prize: 'Prize / kind', wn_col_status: 'Status', wn_col_to: 'Deliver to',
    wn_col_deadline: 'Claim by', wn_col_ship: 'Shipping', wn_col_action: 'Action', wn_no_details: 'not sent', wn_not_shipped: 'not shipped',
    wn_alt: 'promoted from alternate {n}', wn_edit: 'Record shipping', wn_ship_status: 'Shipping', wn_pending: 'pending', wn_shipped: 'shipped',
    wn_carrier: 'Carrier', wn_tracking: 'Tracking number', wn_shipped_on: 'Shipped on', wn_save: 'Save', wn_cancel: 'Cancel', wn_saved: 'Shipping saved.',
    wn_export: 'Export for shipping', wn_csv: 'CSV (UTF-8)', wn_sjis: 'CSV (Shift_JIS)', wn_xlsx: 'Excel', wn_exporting: 'Exporting…',
    wn_upload: 'Tracking numbers from a file', wn_upload_help: 'A CSV with a win id or entry id column, carrier and tracking number (and optionally the day shipped). The export for shipping, with tracking numbers filled in, can be sent back as it is. UTF-8 or Shift_JIS. Check it first, then apply.',
    wn_file: 'CSV file', wn_check: 'Check', wn_apply: 'Apply', wn_choose: 'Choose a file.',
    wn_report: '{enc}: {a} applied, {u} unchanged, {s} skipped, {r} refused', wn_report_dry: 'Check (nothing applied yet)',
    wn_report_done: 'Applied', wn_col_line: 'Line', wn_col_id: 'Id', wn_col_result: 'Result', wn_col_msg: 'Detail',
    res_applied: 'applied', res_unchanged: 'unchanged', res_skipped: 'skipped', res_refused: 'refused',
    st_won: 'won (no details yet)', st_claimed: 'claimed', st_shipped: 'shipped', st_forfeited: 'forfeited',
    wn_expired: 'expired', wn_counts: '{n}',
  },
};

const STATUSES = ['won', 'claimed', 'shipped', 'forfeited'];
const CARRIERS = ['ヤマト運輸', '佐川急便', '日本郵便', '西濃運輸', '福山通運'];

function useCss() {
  const href = new URL('./draw.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

function today() {
  return new Date(Date.now() + 9 * 3600000).toISOString().slice(0, 10);
}

function deliveryCell(w) {
  const d = w.delivery;
  if (!d) return h('td', { class: 'muted' }, t('wn_no_details'));
  return h('td', { class: `wn-who${state.session?.pii ? '' : ' wn-masked'}` }, h('strong', {}, d.name),
    d.furigana ? h('small', {}, d.furigana) : null,
    h('small', {}, `〒${d.postal_code} ${d.prefecture}${d.address1 || ''}${d.address2 ? ` ${d.address2}` : ''}`),
    h('small', {}, d.phone), h('small', {}, d.email));
}

function shipCell(w) {
  if (!w.shipping) return h('td', { class: 'muted' }, w.status === 'forfeited' ? '—' : t('wn_not_shipped'));
  return h('td', { class: 'nowrap' }, w.shipping.carrier, h('small', { class: 'id' }, w.shipping.tracking_number), h('small', { class: 'id' }, w.shipping.shipped_on));
}

// The inline editor of one winner's shipping, as a row under it.
function editRow(cid, w, onSaved, onCancel) {
  const status = h('select', {}, h('option', { value: 'shipped' }, t('wn_shipped')), h('option', { value: 'pending' }, t('wn_pending')));
  const carrier = h('input', { type: 'text', list: 'wn-carriers', value: w.shipping?.carrier || '' });
  const tracking = h('input', { type: 'text', value: w.shipping?.tracking_number || '', inputmode: 'latin' });
  const day = h('input', { type: 'date', value: w.shipping?.shipped_on || today() });
  const form = h('form', { class: 'form', novalidate: true },
    field('status', t('wn_ship_status'), status), field('carrier', t('wn_carrier'), carrier),
    field('tracking_number', t('wn_tracking'), tracking), field('shipped_on', t('wn_shipped_on'), day),
    h('div', { class: 'dw-inline' }, h('button', { type: 'submit', class: 'primary' }, t('wn_save')),
      h('button', { type: 'button', onclick: onCancel }, t('wn_cancel'))),
    h('datalist', { id: 'wn-carriers' }, CARRIERS.map((c) => h('option', { value: c }))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { status: status.value, version: w.version };
    if (status.value === 'shipped') Object.assign(body, { carrier: carrier.value.trim(), tracking_number: tracking.value.trim(), shipped_on: day.value });
    try {
      const { winner } = await api(`campaigns/${cid}/winners/${w.id}/shipping`, { method: 'PATCH', body });
      toast(t('wn_saved'));
      onSaved(winner);
    } catch (err) { showErrors(form, err); }
  });
  return h('tr', { class: 'wn-edit' }, h('td', { colspan: 7 }, form));
}

function winRow(cid, w, tbody, onChange) {
  const row = h('tr', { dataset: { win: w.id } },
    h('td', {}, h('code', {}, w.id), h('small', { class: 'id' }, w.entry_id),
      w.alternate_rank ? h('small', { class: 'id' }, t('wn_alt', { n: w.alternate_rank })) : null),
    h('td', { class: 'wn-prize' }, w.prize.name, h('small', { class: 'id' }, t(`wn_kind_${w.kind}`))),
    h('td', { class: 'nowrap' }, h('span', { class: `badge ${w.status}` }, t(`st_${w.status}`)),
      w.claim_expired ? h('span', { class: 'badge forfeited' }, t('wn_expired')) : null),
    deliveryCell(w), h('td', { class: 'nowrap' }, fmtTime(w.claim_deadline)), shipCell(w), h('td', { class: 'nowrap' }));
  const canEdit = can('winners.manage') && ['claimed', 'shipped'].includes(w.status);
  if (canEdit) {
    const btn = h('button', { type: 'button', onclick: () => {
      if (row.nextSibling?.classList?.contains('wn-edit')) return;
      const ed = editRow(cid, w, (nw) => { ed.remove(); row.replaceWith(winRow(cid, { ...nw, delivery: w.delivery }, tbody, onChange)); onChange(w.status, nw.status); },
        () => ed.remove());
      row.after(ed);
      ed.querySelector('input')?.focus();
    } }, t('wn_edit'));
    row.lastChild.append(btn);
  }
  return row;
}

function uploadPanel(cid, reload) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const out = h('div', { class: 'wn-upload-out' });
  const form = h('form', { class: 'form', novalidate: true }, field('file', t('wn_file'), file),
    h('div', { class: 'dw-inline' }, h('button', { type: 'submit', class: 'primary' }, t('wn_check'))));
  const send = async (dry) => {
    const f = file.files[0];
    if (!f) { showErrors(form, { fields: { file: t('wn_choose') } }); return; }
    try {
      const rep = await api(`campaigns/${cid}/winners/shipping-csv${dry ? '?dry_run=true' : ''}`,
        { body: new Blob([await f.arrayBuffer()], { type: 'text/csv' }), headers: { 'Content-Type': 'text/csv' } });
      showReport(rep, dry);
      if (!dry) await reload();
    } catch (err) { out.replaceChildren(); showErrors(form, err); }
  };
  const showReport = (rep, dry) => {
    const summary = t('wn_report', { enc: rep.encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8', a: rep.applied, u: rep.unchanged, s: rep.skipped, r: rep.refused });
    const apply = dry && rep.applied > 0 ? h('button', { type: 'button', class: 'primary', onclick: () => send(false) }, t('wn_apply')) : null;
    out.replaceChildren(h('div', { class: dry ? 'dw-note' : 'dw-ok', role: 'status' }, h('strong', {}, t(dry ? 'wn_report_dry' : 'wn_report_done')), ' ', summary),
      h('div', { class: 'wn-report' }, h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, ['wn_col_line', 'wn_col_id', 'wn_col_result', 'wn_col_msg'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, rep.lines.map((ln) => h('tr', { class: ln.result }, h('td', { class: 'num' }, ln.line), h('td', {}, h('code', {}, ln.id)),
          h('td', {}, h('span', { class: `badge ${ln.result === 'applied' ? 'success' : ln.result === 'refused' ? 'failure' : ''}` }, t(`res_${ln.result}`))),
          h('td', {}, ln.message)))))),
      apply ? h('div', { class: 'dw-actions' }, apply) : null);
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); send(true); });
  return h('section', { class: 'panel wn-upload' }, h('h2', {}, t('wn_upload')), h('p', { class: 'muted' }, t('wn_upload_help')), form, out);
}

async function renderCampaign(el, params, query) {
  useCss();
  const cid = params.id;
  const [{ campaign: c }] = await Promise.all([api(`campaigns/${cid}`).catch(() => ({ campaign: { id: cid, title: cid } }))]);
  const status = h('select', { name: 'status' }, h('option', { value: '' }, t('wn_all')), STATUSES.map((s) => h('option', { value: s }, t(`st_${s}`))));
  const kind = h('select', { name: 'kind' }, h('option', { value: '' }, t('wn_all')), ['instant', 'draw'].map((k) => h('option', { value: k }, t(`wn_kind_${k}`))));
  status.value = query.get('status') || '';
  kind.value = query.get('kind') || '';
  const tbody = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, t('wn_more'));
  const empty = h('p', { class: 'muted', hidden: true }, t('wn_none'));
  const kpis = h('div', { class: 'kpis' });
  let cursor = null;
  const filters = () => {
    const q = new URLSearchParams();
    if (status.value) q.set('status', status.value);
    if (kind.value) q.set('kind', kind.value);
    return q;
  };
  async function load(reset) {
    const q = filters();
    if (!reset && cursor) q.set('cursor', cursor);
    const data = await api(`campaigns/${cid}/winners?${q}`);
    if (reset) tbody.replaceChildren();
    for (const w of data.winners) tbody.append(winRow(cid, w, tbody, refreshCounts));
    cursor = data.next_cursor;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
    showCounts(data.counts);
  }
  // The figures follow a change in one row (from → to) without a request.
  let counts = {};
  function refreshCounts(from, to) {
    if (from === to) return;
    counts[from] -= 1;
    counts[to] += 1;
    showCounts(counts);
  }
  function showCounts(c) {
    counts = { ...c };
    kpis.replaceChildren(...STATUSES.map((s) => h('div', { class: 'kpi' }, h('div', { class: 'v' }, fmtNum(counts[s])), h('div', { class: 'k' }, t(`st_${s}`)))));
  }
  more.addEventListener('click', () => load(false).catch((err) => toast(err.message, 'error')));
  const form = h('form', { class: 'toolbar' }, h('label', { class: 'field' }, h('span', {}, t('wn_status')), status),
    h('label', { class: 'field' }, h('span', {}, t('wn_kind')), kind), h('button', { type: 'submit', class: 'primary' }, t('wn_filter')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(true).catch((err) => toast(err.message, 'error')); });
  const exports = can('export.winners') ? h('div', { class: 'toolbar' }, h('strong', {}, t('wn_export')),
    [['csv', 'wn_csv'], ['csv-sjis', 'wn_sjis'], ['xlsx', 'wn_xlsx']].map(([fmt, key]) => h('button', { type: 'button', dataset: { format: fmt }, onclick: async (ev) => {
      const b = ev.currentTarget;
      b.disabled = true;
      toast(t('wn_exporting'));
      try {
        const q = filters();
        q.set('format', fmt);
        await download(await api(`campaigns/${cid}/winners/export?${q}`, { raw: true }), `winners.${fmt === 'xlsx' ? 'xlsx' : 'csv'}`);
      } catch (err) { toast(err.message, 'error'); } finally { b.disabled = false; }
    } }, t(key)))) : null;
  el.replaceChildren(...[
    h('div', { class: 'toolbar' }, h('a', { href: '#/winners', class: 'button' }, `← ${t('wn_back')}`)),
    h('h1', {}, `${t('wn_title')} — ${c.title}`),
    state.session?.pii ? null : h('p', { class: 'dw-note' }, t('wn_masked')),
    kpis, h('div', { class: 'toolbar' }, form, h('span', { class: 'spacer' }), exports),
    h('section', { class: 'panel wn-scroll' }, h('table', { class: 'grid wn-table' },
      h('thead', {}, h('tr', {}, ['wn_col_win', 'wn_col_prize', 'wn_col_status', 'wn_col_to', 'wn_col_deadline', 'wn_col_ship', 'wn_col_action'].map((k) => h('th', {}, t(k))))),
      tbody), empty, h('div', { class: 'pager' }, more)),
    can('winners.manage') ? uploadPanel(cid, () => load(true)) : null].filter(Boolean));
  await load(true);
}

export default {
  texts,
  routes: [
    { path: 'winners', nav: 'nav_winners', perm: 'winners.read', render: (el) => { useCss(); return campaignPicker(el, t('wn_title'), t('wn_pick'), 'winners'); } },
    { path: 'winners/:id', perm: 'winners.read', render: renderCampaign },
  ],
};
