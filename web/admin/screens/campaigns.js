// Campaigns: the list (status, period, entries, prize stock) and the editor
// with every rule and prize setting of the campaign format
// (docs/campaign-format.md): target products edited in a table or imported
// from CSV / Excel, field errors from the server shown at the field, a
// preview of the participant page (the real web/entry page filled with the
// unsaved draft), publish / pause / end, duplicate. The definition keeps any
// key this screen does not know about.
import { api, can, clearErrors, field, fmtNum, fmtTime, h, navigate, showErrors, t, toast } from '../core.js';
import { readXlsxRows, rowsToCsv } from './xlsx.js';

const texts = {
  ja: {
    nav_campaigns: 'キャンペーン', cp_title: 'キャンペーン', cp_new: '新規作成', cp_none: 'キャンペーンはまだありません。',
    cp_col_title: 'タイトル / URL', cp_col_status: '状態', cp_col_period: '応募期間', cp_col_entries: '応募',
    cp_col_accepted: '受付', cp_col_review: '確認中', cp_col_rejected: '不可', cp_col_prizes: '賞品在庫（残り）',
    cp_col_updated: '更新日時', cp_left: '残り {n}', cp_won: '当選 {n}',
    cp_status_draft: '下書き', cp_status_published: '公開中', cp_status_paused: '一時停止中', cp_status_ended: '終了',
    cp_phase_upcoming: '開始前', cp_phase_open: '受付中', cp_phase_ended: '期間終了',
    cp_new_title: '新しいキャンペーン', cp_version: '版 {v}', cp_back: '一覧へ戻る',
    cp_save: '保存', cp_saved: '保存しました。', cp_created: '作成しました。', cp_publish: '公開する', cp_resume: '再開する',
    cp_pause: '一時停止', cp_end: '終了する', cp_duplicate: '複製', cp_preview: '参加者ページのプレビュー', cp_test_reader: 'レシート読み取りテスト',
    cp_confirm_publish: '公開すると、参加者が応募できるようになります。公開しますか？',
    cp_confirm_end: '終了すると再開できません（複製は可能です）。終了しますか？',
    cp_unsaved_first: '保存していない変更があります。先に保存してください。', cp_unsaved_leave: '保存していない変更があります。',
    cp_published: '公開しました。', cp_paused: '一時停止しました。', cp_ended: '終了しました。', cp_duplicated: '複製しました（下書き）。',
    cp_stale_reload: '最新の内容を読み込む（入力中の変更は失われます）', cp_readonly: '閲覧のみ（編集の権限がありません）',
    cp_sec_basic: '基本情報', cp_sec_period: '期間', cp_sec_products: '対象商品', cp_sec_rules: '応募条件',
    cp_sec_stores: '対象店舗', cp_sec_prizes: '賞品とインスタントウィン', cp_sec_draw: '締め切り後の抽選',
    f_title: 'タイトル', f_slug: 'URL（半角英小文字・数字・ハイフン）', f_slug_hint: '参加者ページ: …/c/{slug}。公開後は変更できません。',
    f_description: '説明', f_terms: '応募規約', f_data_purpose: '個人情報の利用目的',
    f_data_purpose_hint: '個人情報を入力する前に参加者へ表示します（個人情報保護法）。',
    f_entry_start: '応募開始（日本時間）', f_entry_end: '応募終了（日本時間・この時刻を含まない）',
    f_purchase_first: '対象購入期間 初日', f_purchase_last: '対象購入期間 最終日',
    p_name: '商品名', p_aliases: 'レシート上の表記（| で区切る）', p_jan: 'JANコード', p_price: '単価（円）',
    p_add: '商品を追加', p_remove: '削除', p_import: 'CSV / Excel から取り込む', p_import_mode: '取り込み方法',
    p_mode_replace: '置き換える', p_mode_append: '追加する', p_import_go: '取り込む',
    p_import_help: '1行目は見出し（商品名, 表記ゆれ, JANコード, 単価 または name, aliases, jan, unit_price）。表記ゆれは | か ／ で区切ります。CSV（UTF-8 / Shift_JIS）と Excel（.xlsx）に対応。取り込むとすぐ保存されます。',
    p_import_new: '取り込みは、キャンペーンを一度保存してから使えます。', p_imported: '{n}件の商品を取り込みました。',
    p_import_failed: 'ファイルに問題があります。直してからもう一度取り込んでください。', p_line: '{n}行目',
    p_xlsx_failed: 'Excelファイルを読めませんでした（{why}）。CSVで保存して取り込んでください。', p_choose_file: 'ファイルを選んでください。',
    f_min_quantity: '対象商品の最低購入数', f_min_amount: '最低購入金額（円・税込）', f_amount_basis: '金額の対象',
    basis_target: '対象商品の金額', basis_total: 'レシートの合計金額', f_receipts_min: '1回の応募のレシート枚数（最小）',
    f_receipts_max: '1回の応募のレシート枚数（最大）', f_receipts_hint: '複数枚のときは金額・数量を合算します。',
    f_yen_per_unit: '口数: 何円ごとに1口（0 = 1応募1口）', f_cap_day: '1人1日の応募上限（0 = なし）',
    f_cap_total: '1人の応募上限（0 = なし）', f_one_win: '当選は1人1回まで', f_review_threshold: '確認に回す読み取り信頼度（0〜1）',
    f_review_hint: 'これより低い読み取りは自動で不可にせず、事務局の確認に回します。', f_claim_days: '当選者の送付先入力期限（日）',
    s_name: '店舗名', s_phone: '電話番号', s_add: '店舗を追加', s_help: '空欄なら全店舗が対象です。電話番号は数字で照合します。',
    z_code: 'コース', z_name: '賞品名', z_value: '価格（円）', z_stock: '在庫数', z_units: '必要口数', z_ppm: '当選確率（100万分率）',
    z_now: '現在', z_add: '賞品を追加', f_instant: 'インスタントウィン', instant_none: 'なし',
    instant_probability: '確率で当選（コースごとの当選確率）', instant_fixed: '当選数を固定（在庫を期間中に均等に配分）',
    f_draw: '締め切り後の抽選', draw_none: 'なし', draw_uniform: '応募ごとに均等', draw_weighted: '口数に比例（レシート枚数・金額に応じて）',
    f_draw_hint: '抽選は「抽選」画面から実行します。当選者と補欠はコミットメント付きで検証できます。',
    pv_note: 'スマートフォンでの見え方（保存前の内容）。フォームは動作しません。', pv_close: 'プレビューを閉じる',
    pv_draft: '下書き（非公開）',
  },
  en: {
    nav_campaigns: 'Campaigns', cp_title: 'Campaigns', cp_new: 'New campaign', cp_none: 'No campaigns yet.',
    cp_col_title: 'Title / URL', cp_col_status: 'Status', cp_col_period: 'Entry period', cp_col_entries: 'Entries',
    cp_col_accepted: 'Accepted', cp_col_review: 'In review', cp_col_rejected: 'Rejected', cp_col_prizes: 'Prize stock (left)',
    cp_col_updated: 'Updated', cp_left: '{n} left', cp_won: '{n} won',
    cp_status_draft: 'Draft', cp_status_published: 'Published', cp_status_paused: 'Paused', cp_status_ended: 'Ended',
    cp_phase_upcoming: 'Not started', cp_phase_open: 'Open', cp_phase_ended: 'Period over',
    cp_new_title: 'New campaign', cp_version: 'Version {v}', cp_back: 'Back to the list',
    cp_save: 'Save', cp_saved: 'Saved.', cp_created: 'Created.', cp_publish: 'Publish', cp_resume: 'Resume',
    cp_pause: 'Pause', cp_end: 'End', cp_duplicate: 'Duplicate', cp_preview: 'Preview the participant page', cp_test_reader: 'Test the reader',
    cp_confirm_publish: 'Once published, shoppers can enter. Publish now?',
    cp_confirm_end: 'An ended campaign cannot be reopened (it can be duplicated). End it?',
    cp_unsaved_first: 'You have unsaved changes. Save them first.', cp_unsaved_leave: 'You have unsaved changes.',
    cp_published: 'Published.', cp_paused: 'Paused.', cp_ended: 'Ended.', cp_duplicated: 'Duplicated (as a draft).',
    cp_stale_reload: 'Load the latest version (your changes here are lost)', cp_readonly: 'Read only (your role may not edit)',
    cp_sec_basic: 'Basics', cp_sec_period: 'Periods', cp_sec_products: 'Target products', cp_sec_rules: 'Entry rules',
    cp_sec_stores: 'Participating stores', cp_sec_prizes: 'Prizes and instant win', cp_sec_draw: 'Draw after the end',
    f_title: 'Title', f_slug: 'URL (lower-case letters, digits, hyphens)', f_slug_hint: 'Participant page: …/c/{slug}. Fixed once published.',
    f_description: 'Description', f_terms: 'Terms', f_data_purpose: 'Purpose of collecting personal data',
    f_data_purpose_hint: 'Shown to shoppers before they give any personal data (APPI).',
    f_entry_start: 'Entries open (Japan time)', f_entry_end: 'Entries close (Japan time, exclusive)',
    f_purchase_first: 'First purchase day', f_purchase_last: 'Last purchase day',
    p_name: 'Product name', p_aliases: 'Spellings on receipts (separate with |)', p_jan: 'JAN code', p_price: 'Unit price (yen)',
    p_add: 'Add a product', p_remove: 'Remove', p_import: 'Import from CSV / Excel', p_import_mode: 'Import mode',
    p_mode_replace: 'Replace', p_mode_append: 'Append', p_import_go: 'Import',
    p_import_help: 'First row: headers (name, aliases, jan, unit_price — or the Japanese names). Separate spellings with | or ／. CSV (UTF-8 / Shift_JIS) and Excel (.xlsx). An import is saved at once.',
    p_import_new: 'Save the campaign once before importing.', p_imported: '{n} products imported.',
    p_import_failed: 'The file has problems. Fix them and import again.', p_line: 'Line {n}',
    p_xlsx_failed: 'Could not read the Excel file ({why}). Save it as CSV and import that.', p_choose_file: 'Choose a file.',
    f_min_quantity: 'Minimum target products bought', f_min_amount: 'Minimum amount (yen, tax included)', f_amount_basis: 'Amount of',
    basis_target: 'Target products', basis_total: 'Receipt total', f_receipts_min: 'Receipts per entry (min)',
    f_receipts_max: 'Receipts per entry (max)', f_receipts_hint: 'With several receipts, amounts and quantities are summed.',
    f_yen_per_unit: 'Units: one per this many yen (0 = one per entry)', f_cap_day: 'Entries per person per day (0 = no cap)',
    f_cap_total: 'Entries per person in all (0 = no cap)', f_one_win: 'One win per participant', f_review_threshold: 'Reading confidence below which a person checks (0–1)',
    f_review_hint: 'Doubtful readings go to review instead of being rejected.', f_claim_days: 'Days a winner has to send delivery details',
    s_name: 'Store name', s_phone: 'Phone', s_add: 'Add a store', s_help: 'Empty: every store. Phones are compared by digits.',
    z_code: 'Course', z_name: 'Prize', z_value: 'Value (yen)', z_stock: 'Stock', z_units: 'Units per chance', z_ppm: 'Win probability (per million)',
    z_now: 'Now', z_add: 'Add a prize', f_instant: 'Instant win', instant_none: 'None',
    instant_probability: 'By probability (per course)', instant_fixed: 'Fixed number of wins (stock spread over the period)',
    f_draw: 'Draw after the end', draw_none: 'None', draw_uniform: 'Equal per entry', draw_weighted: 'Weighted by units',
    f_draw_hint: 'Run the draw from the Draw screen; winners and alternates are verifiable from the published commitments.',
    pv_note: 'How a phone shows it (unsaved content). The form does not work here.', pv_close: 'Close the preview',
    pv_draft: 'Draft (not public)',
  },
};

