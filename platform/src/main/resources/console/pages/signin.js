// Sign-in: a staff token is exchanged for an HttpOnly session cookie (POST /api/v1/session); the
// token itself is kept nowhere in the browser.
import { api } from '../api.js';
import { signedIn } from '../app.js';
import { el, field, showError } from '../ui.js';

export async function render(main) {
  const token = el('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'current-password',
    required: true,
    'data-test': 'signin-token',
  });
  const errors = el('div', { 'data-test': 'signin-error', 'aria-live': 'polite' });
  const submit = el('button', { type: 'submit', class: 'primary', 'data-test': 'signin-submit' }, 'Sign in');
  const form = el(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title', 'data-test': 'signin-form' },
    el('h1', { id: 'signin-title' }, 'Sign in'),
    el('p', { class: 'muted' }, 'Paste your staff token. The console keeps a session cookie, not the token.'),
    field('Staff token', token),
    submit,
    errors,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    errors.replaceChildren();
    try {
      const answer = await api.post('/session', { token: token.value.trim() });
      signedIn(answer);
    } catch (e) {
      showError(errors, e);
      submit.disabled = false;
      token.select();
    }
  });
  main.append(form);
  token.focus();
}
