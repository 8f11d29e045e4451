// The closed draw (締め切り後の抽選): per campaign, the commitment published
// before the draw (SHA-256 of the secret seed and of the eligible list), the
// run with a confirmation, winners and alternates in their published order,
// verification from the published files, forfeits (the next alternate is
// promoted) and the re-draw of wins unclaimed past their deadline.
import { api, can, download, field, fmtNum, fmtTime, h, navigate, showErrors, t, toast } from '../core.js';

const texts = {
  ja: {
    nav_draw: '抽選', dw_title: '抽選',
    dw_cst_draft: '下書き', dw_cst_published: '公開中', dw_cst_paused: '一時停止中', dw_cst_ended: '終了', dw_pick: '抽選するキャンペーンを選んでください。', dw_col_campaign: 'キャンペーン',
    dw_col_status: '状態', dw_col_period: '応募期間', dw_open: '開く', dw_back: 'キャンペーン一覧へ',
    dw_none_campaigns: 'キャンペーンはまだありません。',
    dw_step1: '1. 準備', dw_step1_b: 'コミットメントを公開', dw_step2: '2. 抽選', dw_step2_b: '当選者と補欠を決定',
    dw_step3: '3. 検証・当選管理', dw_step3_b: '公開データで誰でも検証',
    dw_mode: '抽選方式', dw_mode_uniform: '均等（1応募1口）', dw_mode_weighted: '口数による重み付け', dw_mode_none: '抽選なし',
    dw_one_win: '当選は1人1回まで', dw_yes: 'はい', dw_no: 'いいえ', dw_claim_days: '送付先の入力期限', dw_days: '当選から{n}日',
    dw_entry_end: '応募受付終了', dw_not_closed: '応募受付中のため、まだ抽選できません。キャンペーンを終了するか、応募期間の終了後に行ってください。',
    dw_no_draw: 'このキャンペーンには締め切り後の抽選がありません（キャンペーン設定の「締め切り後の抽選」）。',
    dw_prepare: '抽選の準備', dw_prepare_help: '準備すると、秘密のシードのハッシュ（SHA-256）と、抽選対象の応募リストのハッシュを公開用に確定します。抽選後にシードを公開すれば、誰でも同じ当選者を再現して検証できます。',
    dw_eligible: '抽選対象の応募', dw_pending: '未確定の応募が{n}件あります（審査中・読み取り中）。準備後に確定した応募は抽選の対象になりません。',
    dw_winners: '当選者数', dw_alternates: '補欠の数', dw_commit: '準備してコミットメントを公開',
    dw_confirm_commit: '抽選対象を {n} 件の応募で確定し、コミットメントを公開します。よろしいですか？',
    dw_committed: 'コミットメントを公開しました。', dw_commitment: '公開済みのコミットメント', dw_seed_hash: 'シードのSHA-256',
    dw_list_hash: '対象リストのSHA-256', dw_entries: '対象の応募数', dw_total_weight: '口数の合計', dw_k: '当選者数', dw_a: '補欠の数',
    dw_committed_at: '公開日時', dw_executed_at: '抽選日時', dw_files: '公開ファイル',
    dw_run_title: '抽選の実行', dw_run_help: '実行すると、公開済みのコミットメントに従って当選者と補欠が決まり、やり直しはできません。',
    dw_run: '抽選を実行する', dw_confirm_run: '抽選を実行します。実行後はやり直せません。よろしいですか？', dw_ran: '抽選を実行しました。',
    dw_result: '抽選結果', dw_seed: '公開シード', dw_winners_list: '当選者（抽選順）', dw_alternates_list: '補欠（繰り上げ順）',
    dw_col_pos: '順位', dw_col_entry: '応募ID', dw_col_win: '当選ID', dw_col_state: '状態', dw_col_deadline: '送付先入力期限',
    dw_col_action: '操作', dw_col_rank: '補欠順位', dw_col_replaces: '繰り上げ元', dw_waiting: '待機中',
    st_won: '当選（送付先未入力）', st_claimed: '送付先入力済み', st_shipped: '発送済み', st_forfeited: '無効',
    dw_expired: '期限切れ', dw_forfeit: '無効にする', dw_reason: '理由', rs_declined: '辞退', rs_ineligible: '資格なし・不正',
    rs_undeliverable: '宛先不明', rs_other: 'その他', rs_unclaimed: '期限内に未入力', dw_do_forfeit: '無効にして繰り上げる', dw_cancel: 'やめる',
    dw_confirm_forfeit: 'この当選を無効にします。抽選の当選なら次の補欠が繰り上がります。よろしいですか？',
    dw_forfeited_promoted: '無効にしました。補欠{rank}位（応募ID {entry}）を繰り上げました。',
    dw_forfeited_none: '無効にしました。繰り上げられる補欠が残っていません。', dw_forfeited_stock: '無効にしました。賞品の在庫を1つ戻しました。',
    dw_verify: '検証する', dw_verify_help: '公開シードと対象リストから当選者と補欠を再計算し、公開結果・事前に公開したコミットメント・記録された当選と照合します。',
    dw_redraw: '受取期限切れの再抽選', dw_redraw_help: '送付先の入力期限を過ぎた当選を無効にし、抽選の当選は補欠から繰り上げ、即時当選は賞品の在庫に戻します。',
    dw_redraw_due: '期限切れの当選: {n}件', dw_redraw_go: '再抽選を実行', dw_confirm_redraw: '期限切れの当選 {n} 件を無効にして繰り上げます。よろしいですか？',
    dw_redrawn: '{n}件を無効にしました（繰り上げ {p}件、在庫に戻した賞品 {s}件）。',
    dw_counts: '当選の状況', dw_winners_page: '当選者・発送の管理へ', dw_cli_hint: 'コマンドでも検証できます: recam draw verify result.json eligible.tsv commitment.json',
  },
  en: {
    nav_draw: 'Draw', dw_title: 'Draw',
    dw_cst_draft: 'draft', dw_cst_published: 'published', dw_cst_paused: 'paused', dw_cst_ended: 'ended', dw_pick: 'Choose the campaign to draw.', dw_col_campaign: 'Campaign',
    dw_col_status: 'Status', dw_col_period: 'Entry period', dw_open: 'Open', dw_back: 'All campaigns',
    dw_none_campaigns: 'There are no campaigns yet.',
    dw_step1: '1. Commit', dw_step1_b: 'Publish the commitment', dw_step2: '2. Draw', dw_step2_b: 'Winners and alternates',
    dw_step3: '3. Verify and manage', dw_step3_b: 'Anyone can verify',
    dw_mode: 'Draw', dw_mode_uniform: 'Uniform (one chance per entry)', dw_mode_weighted: 'Weighted by units', dw_mode_none: 'No draw',
    dw_one_win: 'One win per participant', dw_yes: 'yes', dw_no: 'no', dw_claim_days: 'Claim period', dw_days: '{n} days from the win',
    dw_entry_end: 'Entries close', dw_not_closed: 'Entries are still open: end the campaign or wait until the entry period is over.',
    dw_no_draw: 'This campaign has no closed draw (see the campaign settings).',
    dw_prepare: 'Commit the draw', dw_prepare_help: 'Committing fixes the SHA-256 of a secret seed and of the list of eligible entries for publication. After the draw the seed is published, so anyone can re-derive the same winners.',
    dw_eligible: 'Eligible entries', dw_pending: '{n} entries are not decided yet (in review or being read). Entries decided after the commitment are not in the draw.',
    dw_winners: 'Winners', dw_alternates: 'Alternates', dw_commit: 'Commit and publish',
    dw_confirm_commit: 'Fix the draw on {n} eligible entries and publish the commitment?',
    dw_committed: 'The commitment is published.', dw_commitment: 'Published commitment', dw_seed_hash: 'Seed SHA-256',
    dw_list_hash: 'List SHA-256', dw_entries: 'Eligible entries', dw_total_weight: 'Total weight', dw_k: 'Winners', dw_a: 'Alternates',
    dw_committed_at: 'Published', dw_executed_at: 'Drawn', dw_files: 'Published files',
    dw_run_title: 'Run the draw', dw_run_help: 'Running draws the winners and alternates from the published commitment. It cannot be undone.',
    dw_run: 'Run the draw', dw_confirm_run: 'Run the draw now? It cannot be undone.', dw_ran: 'The draw has run.',
    dw_result: 'Result', dw_seed: 'Published seed', dw_winners_list: 'Winners (in order drawn)', dw_alternates_list: 'Alternates (in order)',
    dw_col_pos: '#', dw_col_entry: 'Entry', dw_col_win: 'Win', dw_col_state: 'Status', dw_col_deadline: 'Claim by',
    dw_col_action: 'Action', dw_col_rank: 'Rank', dw_col_replaces: 'Replaces', dw_waiting: 'waiting',
    st_won: 'won (no details yet)', st_claimed: 'claimed', st_shipped: 'shipped', st_forfeited: 'forfeited',
    dw_expired: 'expired', dw_forfeit: 'Forfeit', dw_reason: 'Reason', rs_declined: 'declined', rs_ineligible: 'ineligible',
    rs_undeliverable: 'undeliverable', rs_other: 'other', rs_unclaimed: 'unclaimed', dw_do_forfeit: 'Forfeit and promote', dw_cancel: 'Cancel',
    dw_confirm_forfeit: 'Forfeit this win? For a draw win the next alternate is promoted.',
    dw_forfeited_promoted: 'Forfeited. Alternate {rank} (entry {entry}) is promoted.',
    dw_forfeited_none: 'Forfeited. No alternate is left to promote.', dw_forfeited_stock: 'Forfeited. The prize went back to stock.',
    dw_verify: 'Verify', dw_verify_help: 'Re-derives the winners and alternates from the published seed and list and checks them against the published result, the commitment published before, and the wins recorded.',
    dw_redraw: 'Re-draw unclaimed wins', dw_redraw_help: 'Forfeits wins whose claim deadline passed without delivery details: draw wins go to the next alternates, instant wins give their prize back to stock.',
    dw_redraw_due: 'Past their deadline: {n}', dw_redraw_go: 'Re-draw now', dw_confirm_redraw: 'Forfeit {n} unclaimed wins and promote alternates?',
    dw_redrawn: '{n} forfeited ({p} alternates promoted, {s} prizes back in stock).',
    dw_counts: 'Wins', dw_winners_page: 'Winners and shipping', dw_cli_hint: 'From the command line: recam draw verify result.json eligible.tsv commitment.json',
  },
};

