// Test the reader: staff drop sample receipt photos for a campaign and see
// what was read — the photo with the recognized lines boxed, the fields with
// their confidences, the line items with the target products matched — and
// how the campaign's rules judge it. No entry is created and no stock used
// (POST /api/admin/campaigns/{id}/reader-tests, then polled).
import { api, fmtYen, h, t } from '../core.js';

const texts = {
  ja: {
    nav_reader: '読み取りテスト', rd_title: 'レシート読み取りテスト', rd_campaign: 'キャンペーン',
    rd_intro: 'サンプルのレシート写真で、読み取り結果とキャンペーンの判定を確認できます。応募は作成されず、賞品の在庫も使いません。重複・応募上限・抽選は判定しません。',
    rd_drop: 'ここに写真をドロップ、またはクリックして選択（JPEG・PNG・WebP・HEIC、10枚まで）', rd_together: '複数の写真を1件の応募（合算）として判定する',
    rd_none: '先にキャンペーンを作成してください。', rd_reading: '読み取り中…', rd_queued: '順番待ち…', rd_failed: '読み取りに失敗しました。',
    rd_verdict: '判定', rd_accepted: '応募可', rd_rejected: '応募不可', rd_review: '事務局確認', rd_units: '口数 {n}',
    rd_confidence: '確からしさ', rd_fields: '読み取った項目', rd_items: '商品行', rd_lines: '読み取った行（{n}）',
    rd_field: '項目', rd_value: '値', rd_matched: '対象商品', rd_amount: '金額', rd_qty: '数量', rd_none_read: '（なし）',
    rd_target_qty: '対象商品の数量', rd_target_amount: '対象商品の金額', rd_total_amount: '合計金額', rd_products_found: '見つかった対象商品',
    rd_no_boxes: 'この画像は、枠を重ねて表示できません（ブラウザが表示できない形式、または向きの補正あり）。',
    rd_photo_error: 'この写真は読み取れませんでした: {msg}', rd_rules_version: 'キャンペーン 版{v} のルールで判定',
    fld_store: '店舗名', fld_branch: '支店', fld_phone: '電話番号', fld_registration_number: '登録番号', fld_date: '購入日',
    fld_time: '時刻', fld_subtotal: '小計', fld_total: '合計', fld_tendered: 'お預り', fld_change: 'お釣り',
    fld_receipt_number: 'レシート番号', fld_register: 'レジ', fld_cashier: '担当', rd_item: '商品名',
    rd_status_draft: '下書き', rd_status_published: '公開中', rd_status_paused: '一時停止中', rd_status_ended: '終了',
  },
  en: {
    nav_reader: 'Test the reader', rd_title: 'Test the receipt reader', rd_campaign: 'Campaign',
    rd_intro: 'See what the reader reads from sample receipt photos and how the campaign judges them. No entry is created and no stock is used. Duplicates, caps and the lottery are not checked.',
    rd_drop: 'Drop photos here, or click to choose (JPEG, PNG, WebP, HEIC; up to 10)', rd_together: 'Judge several photos together as one entry (summed)',
    rd_none: 'Create a campaign first.', rd_reading: 'Reading…', rd_queued: 'Waiting…', rd_failed: 'Reading failed.',
    rd_verdict: 'Verdict', rd_accepted: 'Accepted', rd_rejected: 'Rejected', rd_review: 'Goes to review', rd_units: '{n} units',
    rd_confidence: 'Confidence', rd_fields: 'Fields read', rd_items: 'Line items', rd_lines: 'Lines read ({n})',
    rd_field: 'Field', rd_value: 'Value', rd_matched: 'Target product', rd_amount: 'Amount', rd_qty: 'Qty', rd_none_read: '(none)',
    rd_target_qty: 'Target products bought', rd_target_amount: 'Target products amount', rd_total_amount: 'Total amount', rd_products_found: 'Target products found',
    rd_no_boxes: 'Boxes cannot be drawn over this image (a format the browser cannot show, or orientation was corrected).',
    rd_photo_error: 'This photo could not be read: {msg}', rd_rules_version: 'Judged with the rules of campaign version {v}',
    fld_store: 'Store', fld_branch: 'Branch', fld_phone: 'Phone', fld_registration_number: 'Registration no.', fld_date: 'Date',
    fld_time: 'Time', fld_subtotal: 'Subtotal', fld_total: 'Total', fld_tendered: 'Tendered', fld_change: 'Change',
    fld_receipt_number: 'Receipt no.', fld_register: 'Register', fld_cashier: 'Cashier', rd_item: 'Item',
    rd_status_draft: 'draft', rd_status_published: 'published', rd_status_paused: 'paused', rd_status_ended: 'ended',
  },
};

