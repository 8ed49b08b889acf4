// Sign-in with the cookie session, the plain home of roles that have no page
// yet, and sign-out.

import { api, setCsrfToken } from './api.js';
import { element, show } from './dom.js';
import { t } from './i18n.js';

export function signInForm(onSignedIn, message) {
  const email = element('input', { id: 'email', type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = element('input', {
    id: 'password', type: 'password', name: 'password', autocomplete: 'current-password', required: true,
  });
  const form = element(
    'form',
    { 'aria-labelledby': 'sign-in-title' },
    element('label', { for: 'email' }, t('signin.email')),
    email,
    element('label', { for: 'password' }, t('signin.password')),
    password,
    element('button', { type: 'submit' }, t('signin.submit')),
  );
  const status = element('p', { role: 'status', class: 'error' }, message || '');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    const answer = await api('POST', '/api/v1/auth/session', { email: email.value, password: password.value });
    if (answer.status === 200) {
      setCsrfToken(answer.data.csrf_token);
      onSignedIn(answer.data);
    } else {
      status.textContent = answer.status === 429 ? t('signin.throttled') : t('signin.wrong');
    }
  });
  show(element('h2', { id: 'sign-in-title', tabindex: '-1' }, t('signin.title')), form, status);
}

// A button that ends the session, then calls `after`.
export function signOutButton(after) {
  const button = element('button', { type: 'button' }, t('signout.button'));
  button.addEventListener('click', async () => {
    await api('DELETE', '/api/v1/auth/session');
    setCsrfToken(null);
    after();
  });
  return button;
}

export function home(user, mustChangePassword, signOut) {
  const nodes = [
    element('h2', { tabindex: '-1' }, t('home.hello', { name: user.display_name || user.email })),
    element('p', {}, t('home.role', { role: t(`role.${user.role}`) })),
  ];
  if (mustChangePassword) nodes.push(element('p', { role: 'alert' }, t('home.passwordChange')));
  nodes.push(signOut);
  show(...nodes);
}