const REASONS = ['declined', 'ineligible', 'undeliverable', 'other'];

function useCss() {
  const href = new URL('./draw.css', import.meta.url).href;
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

const badge = (status, label) => h('span', { class: `badge ${status}` }, label || t(`st_${status}`));

// The campaigns, as a table to choose from (shared by the winners screen).
export async function campaignPicker(el, title, intro, target) {
  const { campaigns } = await api('campaigns');
  const tbody = h('tbody', {}, campaigns.map((c) => h('tr', { class: 'clickable', onclick: () => navigate(`${target}/${c.id}`) },
    h('td', {}, h('a', { href: `#/${target}/${c.id}` }, c.title), h('small', { class: 'id' }, c.slug)),
    h('td', {}, h('span', { class: `badge ${c.status}` }, t(`dw_cst_${c.status}`))),
    h('td', { class: 'nowrap' }, `${fmtTime(c.entry_period.start)} – ${fmtTime(c.entry_period.end)}`))));
  el.replaceChildren(h('h1', {}, title), h('p', { class: 'muted' }, intro),
    campaigns.length ? h('section', { class: 'panel' }, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['dw_col_campaign', 'dw_col_status', 'dw_col_period'].map((k) => h('th', {}, t(k))))), tbody))
      : h('p', { class: 'muted' }, t('dw_none_campaigns')));
}

