// Staff accounts (owners manage, admins read) and the tenant's security
// settings (owners): password policy and session timeouts.
import { api, can, clearErrors, field, fmtTime, h, showErrors, state, t, toast } from '../core.js';

const ROLES = ['owner', 'admin', 'reviewer', 'viewer'];

const texts = {
  ja: {
    nav_users: 'スタッフ', nav_security: 'セキュリティ設定', users_title: 'スタッフアカウント',
    u_name: '氏名', u_email: 'メールアドレス', u_role: '権限', u_status: '状態', u_created: '作成日時',
    u_add: 'スタッフを追加', u_password: '初期パスワード', u_add_done: '{email} を追加しました。',
    u_disable: '無効にする', u_enable: '有効にする', u_delete: '削除', u_delete_confirm: '{email} を削除します。よろしいですか？',
    u_deleted: '削除しました。', u_saved: '保存しました。', status_active: '有効', status_disabled: '無効',
    u_roles_help: 'オーナー: すべて / 管理者: キャンペーン・審査・抽選・出力 / 審査担当: 審査のみ / 閲覧者: 閲覧のみ（個人情報は伏せ字）',
    sec_title: 'セキュリティ設定', sec_policy: 'パスワードポリシー', sec_min: '最小文字数（8以上）',
    sec_upper: '英大文字を必須にする', sec_lower: '英小文字を必須にする', sec_digit: '数字を必須にする', sec_symbol: '記号を必須にする',
    sec_sessions: 'セッション', sec_idle: '無操作タイムアウト（分）', sec_abs: 'セッションの最長時間（時間）',
    sec_blocklist: 'よく使われるパスワード・漏えいしたパスワードの拒否リストは常に有効です。', save: '保存',
  },
  en: {
    nav_users: 'Staff', nav_security: 'Security settings', users_title: 'Staff accounts',
    u_name: 'Name', u_email: 'Email address', u_role: 'Role', u_status: 'Status', u_created: 'Created',
    u_add: 'Add staff', u_password: 'Initial password', u_add_done: '{email} was added.',
    u_disable: 'Disable', u_enable: 'Enable', u_delete: 'Delete', u_delete_confirm: 'Delete {email}?',
    u_deleted: 'Deleted.', u_saved: 'Saved.', status_active: 'Active', status_disabled: 'Disabled',
    u_roles_help: 'Owner: everything / Admin: campaigns, review, draws, exports / Reviewer: review only / Viewer: read only (personal data masked)',
    sec_title: 'Security settings', sec_policy: 'Password policy', sec_min: 'Minimum length (8 or more)',
    sec_upper: 'Require an upper-case letter', sec_lower: 'Require a lower-case letter', sec_digit: 'Require a digit', sec_symbol: 'Require a symbol',
    sec_sessions: 'Sessions', sec_idle: 'Idle timeout (minutes)', sec_abs: 'Longest session (hours)',
    sec_blocklist: 'The blocklist of common and breached passwords is always on.', save: 'Save',
  },
};

function roleSelect(value) {
  return h('select', {}, ROLES.map((r) => h('option', { value: r, selected: r === value }, t(`role_${r}`))));
}

