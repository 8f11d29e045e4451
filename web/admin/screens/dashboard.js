// The dashboard: per campaign, the headline figures, entries per day
// (stacked by verdict) and per hour of a day (Asia/Tokyo), the commonest
// rejection and review reasons, prize stock left, and the stores and target
// products found. Charts are Chart.js (vendor/chart.umd.js, see
// vendor/README.md); it draws on a canvas and needs no inline style or eval.
// It is loaded when the screen first opens (it sets window.Chart), not with
// the console: reviewers never see a chart.
import { api, fmtNum, fmtTime, fmtYen, h, navigate, t } from '../core.js';
import { currentLang } from '../../ui/i18n.js';

const texts = {
  ja: {
    nav_dashboard: 'ダッシュボード', db_title: 'ダッシュボード', db_campaign: 'キャンペーン', db_refresh: '更新',
    db_none: 'キャンペーンがまだありません。「キャンペーン」から作成してください。', db_updated: '{at} 時点',
    db_entries: '応募数', db_today: '本日の応募', db_accepted_rate: '承認率', db_rejected_rate: '却下率',
    db_review_rate: '審査に回った割合', db_participants: '応募者数', db_units: '口数の合計', db_wins: '当選数',
    db_pending: '判定待ち', db_of_judged: '判定済み {n}件のうち', db_per_day: '日別の応募数', db_per_hour: '時間帯別の応募数',
    db_range_30: '直近30日', db_range_90: '直近90日', db_range_all: '全期間', db_hour_day: '日付', db_hour_all: '全期間の合計',
    db_hour_hint: '日別グラフの棒をクリックすると、その日の時間帯別を表示します。',
    v_accepted: '承認', v_rejected: '却下', v_review: '審査中', v_pending: '判定待ち',
    db_reasons_rejected: '却下の理由（上位）', db_reasons_review: '審査に回った理由（上位）', db_reason: '理由', db_count: '件数',
    db_share: '割合', db_no_data: 'まだありません。', db_prizes: '賞品の在庫', db_prize: '賞品', db_stock: '用意数',
    db_won: '当選', db_left: '残り', db_left_share: '残りの割合', db_stores: '応募の多い店舗', db_store: '店舗（読み取り結果）', db_products: '見つかった対象商品',
    db_product: '商品', db_entries_col: '応募', db_accepted_col: 'うち承認', db_quantity: '個数', db_hour_label: '{h}時',
    db_period: '応募期間 {start} 〜 {end}', db_status_draft: '下書き', db_status_published: '公開中', db_status_paused: '一時停止',
    db_status_ended: '終了', db_day_total: '合計 {n}件', db_sold_out: '在庫切れ',
  },
  en: {
    nav_dashboard: 'Dashboard', db_title: 'Dashboard', db_campaign: 'Campaign', db_refresh: 'Refresh',
    db_none: 'There are no campaigns yet. Create one under "Campaigns".', db_updated: 'as of {at}',
    db_entries: 'Entries', db_today: 'Entries today', db_accepted_rate: 'Accepted', db_rejected_rate: 'Rejected',
    db_review_rate: 'Sent to review', db_participants: 'Participants', db_units: 'Units earned', db_wins: 'Wins',
    db_pending: 'Being judged', db_of_judged: 'of {n} judged', db_per_day: 'Entries per day', db_per_hour: 'Entries per hour',
    db_range_30: 'Last 30 days', db_range_90: 'Last 90 days', db_range_all: 'Whole period', db_hour_day: 'Day', db_hour_all: 'All days together',
    db_hour_hint: 'Click a bar of the daily chart to see that day by hour.',
    v_accepted: 'Accepted', v_rejected: 'Rejected', v_review: 'In review', v_pending: 'Being judged',
    db_reasons_rejected: 'Top rejection reasons', db_reasons_review: 'Top review reasons', db_reason: 'Reason', db_count: 'Entries',
    db_share: 'Share', db_no_data: 'None yet.', db_prizes: 'Prize stock', db_prize: 'Prize', db_stock: 'Stock',
    db_won: 'Won', db_left: 'Left', db_left_share: 'Left of stock', db_stores: 'Top stores', db_store: 'Store (as read)', db_products: 'Target products found',
    db_product: 'Product', db_entries_col: 'Entries', db_accepted_col: 'Accepted', db_quantity: 'Pieces', db_hour_label: '{h}:00',
    db_period: 'Entry period {start} – {end}', db_status_draft: 'Draft', db_status_published: 'Published', db_status_paused: 'Paused',
    db_status_ended: 'Ended', db_day_total: 'Total {n}', db_sold_out: 'Sold out',
  },
};

const VERDICTS = ['accepted', 'review', 'rejected', 'pending'];
const COLORS = { accepted: '#2e9e64', review: '#e0a800', rejected: '#c0392b', pending: '#9aa3b2' };
const RANGES = [['30', 'db_range_30'], ['90', 'db_range_90'], ['0', 'db_range_all']];