function useCss() {
  const href = new URL('./campaigns.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

function statusBadge(c) {
  const badges = [h('span', { class: `badge ${c.status}` }, t(`cp_status_${c.status}`))];
  if (c.status === 'published' && c.phase !== 'open') badges.push(' ', h('span', { class: 'badge' }, t(`cp_phase_${c.phase}`)));
  return badges;
}

// ---- the list ----

async function renderList(el) {
  useCss();
  const { campaigns } = await api('campaigns');
  const head = h('div', { class: 'toolbar cp-list-head' }, h('h1', {}, t('cp_title')), h('span', { class: 'spacer' }),
    can('campaigns.edit') ? h('a', { class: 'button primary', href: '#/campaigns/new' }, t('cp_new')) : null);
  if (!campaigns.length) {
    el.replaceChildren(head, h('section', { class: 'panel' }, h('p', { class: 'muted' }, t('cp_none'))));
    return;
  }
  const rows = campaigns.map((c) => h('tr', { class: 'clickable', onclick: () => navigate(`campaigns/${c.id}`) },
    h('td', {}, h('a', { href: `#/campaigns/${c.id}` }, c.title), h('small', { class: 'id' }, `/c/${c.slug}`)),
    h('td', { class: 'nowrap' }, statusBadge(c)),
    h('td', { class: 'nowrap' }, fmtTime(c.entry_period.start), ' 〜', h('br'), fmtTime(c.entry_period.end)),
    h('td', { class: 'num' }, fmtNum(c.entries.total)),
    h('td', { class: 'num' }, fmtNum(c.entries.accepted)),
    h('td', { class: 'num' }, fmtNum(c.entries.review)),
    h('td', { class: 'num' }, fmtNum(c.entries.rejected)),
    h('td', {}, c.prizes.map((p) => h('div', { class: 'cp-stock' }, h('span', {}, p.name),
      h('span', { class: p.stock === 0 ? 'cp-out' : '' }, t('cp_left', { n: fmtNum(p.stock) }))))),
    h('td', { class: 'nowrap' }, fmtTime(c.updated_at))));
  const cols = ['cp_col_title', 'cp_col_status', 'cp_col_period', 'cp_col_entries', 'cp_col_accepted', 'cp_col_review',
    'cp_col_rejected', 'cp_col_prizes', 'cp_col_updated'];
  const numeric = new Set(['cp_col_entries', 'cp_col_accepted', 'cp_col_review', 'cp_col_rejected']);
  el.replaceChildren(head, h('section', { class: 'panel cp-list' }, h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { class: numeric.has(k) ? 'num' : null }, t(k))))),
    h('tbody', {}, rows))));
}

