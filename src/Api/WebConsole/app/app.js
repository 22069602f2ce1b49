// The console's shell: sign-in, navigation by hash, and one page at a time.
import { api, appKey } from './api.js';
import { h, replace, errorBox } from './dom.js';
import * as overview from './overview.js';
import * as segments from './segments.js';
import * as automations from './automations.js';
import * as products from './products.js';
import * as contacts from './contacts.js';
import * as funnels from './funnels.js';

const pages = {
  overview: overview.render,
  segments: segments.render,
  automations: automations.renderAutomations,
  campaigns: automations.renderCampaigns,
  deliveries: automations.renderDeliveries,
  products: products.render,
  contacts: contacts.render,
  funnels: funnels.render,
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let leave = new AbortController();

function signIn() {
  nav.hidden = true;
  const key = h('input', { type: 'password', id: 'key', name: 'key', autocomplete: 'off', required: true, 'aria-describedby': 'key-help' });
  const error = h('div', { id: 'sign-in-error', 'aria-live': 'polite' });
  const form = h('form', { id: 'sign-in' },
    h('label', { for: 'key' }, 'App secret key'), key,
    h('p', { class: 'note', id: 'key-help' }, 'Kept in this tab only, and sent with each call as "Authorization: Token <key>".'),
    h('button', { type: 'submit' }, 'Sign in'), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(error);
    try {
      await api('api/v1/event-types', { key: key.value });
      appKey.set(key.value);
      location.hash = '#/overview';
      route();
    } catch (e) {
      replace(error, errorBox(e));
    }
  });
  replace(main, h('section', {}, h('h2', {}, 'Sign in'), form));
  key.focus();
}

async function route() {
  leave.abort();
  leave = new AbortController();
  if (!appKey.get()) {
    signIn();
    return;
  }

  nav.hidden = false;
  const [name, ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = pages[name] ? name : 'overview';
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === `#/${page}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  replace(main);
  main.dataset.page = page;
  try {
    await pages[page](main, params, leave.signal);
  } catch (e) {
    if (e.status === 401) {
      appKey.clear();
      signIn();
      return;
    }
    main.append(errorBox(e));
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  appKey.clear();
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
route();