function useCss() {
  const href = new URL('./dashboard.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

const pct = (r) => `${(Number(r || 0) * 100).toFixed(1)}%`;

function kpi(label, value, sub) {
  return h('div', { class: 'kpi' }, h('div', { class: 'k' }, label), h('div', { class: 'v' }, value),
    sub ? h('div', { class: 'muted small' }, sub) : null);
}

function table(cols, rows) {
  if (!rows.length) return h('p', { class: 'muted' }, t('db_no_data'));
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { class: c.num ? 'num' : null }, t(c.label))))),
    h('tbody', {}, rows.map((r) => h('tr', {}, cols.map((c) => h('td', { class: c.num ? 'num' : null }, c.value(r)))))));
}

// "11/25(水)" for a YYYY-MM-DD day, in the console's language.
function dayLabel(day, long = false) {
  const d = new Date(`${day}T00:00:00+09:00`);
  const opts = long ? { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' }
    : { month: 'numeric', day: 'numeric', weekday: 'short' };
  return d.toLocaleDateString(currentLang() === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', ...opts });
}

function stacked(canvas, labels, series, { onClick, titles } = {}) {
  const { Chart } = window;
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: VERDICTS.map((v) => ({
        label: t(`v_${v}`), data: series.map((s) => s[v] || 0), backgroundColor: COLORS[v], stack: 'entries',
        borderWidth: 0, maxBarThickness: 28,
      })),
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: { x: { stacked: true, grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: {
          title: (items) => (titles ? titles[items[0].dataIndex] : items[0].label),
          footer: (items) => t('db_day_total', { n: fmtNum(items.reduce((a, i) => a + i.parsed.y, 0)) }),
        } },
      },
      onClick: onClick ? (ev, els, chart) => {
        const hit = chart.getElementsAtEventForMode(ev, 'index', { intersect: false }, false);
        if (hit.length) onClick(hit[0].index);
      } : undefined,
      onHover: onClick ? (ev, els) => { ev.native.target.classList.toggle('pointer', els.length > 0); } : undefined,
    },
  });
}

