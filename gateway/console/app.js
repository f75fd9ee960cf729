// console/app: the console's shell — sign-in state, the role's navigation, the language switch and a small
// hash router (#/queue, #/transfer/<id>, #/reports/<year>, …) that renders one view at a time into <main>.
import { clearToken, get, getToken, setToken, setUnauthenticatedHandler } from './api.js';
import { h, replace } from './dom.js';
import { getLang, setLang, t } from './i18n.js';
import { renderFilings } from './views/filings.js';
import { renderNotifications } from './views/notifications.js';
import { renderOps } from './views/ops.js';
import { renderReports } from './views/reports.js';
import { renderSignIn } from './views/sign-in.js';
import { renderTransferDetail } from './views/transfer-detail.js';
import { renderTransferList } from './views/transfer-list.js';

/** @typedef {{ sub: string, role: 'enterprise' | 'reviewer' | 'ops' | 'admin', exporter: string | null }} Me */

/** Navigation per role (api.md §3): what each may look at. Reports: every role (an enterprise its own). */
const navByRole = {
  reviewer: ['queue', 'transfers', 'filings', 'reports', 'notifications'],
  enterprise: ['mine', 'reports', 'notifications'],
  ops: ['ops', 'transfers', 'filings', 'reports', 'notifications'],
  admin: ['transfers', 'filings', 'reports', 'ops', 'notifications'],
};

/** @type {Me | null} */
let me = null;
/** A message to show once on the next render (e.g. why the user was signed out). */
let notice = null;

const main = () => /** @type {HTMLElement} */ (document.getElementById('main'));

/** Announces a short message to screen readers and shows it under the header. */
function announce(message, kind = 'info') {
  const status = document.getElementById('status');
  if (status === null) return;
  replace(status, message === '' ? '' : h('p', { class: `notice ${kind}` }, message));
}

/** Keeps the token if the gateway accepts it and goes to the role's home; false when it is refused. */
async function signIn(token) {
  setToken(token);
  if (!(await loadMe())) {
    clearToken();
    // The 401 handler took the refusal for an expired session; the sign-in view says what happened instead,
    // and a stale notice would greet the next, good sign-in as "session expired" (issue 15).
    notice = null;
    return false;
  }
  navigate(homeOf(me.role));
  return true;
}

function homeOf(role) {
  return `#/${navByRole[role]?.[0] ?? 'transfers'}`;
}

function navigate(hash) {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

function signOut(message) {
  clearToken();
  me = null;
  notice = message ?? null;
  navigate('#/signin');
}

/** Loads who the token belongs to; false when there is no usable token. */
async function loadMe() {
  if (getToken() === null) return false;
  try {
    me = await get('/v1/me');
    return true;
  } catch {
    me = null;
    return false;
  }
}

function renderShell(route) {
  document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
  const text = (id, value) => {
    const el = document.getElementById(id);
    if (el !== null) el.textContent = value;
  };
  text('brand', t('app.brand'));
  text('skip-link', t('app.skip'));
  text('lang-label', t('app.language'));
  const nav = document.getElementById('nav');
  nav?.setAttribute('aria-label', t('app.nav'));
  const select = /** @type {HTMLSelectElement | null} */ (document.getElementById('lang-select'));
  if (select !== null) select.value = getLang();
  const items = me === null ? [] : (navByRole[me.role] ?? []);
  if (nav !== null)
    replace(
      nav,
      h(
        'ul',
        {},
        items.map((item) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `#/${item}`, 'aria-current': route === item ? 'page' : undefined },
              t(`nav.${item}`),
            ),
          ),
        ),
      ),
    );
  const session = document.getElementById('session');
  if (session !== null)
    replace(
      session,
      me === null
        ? ''
        : [
            h(
              'span',
              { class: 'who' },
              t('app.signedInAs', { sub: me.sub, role: t(`role.${me.role}`) }),
              me.exporter === null ? '' : ` · ${me.exporter}`,
            ),
            h('button', { type: 'button', class: 'link-button', onclick: () => signOut() }, t('app.signOut')),
          ],
    );
}

let renderCount = 0;

async function render() {
  const renderId = (renderCount += 1);
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const [route = '', ...rest] = hash.split('/');
  if (route !== 'signin' && me === null && !(await loadMe())) {
    if (route !== '' && getToken() !== null) notice = t('signin.expired');
    clearToken();
    navigate('#/signin');
    return;
  }
  if (route === '' || (route === 'signin' && me !== null)) {
    navigate(me === null ? '#/signin' : homeOf(me.role));
    return;
  }
  renderShell(route);
  announce(notice ?? '');
  notice = null;
  const target = main();
  replace(target, h('p', { class: 'loading' }, t('app.loading')));
  const ctx = {
    me,
    stillCurrent: () => renderId === renderCount,
    announce,
    navigate,
    describeError,
    rerender: () => render(),
    signIn,
  };
  try {
    if (route === 'signin') await renderSignIn(target, ctx);
    else if (route === 'queue') await renderTransferList(target, ctx, 'queue');
    else if (route === 'transfers') await renderTransferList(target, ctx, 'search');
    else if (route === 'mine') await renderTransferList(target, ctx, 'mine');
    else if (route === 'transfer' && rest[0] !== undefined)
      await renderTransferDetail(target, ctx, decodeURIComponent(rest[0]));
    else if (route === 'filings') await renderFilings(target, ctx);
    else if (route === 'ops') await renderOps(target, ctx);
    else if (route === 'reports') await renderReports(target, ctx, rest[0]);
    else if (route === 'notifications') await renderNotifications(target, ctx);
    else replace(target, h('h1', { tabindex: '-1' }, t('app.notFound')));
  } catch (err) {
    if (!ctx.stillCurrent()) return;
    replace(
      target,
      h('h1', { tabindex: '-1' }, t('app.error')),
      h('p', { class: 'error' }, describeError(err)),
    );
  }
  if (!ctx.stillCurrent()) return;
  // Move focus to the view's heading so keyboard and screen-reader users land on the new content.
  const heading = target.querySelector('h1');
  if (heading !== null) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

/** A person-readable line for a failed call: the gateway's message, its code and the field paths at fault. */
function describeError(err) {
  if (err && typeof err === 'object' && 'code' in err) {
    const details = (err.details ?? [])
      .map((d) => [d.path, d.code, d.message].filter((x) => x !== undefined).join(' '))
      .join('; ');
    return `${t(`error.${err.code}`, {}, err.message)} (${err.code}${details === '' ? '' : `: ${details}`})`;
  }
  return err instanceof Error ? err.message : String(err);
}

setUnauthenticatedHandler(() => {
  me = null;
  clearToken();
  notice = t('signin.expired');
});

function start() {
  const select = document.getElementById('lang-select');
  select?.addEventListener('change', (event) => {
    setLang(/** @type {HTMLSelectElement} */ (event.target).value);
    void render();
  });
  document.getElementById('skip-link')?.addEventListener('click', (event) => {
    // The hash belongs to the router: focus the main region without changing it.
    event.preventDefault();
    main().focus();
  });
  window.addEventListener('hashchange', () => void render());
  void render();
}

start();