function facts(pairs) {
  return h('dl', { class: 'dw-facts' }, pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

async function fileButton(id, name) {
  try {
    await download(await api(`campaigns/${id}/draw/files/${name}`, { raw: true }), name);
  } catch (err) { toast(err.message, 'error'); }
}

function commitmentPanel(d) {
  const c = d.commitment;
  const files = ['commitment.json', 'eligible.tsv'].concat(d.state === 'executed' ? ['result.json'] : []);
  return h('section', { class: 'panel dw-commitment' }, h('h2', {}, t('dw_commitment')),
    facts([['dw_seed_hash', h('code', { class: 'hash' }, c.seed_sha256)], ['dw_list_hash', h('code', { class: 'hash' }, c.list_sha256)],
      ['dw_entries', fmtNum(c.entries)], ['dw_total_weight', fmtNum(c.total_weight)], ['dw_k', fmtNum(c.winners_wanted)],
      ['dw_a', fmtNum(c.alternates_wanted)], ['dw_committed_at', fmtTime(d.committed_at)],
      d.executed_at ? ['dw_executed_at', fmtTime(d.executed_at)] : null]),
    h('div', { class: 'dw-actions' }, h('span', { class: 'muted' }, t('dw_files')),
      files.map((f) => h('button', { type: 'button', onclick: () => fileButton(d.campaign.id, f) }, f))));
}

// A forfeit control: the button opens a reason and a confirmation in place.
function forfeitCell(d, win, reload) {
  if (!can('draw.run') || !win || !['won', 'claimed'].includes(win.status)) return h('td', {});
  const td = h('td', { class: 'nowrap' });
  const open = () => {
    const reason = h('select', { name: 'reason' }, REASONS.map((r) => h('option', { value: r }, t(`rs_${r}`))));
    const go = h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!confirm(t('dw_confirm_forfeit'))) return;
      go.disabled = true;
      try {
        const { forfeit: f } = await api(`campaigns/${d.campaign.id}/wins/${win.id}/forfeit`, { body: { reason: reason.value } });
        toast(f.promoted ? t('dw_forfeited_promoted', { rank: f.promoted.rank, entry: f.promoted.entry_id })
          : f.stock_returned ? t('dw_forfeited_stock') : t('dw_forfeited_none'));
        await reload();
      } catch (err) { toast(err.message, 'error'); go.disabled = false; }
    } }, t('dw_do_forfeit'));
    td.replaceChildren(h('span', { class: 'dw-inline' }, h('label', { class: 'dw-inline' }, t('dw_reason'), reason), go,
      h('button', { type: 'button', onclick: () => td.replaceChildren(btn) }, t('dw_cancel'))));
  };
  const btn = h('button', { type: 'button', onclick: open }, t('dw_forfeit'));
  td.append(btn);
  return td;
}