async function render(el, params, query) {
  useCss();
  if (!window.Chart) await import('../vendor/chart.umd.js');
  const { campaigns } = await api('dashboard');
  el.replaceChildren(h('h1', {}, t('db_title')));
  if (!campaigns.length) { el.append(h('p', { class: 'muted' }, t('db_none'))); return; }
  const id = query.get('campaign') || campaigns[0].id;
  const range = ['30', '90', '0'].includes(query.get('range')) ? query.get('range') : '30';
  const hourDay = query.get('day') || '';
  const go = (changes) => {
    const q = new URLSearchParams({ campaign: id, range, ...(hourDay ? { day: hourDay } : {}), ...changes });
    for (const [k, v] of [...q]) if (v === '') q.delete(k);
    navigate(`dashboard?${q}`);
  };
  const select = h('select', { name: 'campaign', onchange: () => go({ campaign: select.value, day: '' }) },
    campaigns.map((c) => h('option', { value: c.id, selected: c.id === id },
      `${c.title} (${t(`db_status_${c.status}`)}・${fmtNum(c.entries)})`)));
  const refresh = h('button', { type: 'button', onclick: () => render(el, params, query) }, t('db_refresh'));
  el.append(h('div', { class: 'toolbar db-head' },
    h('label', { class: 'field' }, h('span', {}, t('db_campaign')), select), refresh));

  const d = await api(`dashboard/${encodeURIComponent(id)}${hourDay ? `?day=${encodeURIComponent(hourDay)}` : ''}`);
  const tot = d.totals;
  const c = d.campaign;
  el.append(h('p', { class: 'muted db-sub' }, h('span', { class: `badge ${c.status}` }, t(`db_status_${c.status}`)), ' ',
    t('db_period', { start: fmtTime(c.entry_period.start), end: fmtTime(c.entry_period.end) }), ' ・ ',
    t('db_updated', { at: fmtTime(d.generated_at) })));
  const todayRow = d.days.find((x) => x.day === d.today);
  const todayCount = todayRow ? VERDICTS.reduce((a, v) => a + todayRow[v], 0) : 0;
  el.append(h('div', { class: 'kpis' },
    kpi(t('db_entries'), fmtNum(tot.entries)),
    kpi(t('db_today'), fmtNum(todayCount)),
    kpi(t('db_accepted_rate'), pct(tot.rates.accepted), t('db_of_judged', { n: fmtNum(tot.judged) })),
    kpi(t('db_rejected_rate'), pct(tot.rates.rejected), `${fmtNum(tot.counts.rejected)}`),
    kpi(t('db_review_rate'), pct(tot.rates.review), `${fmtNum(tot.counts.review)}`),
    kpi(t('db_pending'), fmtNum(tot.counts.pending)),
    kpi(t('db_participants'), fmtNum(tot.participants)),
    kpi(t('db_units'), fmtNum(tot.units)),
    kpi(t('db_wins'), fmtNum(tot.wins))));

  // Entries per day: the chosen range of the newest days.
  const days = Number(range) > 0 ? d.days.slice(-Number(range)) : d.days;
  const rangeBtns = h('div', { class: 'seg' }, RANGES.map(([r, key]) =>
    h('button', { type: 'button', class: r === range ? 'on' : null, 'aria-pressed': r === range ? 'true' : 'false',
      onclick: () => go({ range: r }) }, t(key))));
  const dayCanvas = h('canvas', { id: 'db-days', role: 'img', 'aria-label': t('db_per_day') });
  el.append(h('section', { class: 'panel' }, h('div', { class: 'db-panel-head' }, h('h2', {}, t('db_per_day')), rangeBtns),
    h('div', { class: 'chart-box' }, dayCanvas)));

  // Entries per hour of one day (or of every day together).
  const hd = d.hours.day;
  const dayInput = h('input', { type: 'date', name: 'day', value: hd === 'all' ? '' : hd,
    min: d.days[0]?.day, max: d.days[d.days.length - 1]?.day, onchange: () => go({ day: dayInput.value }) });
  const allBtn = h('button', { type: 'button', class: hd === 'all' ? 'on' : null, 'aria-pressed': hd === 'all' ? 'true' : 'false',
    onclick: () => go({ day: 'all' }) }, t('db_hour_all'));
  const hourCanvas = h('canvas', { id: 'db-hours', role: 'img', 'aria-label': t('db_per_hour') });
  el.append(h('section', { class: 'panel' }, h('div', { class: 'db-panel-head' },
    h('h2', {}, t('db_per_hour'), hd === 'all' ? '' : ` — ${dayLabel(hd, true)}`),
    h('div', { class: 'seg' }, h('label', { class: 'inline' }, t('db_hour_day'), ' ', dayInput), allBtn)),
  h('p', { class: 'muted small' }, t('db_hour_hint')), h('div', { class: 'chart-box short' }, hourCanvas)));

  const reasonCols = [
    { label: 'db_reason', value: (r) => h('span', { title: r.reason }, r.label) },
    { label: 'db_count', num: true, value: (r) => fmtNum(r.count) },
    { label: 'db_share', num: true, value: (r) => pct(r.share) },
  ];
  const prizeCols = [
    { label: 'db_prize', value: (p) => [p.name, p.value ? h('small', { class: 'muted' }, ` ${fmtYen(p.value)}`) : null] },
    { label: 'db_stock', num: true, value: (p) => fmtNum(p.stock) },
    { label: 'db_won', num: true, value: (p) => fmtNum(p.won) },
    { label: 'db_left', num: true, value: (p) => (p.left > 0 ? fmtNum(p.left) : h('span', { class: 'badge rejected' }, t('db_sold_out'))) },
    { label: 'db_left_share', value: (p) => h('meter', { min: 0, max: Math.max(1, p.stock), value: p.left, class: 'db-meter',
      title: `${fmtNum(p.left)} / ${fmtNum(p.stock)}` }) },
  ];
  const storeCols = [
    { label: 'db_store', value: (s) => s.name },
    { label: 'db_entries_col', num: true, value: (s) => fmtNum(s.entries) },
    { label: 'db_accepted_col', num: true, value: (s) => fmtNum(s.accepted) },
  ];
  const productCols = [
    { label: 'db_product', value: (p) => p.name },
    { label: 'db_entries_col', num: true, value: (p) => fmtNum(p.entries) },
    { label: 'db_accepted_col', num: true, value: (p) => fmtNum(p.accepted) },
    { label: 'db_quantity', num: true, value: (p) => fmtNum(p.quantity) },
  ];
  const panel = (title, body, cls) => h('section', { class: `panel ${cls || ''}` }, h('h2', {}, t(title)), body);
  el.append(h('div', { class: 'db-grid' },
    panel('db_reasons_rejected', table(reasonCols, d.reasons.rejected), 'db-reasons-rejected'),
    panel('db_reasons_review', table(reasonCols, d.reasons.review), 'db-reasons-review'),
    panel('db_prizes', table(prizeCols, d.prizes), 'db-prizes'),
    panel('db_products', table(productCols, d.products), 'db-products'),
    panel('db_stores', table(storeCols, d.stores), 'db-stores')));

  // Charts last: their canvases are in the page and sized by CSS.
  stacked(dayCanvas, days.map((x) => dayLabel(x.day)), days, {
    titles: days.map((x) => dayLabel(x.day, true)),
    onClick: (i) => go({ day: days[i].day }),
  });
  const hours = d.hours.counts;
  stacked(hourCanvas, hours.map((x) => t('db_hour_label', { h: x.hour })), hours);
}

export default {
  texts,
  routes: [{ path: 'dashboard', nav: 'nav_dashboard', perm: 'campaigns.read', render }],
};
