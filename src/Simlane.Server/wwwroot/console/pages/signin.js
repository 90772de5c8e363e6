import * as api from '../api.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';

export const routes = [{ pattern: /^#\/signin$/, render }];

async function render(view) {
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const method = h('select', { id: 'signin-method', 'aria-label': t('common.signInWith') },
    h('option', { value: 'password' }, t('common.emailAndPassword')),
    h('option', { value: 'authkey' }, t('common.authKey')));
  const first = h('input', { id: 'signin-id', autocomplete: 'username', required: true });
  const second = h('input', { id: 'signin-secret', type: 'password', autocomplete: 'current-password', required: true });
  const firstLabel = h('label', { for: 'signin-id' });
  const secondLabel = h('label', { for: 'signin-secret' });
  const labels = () => {
    const keys = method.value === 'password' ? ['common.email', 'common.password'] : ['common.authKeyId', 'common.authKeySecret'];
    firstLabel.textContent = t(keys[0]);
    secondLabel.textContent = t(keys[1]);
  };
  method.addEventListener('change', labels);
  labels();
  const form = h('form', {
    class: 'card stack', id: 'signin-form',
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        await api.signIn(method.value === 'password'
          ? { email: first.value, password: second.value }
          : { authKeyId: first.value, authKey: second.value });
        location.hash = '#/sims';
      } catch (err) {
        error.textContent = err.code ? `${err.code}: ${t('common.signInFailed')}` : String(err.message);
      }
    },
  },
  h('h1', { 'data-i18n': 'common.signIn' }),
  h('label', { for: 'signin-method', 'data-i18n': 'common.signInWith' }), method,
  firstLabel, first, secondLabel, second,
  h('p', {}, h('button', { type: 'submit', class: 'primary', id: 'signin-submit', 'data-i18n': 'common.signIn' })),
  error);
  view.append(form);
}
