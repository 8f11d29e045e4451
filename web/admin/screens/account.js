// The signed-in staff user's own account: session times and password change.
import { api, clearErrors, field, fmtTime, h, showErrors, state, t, toast } from '../core.js';

const texts = {
  ja: {
    nav_account: 'アカウント', acc_title: 'アカウント', acc_session: 'セッション',
    acc_idle: '操作がないと次の時刻にログアウトされます', acc_abs: 'ログインの有効期限',
    acc_pw: 'パスワードの変更', acc_current: '現在のパスワード', acc_new: '新しいパスワード', acc_change: '変更する',
    acc_changed: 'パスワードを変更しました。',
  },
  en: {
    nav_account: 'Account', acc_title: 'Account', acc_session: 'Session',
    acc_idle: 'Without activity you are logged out at', acc_abs: 'This login ends at',
    acc_pw: 'Change password', acc_current: 'Current password', acc_new: 'New password', acc_change: 'Change',
    acc_changed: 'Your password was changed.',
  },
};

async function render(el) {
  const s = await api('session');
  state.session = { ...state.session, ...s };
  const current = h('input', { type: 'password', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', autocomplete: 'new-password' });
  const form = h('form', { class: 'form', novalidate: true },
    field('current_password', t('acc_current'), current), field('new_password', t('acc_new'), next),
    h('div', { class: 'wide' }, h('button', { type: 'submit', class: 'primary' }, t('acc_change'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      await api('password', { body: { current_password: current.value, new_password: next.value } });
      toast(t('acc_changed'));
      current.value = next.value = '';
    } catch (err) { showErrors(form, err); }
  });
  el.replaceChildren(h('h1', {}, t('acc_title')),
    h('section', { class: 'panel' }, h('h2', {}, t('acc_session')),
      h('p', {}, `${s.user.name} <${s.user.email}> — ${t(`role_${s.role}`)}`),
      h('p', {}, `${t('acc_idle')}: ${fmtTime(s.idle_expires_at)}`), h('p', {}, `${t('acc_abs')}: ${fmtTime(s.expires_at)}`)),
    h('section', { class: 'panel' }, h('h2', {}, t('acc_pw')), form));
}

export default { texts, routes: [{ path: 'account', nav: 'nav_account', perm: 'self', render }] };