function winState(win) {
  if (!win) return badge('waiting', t('dw_waiting'));
  return h('span', {}, badge(win.status), win.claim_expired ? h('span', { class: 'badge forfeited' }, t('dw_expired')) : null,
    win.forfeit_reason ? h('small', { class: 'id' }, t(`rs_${win.forfeit_reason}`)) : null);
}

function resultPanel(d, reload) {
  const r = d.result;
  const winners = h('table', { class: 'grid dw-winners' },
    h('thead', {}, h('tr', {}, ['dw_col_pos', 'dw_col_entry', 'dw_col_win', 'dw_col_state', 'dw_col_deadline', 'dw_col_action'].map((k) => h('th', {}, t(k))))),
    h('tbody', {}, r.winners.map((w) => h('tr', {}, h('td', { class: 'num' }, w.position), h('td', {}, h('code', {}, w.entry_id)),
      h('td', {}, w.win ? h('code', {}, w.win.id) : ''), h('td', {}, winState(w.win)),
      h('td', { class: 'nowrap' }, w.win ? fmtTime(w.win.claim_deadline) : ''), forfeitCell(d, w.win, reload)))));
  const alternates = h('table', { class: 'grid dw-alternates' },
    h('thead', {}, h('tr', {}, ['dw_col_rank', 'dw_col_entry', 'dw_col_state', 'dw_col_replaces', 'dw_col_action'].map((k) => h('th', {}, t(k))))),
    h('tbody', {}, r.alternates.map((a) => h('tr', {}, h('td', { class: 'num' }, a.rank), h('td', {}, h('code', {}, a.entry_id)),
      h('td', {}, winState(a.win)), h('td', {}, a.win?.replaces ? h('code', {}, a.win.replaces) : ''), forfeitCell(d, a.win, reload)))));
  return h('section', { class: 'panel dw-result' }, h('h2', {}, t('dw_result')),
    facts([['dw_seed', h('code', { class: 'hash' }, r.seed)]]),
    h('h2', {}, t('dw_winners_list')), winners,
    h('h2', {}, t('dw_alternates_list')), r.alternates.length ? alternates : h('p', { class: 'muted' }, '—'));
}

