// The audit log: every staff action, newest first, filtered by action,
// person and time; paged by cursor; exportable.
import { api, download, fmtTime, h, t, toast } from '../core.js';

const texts = {
  ja: {
    nav_audit: '操作ログ', audit_title: '操作ログ（監査ログ）', a_at: '日時 (JST)', a_actor: '実行者', a_action: '操作',
    a_object: '対象', a_outcome: '結果', a_client: '接続元', a_request: 'リクエストID', a_filter: '絞り込み',
    a_since: '開始日', a_until: '終了日', a_more: 'さらに表示', a_none: '該当する記録はありません。',
    a_export: 'CSVで出力', a_help: '記録は追記のみで、ハッシュの連鎖で改ざんを検出できます（recam audit verify）。',
    outcome_success: '成功', outcome_failure: '失敗', outcome_denied: '拒否',
  },
  en: {
    nav_audit: 'Audit log', audit_title: 'Audit log', a_at: 'Time (JST)', a_actor: 'Who', a_action: 'Action',
    a_object: 'Object', a_outcome: 'Outcome', a_client: 'From', a_request: 'Request id', a_filter: 'Filter',
    a_since: 'From date', a_until: 'To date', a_more: 'Show more', a_none: 'No records match.',
    a_export: 'Export CSV', a_help: 'Records are append-only and hash-chained, so edits are detected (recam audit verify).',
    outcome_success: 'success', outcome_failure: 'failure', outcome_denied: 'denied',
  },
};

// A date input (YYYY-MM-DD, Asia/Tokyo) as the RFC 3339 start of that day
// (or of the day after, for an inclusive end date).
function dayStart(v, plusDays = 0) {
  const ms = Date.parse(`${v}T00:00:00+09:00`) + plusDays * 86400000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function render(el, params, query) {
  const action = h('input', { type: 'text', value: query.get('action') || '', placeholder: 'login, campaign.update …', name: 'action' });
  const actor = h('input', { type: 'text', value: query.get('actor') || '', name: 'actor', placeholder: 'user id' });
  const since = h('input', { type: 'date', value: query.get('since') || '', name: 'since' });
  const until = h('input', { type: 'date', value: query.get('until') || '', name: 'until' });
  const tbody = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, t('a_more'));
  const empty = h('p', { class: 'muted', hidden: true }, t('a_none'));
  let cursor = null;

  const filters = () => {
    const q = new URLSearchParams();
    if (action.value.trim()) q.set('action', action.value.trim());
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (since.value) q.set('since', dayStart(since.value));
    if (until.value) q.set('until', dayStart(until.value, 1));
    return q;
  };
  async function load(reset) {
    const q = filters();
    if (!reset && cursor) q.set('cursor', cursor);
    const data = await api(`audit?${q}`);
    if (reset) tbody.replaceChildren();
    for (const r of data.records) {
      tbody.append(h('tr', {}, h('td', { class: 'nowrap' }, fmtTime(r.at)),
        h('td', {}, r.actor_name || r.actor, r.actor_name ? h('small', { class: 'id' }, r.actor) : null),
        h('td', {}, r.action), h('td', {}, r.object_type ? `${r.object_type} ${r.object_id}` : ''),
        h('td', {}, h('span', { class: `badge ${r.outcome}` }, t(`outcome_${r.outcome}`))),
        h('td', {}, r.client), h('td', { class: 'muted' }, r.request_id)));
    }
    cursor = data.next_cursor;
    more.hidden = !cursor;
    empty.hidden = tbody.children.length > 0;
  }
  more.addEventListener('click', () => load(false).catch((err) => toast(err.message, 'error')));
  const form = h('form', { class: 'toolbar' },
    h('label', { class: 'field' }, h('span', {}, t('a_action')), action),
    h('label', { class: 'field' }, h('span', {}, t('a_actor')), actor),
    h('label', { class: 'field' }, h('span', {}, t('a_since')), since),
    h('label', { class: 'field' }, h('span', {}, t('a_until')), until),
    h('button', { type: 'submit', class: 'primary' }, t('a_filter')), h('span', { class: 'spacer' }),
    // The screen needs audit.read, which is also the export's permission.
    h('button', { type: 'button', onclick: async () => {
      try { await download(await api(`audit/export?${filters()}`, { raw: true }), 'audit.csv'); } catch (err) { toast(err.message, 'error'); }
    } }, t('a_export')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(true).catch((err) => toast(err.message, 'error')); });
  el.replaceChildren(h('h1', {}, t('audit_title')), h('p', { class: 'muted' }, t('a_help')), form,
    h('section', { class: 'panel' }, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['a_at', 'a_actor', 'a_action', 'a_object', 'a_outcome', 'a_client', 'a_request'].map((k) => h('th', {}, t(k))))),
      tbody), empty, h('div', { class: 'pager' }, more)));
  await load(true);
}

export default { texts, routes: [{ path: 'audit', nav: 'nav_audit', perm: 'audit.read', render }] };