// ---- values between the form and the definition ----

// Japan time for datetime-local inputs; RFC 3339 with +09:00 back.
function toLocal(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() + 9 * 3600e3).toISOString().slice(0, 16);
}
const fromLocal = (v) => (v ? `${v}:00+09:00` : '');

// A number input's value: undefined when empty (the server's default), the
// typed text when it is not a number (the server names the field).
function numValue(input) {
  if (input.validity?.badInput) return 'NaN';
  return input.value === '' ? undefined : Number(input.value);
}

function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) o[k] = {};
    o = o[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}
function getPath(obj, path) { return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj); }

function defaults() {
  const day = (n) => new Date(Date.now() + 9 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  return {
    slug: '', title: '', description: '', status: 'draft',
    terms: '応募規約\n1. 応募には対象商品を含むレシートが必要です。\n2. 同じレシートでの応募は1回限りです。\n3. 当選者には賞品の送付先をご入力いただきます。',
    data_purpose: 'ご入力いただいた情報は、応募の受付・当選のご連絡・賞品の発送にのみ利用します。',
    entry_period: { start: `${day(1)}T00:00:00+09:00`, end: `${day(31)}T00:00:00+09:00` },
    purchase_period: { first: day(1), last: day(30) },
    rules: { target_products: [{ name: '', aliases: [] }], min_quantity: 1, receipts_per_entry: { min: 1, max: 1 },
      caps: { per_day: 5, total: 0 }, one_win_per_participant: true, review_threshold: 0.85, claim_days: 14 },
    prizes: [{ code: 'A', name: '', value: 0, stock: 0, units_cost: 1, probability_ppm: 0 }],
    instant_win: 'none', draw: 'none',
  };
}

const splitAliases = (s) => s.split(/[|／]/).map((a) => a.trim()).filter(Boolean);

// An editable table of rows; keys of server errors: `${key}[i].${column}`.
function rowsTable(key, columns, rows, { editable, addLabel, extra }) {
  const body = h('tbody');
  let current = [];
  function cell(i, col, value) {
    const fkey = `${key}[${i}].${col.name}`;
    let input;
    if (col.kind === 'num') input = h('input', { type: 'number', min: col.min ?? '0', step: col.step ?? '1', value: value ?? '' });
    else input = h('input', { type: 'text', value: col.kind === 'aliases' ? (value || []).join(' | ') : (value ?? '') });
    input.name = fkey;
    input.disabled = !editable;
    input.setAttribute('aria-label', `${col.label} ${i + 1}`);
    if (col.size) input.classList.add(`cp-${col.size}`);
    const wrap = h('div', { class: 'field cp-cell', dataset: { field: fkey } }, input);
    if (col.after) wrap.append(col.after(input, i));
    return { td: h('td', {}, wrap), read: () => (col.kind === 'num' ? numValue(input)
      : col.kind === 'aliases' ? splitAliases(input.value) : input.value.trim()) };
  }
  function render(values) {
    current = values.map((v, i) => {
      const cells = columns.map((col) => cell(i, col, v[col.name]));
      const remove = editable ? h('button', { type: 'button', class: 'cp-remove', onclick: () => {
        const all = read();
        all.splice(i, 1);
        render(all);
        body.dispatchEvent(new Event('input', { bubbles: true }));
      } }, t('p_remove')) : null;
      return { base: v, cells, tr: h('tr', {}, cells.map((c) => c.td), extra ? h('td', {}, extra(v)) : null, h('td', {}, remove)) };
    });
    body.replaceChildren(...current.map((r) => r.tr));
  }
  function read() {
    return current.map((r) => {
      const out = { ...r.base };
      columns.forEach((col, k) => {
        const v = r.cells[k].read();
        if (v === undefined || v === '') delete out[col.name];
        else out[col.name] = v;
      });
      return out;
    });
  }
  render(rows);
  const table = h('table', { class: 'grid cp-rows' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.label)), extra ? h('th', {}, t('z_now')) : null, h('th'))), body);
  const add = editable ? h('button', { type: 'button', onclick: () => {
    render([...read(), {}]);
    body.lastElementChild?.querySelector('input')?.focus();
  } }, addLabel) : null;
  return { el: h('div', { class: 'cp-table' }, table, add), read, render };
}

