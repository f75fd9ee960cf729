// console/views/sign-in: the user pastes a bearer token (api.md §3); the console keeps it for this tab only
// and asks GET /v1/me which role it carries. For development, the help shows how to mint one.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export async function renderSignIn(target, ctx) {
  const error = h('p', { id: 'token-error', class: 'error', hidden: true });
  const input = h('textarea', {
    id: 'token',
    name: 'token',
    rows: '5',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'token-hint token-error',
  });
  const form = h(
    'form',
    {
      class: 'card narrow',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const token = input.value.trim().replace(/^Bearer\s+/i, '');
        error.hidden = true;
        if (token === '') return showError(t('signin.empty'));
        if (!(await ctx.signIn(token))) showError(t('signin.refused'));
      },
    },
    h('label', { for: 'token' }, t('signin.token')),
    h('p', { id: 'token-hint', class: 'hint' }, t('signin.tokenHint')),
    input,
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('signin.submit'))),
  );
  function showError(message) {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  target.replaceChildren(
    h('h1', {}, t('signin.title')),
    h('p', { class: 'lead' }, t('signin.intro')),
    form,
    h(
      'details',
      { class: 'card narrow help' },
      h('summary', {}, t('signin.help')),
      h('p', {}, t('signin.helpText')),
      h('pre', {}, h('code', {}, 'node dist/cli/main.js token mint --role reviewer --sub alice')),
      h(
        'pre',
        {},
        h(
          'code',
          {},
          'node dist/cli/main.js token mint --role enterprise --exporter 91450100MA5KDEM11G --sub you',
        ),
      ),
      h('p', {}, t('signin.helpRoles')),
      h('p', {}, t('signin.storage')),
    ),
  );
}