function verifyPanel(d) {
  const out = h('div', { class: 'dw-verify-out', role: 'status' });
  const btn = h('button', { type: 'button', class: 'primary', onclick: async () => {
    btn.disabled = true;
    try {
      const v = await api(`campaigns/${d.campaign.id}/draw/verify`);
      out.replaceChildren(h('div', { class: v.verified ? 'dw-ok' : 'dw-bad' }, (v.verified ? '✓ ' : '✗ ') + v.message,
        v.detail ? h('small', { class: 'id' }, v.detail) : null));
    } catch (err) { toast(err.message, 'error'); } finally { btn.disabled = false; }
  } }, t('dw_verify'));
  return h('section', { class: 'panel' }, h('h2', {}, t('dw_verify')), h('p', { class: 'muted' }, t('dw_verify_help')),
    h('div', { class: 'dw-actions' }, btn), out, h('p', { class: 'muted' }, h('small', {}, t('dw_cli_hint'))));
}

function redrawPanel(d, reload) {
  const n = d.redraw_due;
  const btn = can('draw.run') ? h('button', { type: 'button', disabled: n === 0, onclick: async () => {
    if (!confirm(t('dw_confirm_redraw', { n }))) return;
    btn.disabled = true;
    try {
      const res = await api(`campaigns/${d.campaign.id}/draw/redraw`, { body: {} });
      toast(t('dw_redrawn', { n: res.forfeited, p: res.results.filter((x) => x.promoted).length,
        s: res.results.filter((x) => x.stock_returned).length }));
      await reload();
    } catch (err) { toast(err.message, 'error'); btn.disabled = false; }
  } }, t('dw_redraw_go')) : null;
  return h('section', { class: 'panel' }, h('h2', {}, t('dw_redraw')), h('p', { class: 'muted' }, t('dw_redraw_help')),
    h('div', { class: 'dw-actions' }, h('strong', {}, t('dw_redraw_due', { n })), btn));
}