// ---- the participant-page preview ----

let pageMarkup = null;
async function previewDoc(pub) {
  if (!pageMarkup) pageMarkup = await (await fetch('/static/entry/campaign.html', { credentials: 'same-origin' })).text();
  const doc = new DOMParser().parseFromString(pageMarkup, 'text/html');
  doc.querySelectorAll('script').forEach((s) => s.remove());
  const $ = (id) => doc.getElementById(id);
  const fmt = (iso) => new Date(iso).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long',
    day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const list = (ul, items) => ul.replaceChildren(...items.map((s) => Object.assign(doc.createElement('li'), { textContent: s })));
  $('tenant-name').textContent = document.getElementById('tenant-name')?.textContent || '';
  $('title').textContent = pub.title;
  $('description').textContent = pub.description || '';
  const phases = { open: '応募受付中', upcoming: '開始前', ended: '終了しました', paused: '一時停止中', draft: t('pv_draft') };
  $('phase').textContent = phases[pub.phase] || pub.phase;
  $('phase').className = `badge ${pub.phase}`;
  $('entry-period').textContent = `${fmt(pub.entry_period.start)} 〜 ${fmt(pub.entry_period.end)}`;
  $('purchase-period').textContent = `${pub.purchase_period.first} 〜 ${pub.purchase_period.last}`;
  list($('products'), pub.target_products);
  list($('prizes'), pub.prizes.map((p) => p.name));
  $('terms').textContent = pub.terms;
  $('purpose').textContent = pub.data_purpose;
  $('photos').multiple = pub.receipts_per_entry.max > 1;
  doc.querySelectorAll('input, button, select').forEach((x) => x.setAttribute('disabled', ''));
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}