const FIELDS = ['store', 'branch', 'phone', 'registration_number', 'date', 'time', 'subtotal', 'total', 'tendered', 'change',
  'receipt_number', 'register', 'cashier'];
const MONEY = new Set(['subtotal', 'total', 'tendered', 'change']);

function useCss() {
  const href = new URL('./reader.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

const pct = (c) => `${Math.round((c || 0) * 100)}%`;
function confBar(c) {
  const level = c >= 0.9 ? 'high' : c >= 0.7 ? 'mid' : 'low';
  return h('span', { class: `rd-conf ${level}`, title: pct(c) }, h('meter', { min: 0, max: 1, value: c || 0 }), ' ', pct(c));
}

// Boxes are in the pixels of the image the recognizer saw: the photo after
// orientation, paper crop and rotation (prep.c / paper.c), deskew and
// scaling. This undoes those steps (the reader reports each one in "prep")
// so a box can be drawn on the photo as the browser shows it.
export function photoMapper(prep, W, H) {
  if (!prep || prep.quarter_turns) return null;
  const f = prep.scale || 1;
  const [cropX, cropY, cropW, cropH] = prep.crop || [0, 0, 0, 0];
  let Wc = W, Hc = H;
  let toPhoto = (x, y) => [x, y];
  if (cropW > 0) {
    const across = cropW, along = cropH;
    const cx = cropX + cropW / 2, cy = cropY + cropH / 2;
    const a = (prep.paper_deg * Math.PI) / 180;
    const hw = ((Math.abs(Math.cos(a)) * across + Math.abs(Math.sin(a)) * along) / 2) * 1.04 + 8;
    const hh = ((Math.abs(Math.sin(a)) * across + Math.abs(Math.cos(a)) * along) / 2) * 1.04 + 8;
    const x0 = Math.trunc(Math.max(0, cx - hw)), y0 = Math.trunc(Math.max(0, cy - hh));
    const x1 = Math.trunc(Math.min(W, cx + hw)), y1 = Math.trunc(Math.min(H, cy + hh));
    const ox = (x1 - x0) / 2, oy = (y1 - y0) / 2;
    const rx = ox + Math.cos(a) * (cx - x0 - ox) - Math.sin(a) * (cy - y0 - oy);
    const ry = oy + Math.sin(a) * (cx - x0 - ox) + Math.cos(a) * (cy - y0 - oy);
    const bx0 = Math.trunc(Math.max(0, rx - (across * 1.03 + 6) / 2)), by0 = Math.trunc(Math.max(0, ry - (along * 1.03 + 6) / 2));
    const bx1 = Math.trunc(Math.min(x1 - x0, rx + (across * 1.03 + 6) / 2));
    const by1 = Math.trunc(Math.min(y1 - y0, ry + (along * 1.03 + 6) / 2));
    Wc = bx1 - bx0;
    Hc = by1 - by0;
    const rot = Math.abs(prep.paper_deg) > 0.2;
    const ca = rot ? Math.cos(a) : 1, sa = rot ? Math.sin(a) : 0;
    toPhoto = (x, y) => {
      const u = x + bx0 - ox, v = y + by0 - oy;
      return [ox + ca * u + sa * v + x0, oy - sa * u + ca * v + y0];
    };
  }
  const s = ((prep.skew_deg || 0) * Math.PI) / 180, cs = Math.cos(s), sn = Math.sin(s);
  return (x, y) => {
    const px = x / f - Wc / 2, py = y / f - Hc / 2;
    return toPhoto(Wc / 2 + cs * px + sn * py, Hc / 2 - sn * px + cs * py);
  };
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

// The photo with every recognized line as a polygon; lines of matched
// target products stand out. Returns {el, highlight(i)}.
function photoView(file, receipt, hitLines) {
  const url = URL.createObjectURL(file);
  const img = h('img', { src: url, alt: file.name });
  const overlay = svg('svg', { class: 'rd-boxes', preserveAspectRatio: 'none' });
  const wrap = h('div', { class: 'rd-photo' }, img, overlay);
  const note = h('p', { class: 'muted rd-note' });
  const polys = [];
  img.addEventListener('load', () => {
    const W = img.naturalWidth, H = img.naturalHeight;
    overlay.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const map = photoMapper(receipt.prep, W, H);
    if (!map) { note.textContent = t('rd_no_boxes'); return; }
    (receipt.lines || []).forEach((line, i) => {
      const [x, y, w, hh] = line.box || [];
      if (!(w > 0 && hh > 0)) return;
      const pts = [[x, y], [x + w, y], [x + w, y + hh], [x, y + hh]].map(([px, py]) => map(px, py).map((n) => n.toFixed(1)).join(','));
      const p = svg('polygon', { points: pts.join(' '), class: hitLines.has(i) ? 'hit' : line.confidence < 0.7 ? 'weak' : 'line' });
      const title = svg('title', {});
      title.textContent = `${line.text} (${pct(line.confidence)})`;
      p.append(title);
      overlay.append(p);
      polys[i] = p;
    });
  });
  img.addEventListener('error', () => { note.textContent = t('rd_no_boxes'); wrap.hidden = true; });
  return {
    el: h('div', {}, wrap, note),
    highlight(i, on) { polys[i]?.classList.toggle('focus', on); },
  };
}

function verdictBox(result) {
  const j = result.judgement;
  const found = (j.summary?.products || []).map((p) => `${p.name} ×${p.quantity}`).join('、');
  return h('div', { class: `rd-verdict ${j.status}` },
    h('div', { class: 'rd-verdict-head' }, h('span', { class: `badge ${j.status}` }, t(`rd_${j.status}`)),
      j.status === 'accepted' ? h('span', {}, t('rd_units', { n: j.units })) : null,
      h('span', { class: 'muted' }, t('rd_confidence'), ' ', confBar(j.confidence))),
    j.message ? h('p', { class: 'rd-reason' }, j.message, ' ', h('code', {}, j.reason)) : null,
    h('dl', { class: 'rd-facts' },
      h('dt', {}, t('rd_products_found')), h('dd', {}, found || t('rd_none_read')),
      h('dt', {}, t('rd_target_qty')), h('dd', {}, String(j.target_quantity)),
      h('dt', {}, t('rd_target_amount')), h('dd', {}, fmtYen(j.target_amount)),
      h('dt', {}, t('rd_total_amount')), h('dd', {}, fmtYen(j.total_amount))),
    h('p', { class: 'muted' }, t('rd_rules_version', { v: result.campaign_version })));
}

function receiptView(file, receipt) {
  if (receipt.error) return h('div', { class: 'rd-receipt' }, h('p', { class: 'form-error' }, t('rd_photo_error', { msg: receipt.error.message })));
  const items = receipt.items?.value || [];
  const matchByItem = new Map((receipt.matches || []).map((m) => [m.item, m]));
  const hitLines = new Set((receipt.matches || []).map((m) => items[m.item]?.line).filter((l) => l !== undefined));
  const photo = photoView(file, receipt, hitLines);
  const hover = (line) => ({ onmouseenter: () => photo.highlight(line, true), onmouseleave: () => photo.highlight(line, false) });
  const fields = h('table', { class: 'grid rd-fields' },
    h('thead', {}, h('tr', {}, h('th', {}, t('rd_field')), h('th', {}, t('rd_value')), h('th', {}, t('rd_confidence')))),
    h('tbody', {}, FIELDS.map((k) => {
      const f = receipt[k];
      const v = f?.value;
      return h('tr', {}, h('td', {}, t(`fld_${k}`)),
        h('td', {}, v === undefined || v === null ? h('span', { class: 'muted' }, t('rd_none_read')) : MONEY.has(k) ? fmtYen(v) : String(v)),
        h('td', {}, f ? confBar(f.confidence) : ''));
    })));
  const itemRows = h('table', { class: 'grid rd-items' },
    h('thead', {}, h('tr', {}, h('th', {}, t('rd_item')), h('th', { class: 'num' }, t('rd_qty')),
      h('th', { class: 'num' }, t('rd_amount')), h('th', {}, t('rd_matched')), h('th', {}, t('rd_confidence')))),
    h('tbody', {}, items.map((it, i) => {
      const m = matchByItem.get(i);
      return h('tr', { class: m ? 'rd-hit' : null, ...hover(it.line) }, h('td', {}, it.name),
        h('td', { class: 'num' }, String(it.quantity)), h('td', { class: 'num' }, fmtYen(it.amount)),
        h('td', {}, m ? h('strong', {}, m.product) : ''), h('td', {}, confBar(it.confidence)));
    })));
  const lines = (receipt.lines || []).map((l, i) => h('li', { ...hover(i), class: hitLines.has(i) ? 'rd-hit' : null },
    h('span', {}, l.text), ' ', h('small', { class: 'muted' }, pct(l.confidence))));
  return h('div', { class: 'rd-receipt' }, photo.el,
    h('div', { class: 'rd-data' }, h('h3', {}, t('rd_fields')), fields, h('h3', {}, t('rd_items')), itemRows,
      h('details', {}, h('summary', {}, t('rd_lines', { n: lines.length })), h('ol', { class: 'rd-lines' }, lines))));
}

async function runTest(campaignId, files, card) {
  const body = new FormData();
  for (const f of files) body.append('receipt', f, f.name);
  const status = h('p', { class: 'muted' }, t('rd_queued'));
  card.replaceChildren(h('h3', {}, files.map((f) => f.name).join('、')), status);
  let test;
  try {
    test = (await api(`campaigns/${campaignId}/reader-tests`, { body })).test;
    const deadline = Date.now() + 5 * 60 * 1000;
    while (test.status === 'queued' || test.status === 'reading') {
      status.textContent = t(test.status === 'reading' ? 'rd_reading' : 'rd_queued');
      if (Date.now() > deadline) throw new Error(t('rd_failed'));
      await new Promise((r) => setTimeout(r, 700));
      test = (await api(`campaigns/${campaignId}/reader-tests/${test.id}`)).test;
    }
  } catch (err) {
    status.replaceWith(h('p', { class: 'form-error', role: 'alert' }, err.message));
    return;
  }
  if (test.status !== 'done') { status.replaceWith(h('p', { class: 'form-error', role: 'alert' }, t('rd_failed'))); return; }
  const receipts = test.result.receipts;
  card.replaceChildren(h('h3', {}, files.map((f) => f.name).join('、')), verdictBox(test.result),
    ...receipts.map((r, i) => receiptView(files[i], r)));
}

async function render(el, params, query) {
  useCss();
  const { campaigns } = await api('campaigns');
  if (!campaigns.length) {
    el.replaceChildren(h('h1', {}, t('rd_title')), h('section', { class: 'panel' }, h('p', { class: 'muted' }, t('rd_none'))));
    return;
  }
  const chosen = query.get('campaign');
  const pick = h('select', { name: 'campaign' }, campaigns.map((c) => h('option', { value: c.id, selected: c.id === chosen },
    `${c.title}（${t(`rd_status_${c.status}`)}）`)));
  const together = h('input', { type: 'checkbox', name: 'together' });
  const files = h('input', { type: 'file', accept: 'image/*,.heic,.heif', multiple: true, class: 'rd-file' });
  const drop = h('label', { class: 'rd-drop' }, files, h('span', {}, t('rd_drop')));
  const results = h('div', { class: 'rd-results' });
  function start(list) {
    const photos = Array.from(list).slice(0, 10);
    if (!photos.length) return;
    const groups = together.checked ? [photos] : photos.map((p) => [p]);
    for (const g of groups) {
      const card = h('section', { class: 'panel rd-card' });
      results.prepend(card);
      runTest(pick.value, g, card);
    }
  }
  files.addEventListener('change', () => { start(files.files); files.value = ''; });
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => { ev.preventDefault(); drop.classList.remove('over'); start(ev.dataTransfer.files); });
  el.replaceChildren(h('h1', {}, t('rd_title')),
    h('section', { class: 'panel' }, h('p', { class: 'muted' }, t('rd_intro')),
      h('div', { class: 'toolbar' }, h('label', { class: 'field' }, h('span', {}, t('rd_campaign')), pick),
        h('label', { class: 'rd-check' }, together, ' ', t('rd_together'))),
      drop),
    results);
}

export default {
  texts,
  routes: [{ path: 'reader', nav: 'nav_reader', perm: 'campaigns.test', render }],
};
