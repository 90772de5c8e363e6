// The console's shell: language, session, hash routes (#/sims, #/sims/<simId>, #/handlers, …), sandbox clock.
// Each page module exports `routes`: [{ pattern: RegExp on the hash, render(view, match) }].
import * as api from './api.js';
import { applyI18n, currentLanguage, loadLanguage, t, formatTime } from './i18n.js';
import { h, toast } from './dom.js';
import * as signin from './pages/signin.js';
import * as sims from './pages/sims.js';
import * as simDetail from './pages/sim-detail.js';
import * as handlers from './pages/handlers.js';
import * as handlerEdit from './pages/handler-edit.js';
import * as usage from './pages/usage.js';

const pages = [signin, sims, simDetail, handlers, handlerEdit, usage];
const routes = pages.flatMap(p => p.routes);
const view = document.getElementById('view');
let navigation = 0;

async function route() {
  const hash = location.hash || '#/sims';
  const signedIn = !!api.session();
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('signout').hidden = !signedIn;
  if (!signedIn && hash !== '#/signin') {
    location.hash = '#/signin';
    return;
  }

  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  for (const r of routes) {
    const match = hash.match(r.pattern);
    if (match) {
      // Each navigation renders into its own container: a page still loading when the user moves on keeps
      // writing into a detached one, never into the next page.
      const mine = ++navigation;
      const container = h('div');
      view.replaceChildren(container);
      try {
        await r.render(container, match);
        if (mine === navigation) applyI18n(container);
      } catch (e) {
        if (mine === navigation) container.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.code ? `${e.code}: ${e.message}` : String(e.message || e)));
      }
      if (signedIn && mine === navigation) refreshClock();
      return;
    }
  }
  view.replaceChildren(h('p', { class: 'error' }, t('common.notFound')));
}

/** Sandbox mode only: the sandbox clock, and a control to move it forward. */
async function refreshClock() {
  const el = document.getElementById('sandbox-clock');
  try {
    const clock = await api.get('/sandbox/clock');
    el.replaceChildren(
      h('span', { 'data-testid': 'sandbox-now' }, `${t('common.sandboxClock')}: ${formatTime(clock.now)}`), ' ',
      h('select', { id: 'clock-step', 'aria-label': t('common.advanceBy') },
        h('option', { value: 3600 }, t('common.oneHour')), h('option', { value: 86400 }, t('common.oneDay')), h('option', { value: 2678400 }, t('common.thirtyOneDays'))),
      ' ',
      h('button', {
        type: 'button', id: 'clock-advance',
        onclick: async () => {
          await api.post('/sandbox/clock', { advanceSeconds: Number(document.getElementById('clock-step').value) });
          toast(t('common.clockMoved'));
          route();
        },
      }, t('common.advance')));
    el.hidden = false;
  } catch {
    el.hidden = true; // not a sandbox server
  }
}

const language = document.getElementById('language');
language.addEventListener('change', async () => { await loadLanguage(language.value); route(); });
document.getElementById('signout').addEventListener('click', async () => { await api.signOut(); location.hash = '#/signin'; });
window.addEventListener('hashchange', route);

await loadLanguage(currentLanguage());
language.value = currentLanguage();
applyI18n(document);
route();