// ---- the editor ----

async function renderEditor(el, params) {
  useCss();
  const isNew = !params.id;
  let c = isNew ? null : (await api(`campaigns/${encodeURIComponent(params.id)}`)).campaign;
  const editable = can('campaigns.edit');
  const base = structuredClone(c ? c.definition : defaults());
  const binds = [];
  let dirty = false;

  function ctl(key, label, control, opts = {}) {
    const v = getPath(base, key);
    if (control.type === 'checkbox') control.checked = v === undefined ? opts.defaultChecked : v === true;
    else if (opts.kind === 'datetime') control.value = toLocal(v);
    else if (v !== undefined && v !== null) control.value = String(v);
    control.disabled = !editable;
    binds.push({ key, control, kind: opts.kind });
    return field(key, label, control, opts);
  }
  const input = (type, attrs = {}) => h('input', { type, ...attrs });
  const slugField = () => {
    const f = ctl('slug', t('f_slug'), input('text', { autocomplete: 'off', spellcheck: false }), { hint: t('f_slug_hint') });
    if (c && c.status !== 'draft') f.querySelector('input').readOnly = true; // the URL is out there
    return f;
  };
  const select = (options) => h('select', {}, options.map(([v, label]) => h('option', { value: v }, label)));

  const products = rowsTable('rules.target_products', [
    { name: 'name', label: t('p_name') },
    { name: 'aliases', label: t('p_aliases'), kind: 'aliases', size: 'wide' },
    { name: 'jan', label: t('p_jan'), size: 'jan' },
    { name: 'unit_price', label: t('p_price'), kind: 'num', size: 'num' },
  ], base.rules?.target_products || [], { editable, addLabel: t('p_add') });
  const stores = rowsTable('rules.allowed_stores', [
    { name: 'name', label: t('s_name') }, { name: 'phone', label: t('s_phone'), size: 'jan' },
  ], base.rules?.allowed_stores || [], { editable, addLabel: t('s_add') });
  const stock = new Map((c?.prizes || []).map((p) => [p.code, p]));
  const ppmHint = (inp) => {
    const s = h('small', { class: 'muted' });
    const upd = () => { s.textContent = inp.value === '' ? '' : `= ${(Number(inp.value) / 10000).toLocaleString('ja-JP', { maximumFractionDigits: 4 })}%`; };
    inp.addEventListener('input', upd);
    upd();
    return s;
  };
  const prizes = rowsTable('prizes', [
    { name: 'code', label: t('z_code'), size: 'code' }, { name: 'name', label: t('z_name') },
    { name: 'value', label: t('z_value'), kind: 'num', size: 'num' }, { name: 'stock', label: t('z_stock'), kind: 'num', size: 'num' },
    { name: 'units_cost', label: t('z_units'), kind: 'num', min: '1', size: 'small' },
    { name: 'probability_ppm', label: t('z_ppm'), kind: 'num', size: 'num', after: ppmHint },
  ], base.prizes || [], { editable, addLabel: t('z_add'),
    extra: (p) => (stock.has(p.code) ? h('span', { class: 'muted nowrap' },
      `${t('cp_left', { n: fmtNum(stock.get(p.code).stock) })} / ${t('cp_won', { n: fmtNum(stock.get(p.code).won) })}`) : '') });

  const form = h('form', { class: 'cp-editor', novalidate: true },
    h('section', { class: 'panel' }, h('h2', {}, t('cp_sec_basic')), h('div', { class: 'form' },
      ctl('title', t('f_title'), input('text'), { wide: true }),
      slugField(),
      ctl('description', t('f_description'), h('textarea', { rows: 3 }), { wide: true }),
      ctl('terms', t('f_terms'), h('textarea', { rows: 6 }), { wide: true }),
      ctl('data_purpose', t('f_data_purpose'), h('textarea', { rows: 3 }), { wide: true, hint: t('f_data_purpose_hint') }))),
    h('section', { class: 'panel' }, h('h2', {}, t('cp_sec_period')), h('div', { class: 'form' },
      ctl('entry_period.start', t('f_entry_start'), input('datetime-local'), { kind: 'datetime' }),
      ctl('entry_period.end', t('f_entry_end'), input('datetime-local'), { kind: 'datetime' }),
      ctl('purchase_period.first', t('f_purchase_first'), input('date')),
      ctl('purchase_period.last', t('f_purchase_last'), input('date')))),
    h('section', { class: 'panel' }, h('h2', {}, t('cp_sec_products')),
      h('div', { class: 'field', dataset: { field: 'rules.target_products' } }, products.el),
      editable ? importBox() : null),
    h('section', { class: 'panel' }, h('h2', {}, t('cp_sec_rules')), h('div', { class: 'form' },
      ctl('rules.min_quantity', t('f_min_quantity'), input('number', { min: '0' })),
      ctl('rules.min_amount.amount', t('f_min_amount'), input('number', { min: '0' })),
      ctl('rules.min_amount.basis', t('f_amount_basis'), select([['target', t('basis_target')], ['total', t('basis_total')]])),
      ctl('rules.receipts_per_entry.min', t('f_receipts_min'), input('number', { min: '1', max: '10' }), { hint: t('f_receipts_hint') }),
      ctl('rules.receipts_per_entry.max', t('f_receipts_max'), input('number', { min: '1', max: '10' })),
      ctl('rules.yen_per_unit', t('f_yen_per_unit'), input('number', { min: '0' })),
      ctl('rules.caps.per_day', t('f_cap_day'), input('number', { min: '0' })),
      ctl('rules.caps.total', t('f_cap_total'), input('number', { min: '0' })),
      ctl('rules.review_threshold', t('f_review_threshold'), input('number', { min: '0', max: '1', step: '0.01' }), { hint: t('f_review_hint') }),
      ctl('rules.one_win_per_participant', t('f_one_win'), input('checkbox'), { defaultChecked: true }))),
    h('section', { class: 'panel' }, h('h2', {}, t('cp_sec_stores')), h('p', { class: 'muted' }, t('s_help')),
      h('div', { class: 'field', dataset: { field: 'rules.allowed_stores' } }, stores.el)),
    h('section', { class: 'panel' }, h('h2', {}, t('cp_sec_prizes')),
      h('div', { class: 'form' }, ctl('instant_win', t('f_instant'), select([['none', t('instant_none')],
        ['probability', t('instant_probability')], ['fixed', t('instant_fixed')]]))),
      h('div', { class: 'field', dataset: { field: 'prizes' } }, prizes.el)),
    h('section', { class: 'panel' }, h('h2', {}, t('cp_sec_draw')), h('div', { class: 'form' },
      ctl('draw', t('f_draw'), select([['none', t('draw_none')], ['uniform', t('draw_uniform')], ['weighted', t('draw_weighted')]]),
        { hint: t('f_draw_hint') }),
      ctl('rules.claim_days', t('f_claim_days'), input('number', { min: '1', max: '365' })))));
  // The import box saves by itself: choosing a file is no unsaved change.
  const edits = (ev) => { if (!ev.target.closest?.('.cp-import')) dirty = true; };
  form.addEventListener('input', edits);
  form.addEventListener('change', edits);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); save(); });

  function collect() {
    const d = structuredClone(base);
    for (const b of binds) {
      let v;
      if (b.control.type === 'checkbox') v = b.control.checked;
      else if (b.control.type === 'number') v = numValue(b.control);
      else if (b.kind === 'datetime') v = fromLocal(b.control.value);
      else v = b.control.value;
      setPath(d, b.key, v);
    }
    d.rules = d.rules || {};
    d.rules.target_products = products.read();
    const st = stores.read().filter((s) => s.name || s.phone);
    if (st.length) d.rules.allowed_stores = st;
    else delete d.rules.allowed_stores;
    d.prizes = prizes.read();
    if (!d.prizes.length) delete d.prizes;
    if (d.rules.min_amount && d.rules.min_amount.amount === undefined) delete d.rules.min_amount;
    if (!d.description) delete d.description;
    return d;
  }

  // Toolbar: status, version, actions.
  const status = h('span');
  const actions = h('span', { class: 'cp-actions' });
  const notice = h('div');
  const previewBox = h('section', { class: 'panel cp-preview', hidden: true });
  function toolbar() {
    status.replaceChildren(...(c ? [...statusBadge(c), ' ', h('span', { class: 'muted' }, t('cp_version', { v: c.version }))] : []));
    const btn = (label, fn, cls) => h('button', { type: 'button', class: cls, onclick: fn }, label);
    const list = [];
    if (editable) list.push(btn(t('cp_save'), save, 'primary'));
    if (c && editable) {
      if (c.status === 'draft' || c.status === 'paused') list.push(btn(t(c.status === 'paused' ? 'cp_resume' : 'cp_publish'), () => transition('publish')));
      if (c.status === 'published') list.push(btn(t('cp_pause'), () => transition('pause')));
      if (c.status === 'published' || c.status === 'paused') list.push(btn(t('cp_end'), () => transition('end'), 'danger'));
      list.push(btn(t('cp_duplicate'), duplicate));
    }
    list.push(btn(t('cp_preview'), preview));
    if (c && can('campaigns.test')) list.push(h('a', { class: 'button', href: `#/reader?campaign=${c.id}` }, t('cp_test_reader')));
    actions.replaceChildren(...list);
  }

  function staleNotice(err) {
    notice.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, err.message, ' ',
      h('button', { type: 'button', onclick: () => { dirty = false; renderEditor(el, params); } }, t('cp_stale_reload'))));
  }

  async function save() {
    clearErrors(form);
    notice.replaceChildren();
    try {
      if (isNew) {
        const r = await api('campaigns', { body: { definition: collect() } });
        dirty = false;
        toast(t('cp_created'));
        navigate(`campaigns/${r.campaign.id}`);
        return;
      }
      const r = await api(`campaigns/${c.id}`, { method: 'PUT', body: { version: c.version, definition: collect() } });
      c = r.campaign;
      dirty = false;
      toolbar();
      toast(t('cp_saved'));
    } catch (err) {
      if (err.code === 'stale_version') staleNotice(err);
      else showErrors(form, err);
    }
  }

  async function transition(action) {
    if (dirty) { toast(t('cp_unsaved_first'), 'error'); return; }
    if (action === 'publish' && c.status === 'draft' && !confirm(t('cp_confirm_publish'))) return;
    if (action === 'end' && !confirm(t('cp_confirm_end'))) return;
    notice.replaceChildren();
    try {
      c = (await api(`campaigns/${c.id}/${action}`, { body: { version: c.version } })).campaign;
      toolbar();
      toast(t({ publish: 'cp_published', pause: 'cp_paused', end: 'cp_ended' }[action]));
    } catch (err) {
      if (err.code === 'stale_version') staleNotice(err);
      else notice.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, err.message));
    }
  }

  async function duplicate() {
    try {
      const r = await api(`campaigns/${c.id}/duplicate`, { body: {} });
      toast(t('cp_duplicated'));
      navigate(`campaigns/${r.campaign.id}`);
    } catch (err) { toast(err.message, 'error'); }
  }

  async function preview() {
    clearErrors(form);
    try {
      const r = await api('campaigns/preview', { body: { definition: collect() } });
      const frame = h('iframe', { class: 'cp-phone', title: t('cp_preview'), sandbox: 'allow-same-origin' });
      frame.srcdoc = await previewDoc(r.campaign);
      previewBox.replaceChildren(h('div', { class: 'toolbar' }, h('h2', {}, t('cp_preview')), h('span', { class: 'spacer' }),
        h('button', { type: 'button', onclick: () => { previewBox.hidden = true; } }, t('pv_close'))),
      h('p', { class: 'muted' }, t('pv_note')), frame);
      previewBox.hidden = false;
      previewBox.scrollIntoView({ block: 'start' });
    } catch (err) { showErrors(form, err); }
  }

  // Target products from a file: saved on the server at once (audited),
  // then the table shows what the server keeps.
  function importBox() {
    const file = h('input', { type: 'file', accept: '.csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const mode = select([['replace', t('p_mode_replace')], ['append', t('p_mode_append')]]);
    const errors = h('div', { class: 'cp-import-errors', role: 'alert' });
    const go = h('button', { type: 'button', disabled: isNew, onclick: async () => {
      errors.replaceChildren();
      const f = file.files[0];
      if (!f) { errors.append(h('p', { class: 'form-error' }, t('p_choose_file'))); return; }
      let body = f;
      const head = new Uint8Array(await f.slice(0, 4).arrayBuffer());
      if (head[0] === 0x50 && head[1] === 0x4b) { // PK: a zip, i.e. an .xlsx
        try {
          body = new Blob([rowsToCsv(await readXlsxRows(f))], { type: 'text/csv' });
        } catch (err) {
          errors.append(h('p', { class: 'form-error' }, t('p_xlsx_failed', { why: err.message })));
          return;
        }
      }
      try {
        const r = await api(`campaigns/${c.id}/products/import?version=${c.version}&mode=${mode.value}`, { body });
        c = r.campaign;
        base.rules = base.rules || {};
        base.rules.target_products = c.definition.rules.target_products;
        products.render(c.definition.rules.target_products);
        toolbar();
        file.value = '';
        toast(t('p_imported', { n: r.imported }));
      } catch (err) {
        if (err.code === 'stale_version') { staleNotice(err); return; }
        const lines = Object.entries(err.fields || {}).map(([k, m]) => {
          const mm = k.match(/^csv\[(\d+)\]\.(\w+)$/);
          const col = mm && { name: t('p_name'), aliases: t('p_aliases'), jan: t('p_jan'), unit_price: t('p_price') }[mm[2]];
          return h('li', {}, mm ? `${t('p_line', { n: mm[1] })}${col ? `・${col}` : ''}: ${m}` : m);
        });
        errors.append(h('p', { class: 'form-error' }, lines.length ? t('p_import_failed') : err.message), h('ul', {}, lines));
      }
    } }, t('p_import_go'));
    return h('div', { class: 'cp-import' }, h('h3', {}, t('p_import')),
      h('p', { class: 'muted' }, isNew ? t('p_import_new') : t('p_import_help')),
      h('div', { class: 'toolbar' }, field('import_file', t('p_import'), file), field('import_mode', t('p_import_mode'), mode), go),
      errors);
  }

  toolbar();
  el.replaceChildren(...[
    h('div', { class: 'toolbar cp-head' }, h('a', { href: '#/campaigns' }, `← ${t('cp_back')}`)),
    h('div', { class: 'toolbar cp-head' }, h('h1', {}, c ? c.title : t('cp_new_title')), status, h('span', { class: 'spacer' }), actions),
    editable ? null : h('p', { class: 'muted' }, t('cp_readonly')),
    notice, previewBox, form].filter(Boolean));
  // Leaving with unsaved changes asks first (the hash router cannot cancel).
  const guard = (ev) => { if (dirty && el.isConnected) { ev.preventDefault(); ev.returnValue = ''; } };
  window.addEventListener('beforeunload', guard);
  const stop = () => { if (!el.isConnected) { window.removeEventListener('beforeunload', guard); window.removeEventListener('hashchange', stop); } };
  window.addEventListener('hashchange', stop);
}

export default {
  texts,
  routes: [
    { path: 'campaigns', nav: 'nav_campaigns', perm: 'campaigns.read', render: renderList },
    { path: 'campaigns/new', perm: 'campaigns.edit', render: (el) => renderEditor(el, {}) },
    { path: 'campaigns/:id', perm: 'campaigns.read', render: renderEditor },
  ],
};