function commitPanel(d, reload) {
  const closed = d.campaign.closed;
  const winners = h('input', { type: 'number', min: 1, step: 1, value: d.defaults.winners });
  const alternates = h('input', { type: 'number', min: 0, step: 1, value: d.defaults.alternates });
  const form = h('form', { class: 'form', novalidate: true },
    field('winners', t('dw_winners'), winners), field('alternates', t('dw_alternates'), alternates),
    h('div', { class: 'field' }, h('span', {}, '\u00a0'), h('button', { type: 'submit', class: 'primary', disabled: !closed || !can('draw.run') }, t('dw_commit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!confirm(t('dw_confirm_commit', { n: fmtNum(d.eligible) }))) return;
    try {
      await api(`campaigns/${d.campaign.id}/draw/commit`, { body: { winners: Number(winners.value), alternates: Number(alternates.value) } });
      toast(t('dw_committed'));
      await reload();
    } catch (err) { showErrors(form, err); }
  });
  return h('section', { class: 'panel dw-prepare' }, h('h2', {}, t('dw_prepare')), h('p', { class: 'muted' }, t('dw_prepare_help')),
    facts([['dw_eligible', h('strong', {}, fmtNum(d.eligible))]]),
    d.pending_review ? h('p', { class: 'dw-note' }, t('dw_pending', { n: fmtNum(d.pending_review) })) : null,
    !closed ? h('p', { class: 'dw-note' }, t('dw_not_closed')) : null, form);
}

function runPanel(d, reload) {
  const btn = h('button', { type: 'button', class: 'primary', disabled: !can('draw.run'), onclick: async () => {
    if (!confirm(t('dw_confirm_run'))) return;
    btn.disabled = true;
    try {
      await api(`campaigns/${d.campaign.id}/draw/run`, { body: {} });
      toast(t('dw_ran'));
      await reload();
    } catch (err) { toast(err.message, 'error'); btn.disabled = false; }
  } }, t('dw_run'));
  return h('section', { class: 'panel dw-run' }, h('h2', {}, t('dw_run_title')), h('p', { class: 'muted' }, t('dw_run_help')),
    h('div', { class: 'dw-actions' }, btn));
}

async function renderCampaign(el, params) {
  useCss();
  const reload = async () => {
    const d = await api(`campaigns/${params.id}/draw`);
    const c = d.campaign;
    const step = d.state === 'none' ? 1 : d.state === 'committed' ? 2 : 3;
    const steps = h('div', { class: 'dw-steps' }, [1, 2, 3].map((i) => h('div', { class: `dw-step${i < step ? ' done' : i === step ? ' current' : ''}` },
      t(`dw_step${i}`), h('b', {}, t(`dw_step${i}_b`)))));
    const about = h('section', { class: 'panel' }, facts([['dw_mode', t(`dw_mode_${c.draw}`)],
      ['dw_entry_end', fmtTime(c.entry_end)], ['dw_one_win', t(c.one_win_per_participant ? 'dw_yes' : 'dw_no')],
      ['dw_claim_days', t('dw_days', { n: c.claim_days })]]));
    const counts = h('div', { class: 'kpis' }, ['won', 'claimed', 'shipped', 'forfeited'].map((s) =>
      h('div', { class: 'kpi' }, h('div', { class: 'v' }, fmtNum(d.counts[s])), h('div', { class: 'k' }, t(`st_${s}`)))));
    const body = [];
    if (c.draw === 'none' && d.state === 'none') body.push(h('p', { class: 'dw-note' }, t('dw_no_draw')));
    else if (d.state === 'none') body.push(commitPanel(d, reload));
    else if (d.state === 'committed') body.push(commitmentPanel(d), runPanel(d, reload));
    else body.push(resultPanel(d, reload), h('div', { class: 'dw-cols' }, commitmentPanel(d), verifyPanel(d)));
    el.replaceChildren(
      h('div', { class: 'toolbar' }, h('a', { href: '#/draw', class: 'button' }, `← ${t('dw_back')}`), h('span', { class: 'spacer' }),
        can('winners.read') ? h('a', { href: `#/winners/${c.id}`, class: 'button' }, t('dw_winners_page')) : null),
      h('h1', {}, `${t('dw_title')} — ${c.title}`), steps, about, ...body,
      h('h2', {}, t('dw_counts')), counts, redrawPanel(d, reload));
  };
  await reload();
}

export default {
  texts,
  routes: [
    { path: 'draw', nav: 'nav_draw', perm: 'draw.read', render: (el) => { useCss(); return campaignPicker(el, t('dw_title'), t('dw_pick'), 'draw'); } },
    { path: 'draw/:id', perm: 'draw.read', render: renderCampaign },
  ],
};