async function renderUsers(el) {
  const { users } = await api('users');
  const manage = can('users.manage');
  const rows = users.map((u) => {
    const self = u.id === state.session.user.id;
    const role = roleSelect(u.role);
    role.disabled = !manage;
    role.setAttribute('aria-label', `${t('u_role')} ${u.email}`);
    role.addEventListener('change', async () => {
      try { await api(`users/${u.id}`, { method: 'PATCH', body: { role: role.value } }); toast(t('u_saved')); } catch (err) {
        toast(err.message, 'error'); role.value = u.role;
      }
    });
    const actions = manage && !self ? [
      h('button', { type: 'button', onclick: async () => {
        try {
          await api(`users/${u.id}`, { method: 'PATCH', body: { status: u.status === 'active' ? 'disabled' : 'active' } });
          renderUsers(el);
        } catch (err) { toast(err.message, 'error'); }
      } }, t(u.status === 'active' ? 'u_disable' : 'u_enable')),
      ' ',
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (!confirm(t('u_delete_confirm', { email: u.email }))) return;
        try { await api(`users/${u.id}`, { method: 'DELETE' }); toast(t('u_deleted')); renderUsers(el); } catch (err) { toast(err.message, 'error'); }
      } }, t('u_delete')),
    ] : [];
    return h('tr', {}, h('td', {}, u.name), h('td', {}, u.email), h('td', {}, role),
      h('td', {}, h('span', { class: `badge ${u.status === 'active' ? 'success' : 'failure'}` }, t(`status_${u.status}`))),
      h('td', {}, fmtTime(u.created_at)), h('td', {}, actions));
  });
  const table = h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, ['u_name', 'u_email', 'u_role', 'u_status', 'u_created'].map((k) => h('th', {}, t(k))), h('th', {}))),
    h('tbody', {}, rows));
  el.replaceChildren(h('h1', {}, t('users_title')), h('p', { class: 'muted' }, t('u_roles_help')),
    h('section', { class: 'panel' }, table), manage ? addForm(el) : null);
}

function addForm(el) {
  const name = h('input', { type: 'text', autocomplete: 'off' });
  const email = h('input', { type: 'email', autocomplete: 'off' });
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  const role = roleSelect('reviewer');
  const form = h('form', { class: 'form', novalidate: true },
    field('name', t('u_name'), name), field('email', t('u_email'), email),
    field('password', t('u_password'), password), field('role', t('u_role'), role),
    h('div', { class: 'wide' }, h('button', { type: 'submit', class: 'primary' }, t('u_add'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const { user } = await api('users', { body: { name: name.value, email: email.value, password: password.value, role: role.value } });
      toast(t('u_add_done', { email: user.email }));
      renderUsers(el);
    } catch (err) { showErrors(form, err); }
  });
  return h('section', { class: 'panel' }, h('h2', {}, t('u_add')), form);
}

async function renderSecurity(el) {
  const { security: s } = await api('settings/security');
  const num = (v, min, max) => h('input', { type: 'number', value: String(v), min: String(min), max: String(max) });
  const check = (v) => h('input', { type: 'checkbox', checked: v });
  const c = {
    password_min_length: num(s.password_min_length, 8, 128),
    password_require_upper: check(s.password_require_upper), password_require_lower: check(s.password_require_lower),
    password_require_digit: check(s.password_require_digit), password_require_symbol: check(s.password_require_symbol),
    idle_timeout_minutes: num(s.idle_timeout_minutes, 1, 1440), absolute_lifetime_hours: num(s.absolute_lifetime_hours, 1, 168),
  };
  const form = h('form', { class: 'form', novalidate: true },
    h('h2', { class: 'wide' }, t('sec_policy')),
    field('password_min_length', t('sec_min'), c.password_min_length),
    ...['upper', 'lower', 'digit', 'symbol'].map((k) => field(`password_require_${k}`, t(`sec_${k}`), c[`password_require_${k}`])),
    h('p', { class: 'muted wide' }, t('sec_blocklist')),
    h('h2', { class: 'wide' }, t('sec_sessions')),
    field('idle_timeout_minutes', t('sec_idle'), c.idle_timeout_minutes),
    field('absolute_lifetime_hours', t('sec_abs'), c.absolute_lifetime_hours),
    h('div', { class: 'wide' }, h('button', { type: 'submit', class: 'primary' }, t('save'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { version: s.version };
    for (const [k, input] of Object.entries(c)) body[k] = input.type === 'checkbox' ? input.checked : Number(input.value);
    try { await api('settings/security', { method: 'PUT', body }); toast(t('u_saved')); renderSecurity(el); } catch (err) { showErrors(form, err); }
  });
  el.replaceChildren(h('h1', {}, t('sec_title')), h('section', { class: 'panel' }, form));
}

export default {
  texts,
  routes: [
    { path: 'users', nav: 'nav_users', perm: 'users.read', render: renderUsers },
    { path: 'security', nav: 'nav_security', perm: 'security.manage', render: renderSecurity },
  ],
};
