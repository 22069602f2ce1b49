// A contact by user id (interactions, segments, events) and the ad-hoc search with a segment condition.
import { api, q, ApiError } from './api.js';
import { h, replace, table, when, errorBox, notAvailable, showFieldErrors, jsonField } from './dom.js';

export async function render(main, params) {
  const id = h('input', { type: 'text', id: 'contact-id', name: 'user_id', required: true, value: params[0] ?? '' });
  const form = h('form', { id: 'contact-form' }, h('label', { for: 'contact-id' }, 'User id'), id, h('button', { type: 'submit' }, 'Look up'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/contacts/${q(id.value)}`;
  });
  const result = h('div', { id: 'contact' });
  replace(main, h('h2', {}, 'Contacts'), h('section', {}, form), result, searchForm());
  if (params[0]) await showContact(result, params[0]);
}

async function showContact(result, userId) {
  let contact;
  try {
    contact = await api(`api/v1/contacts/${q(userId)}`);
  } catch (e) {
    replace(result, errorBox(e));
    return;
  }
  // The journey (events in time order, segments, automation runs) comes from the analytics API; where analytics are
  // off, the events and segments come from their own endpoints.
  let journey = null;
  try {
    journey = await api(`api/v1/analytics/contacts/${q(userId)}/journey?limit=50`);
  } catch (e) {
    if (!(e instanceof ApiError && e.notAvailable)) {
      replace(result, errorBox(e));
      return;
    }
  }
  const [segmentList, events] = journey ? [journey.segments, journey.events] : await Promise.all([
    api(`api/v1/contacts/${q(userId)}/segments`).then((s) => s.results),
    api(`api/v1/contacts/${q(userId)}/product-events?limit=50`).then((e) => e.results)]);
  replace(result, h('section', {},
    h('h3', {}, `Contact ${contact.user_id}`),
    h('h3', {}, 'Segments'),
    segmentList.length === 0 ? h('p', { class: 'note' }, 'In no segment.') : table([
      ['Segment', (s) => h('a', { href: `#/segments/${q(s.segment_id)}` }, s.name)],
      ['Since', (s) => when(s.since)]], segmentList, { id: 'contact-segments' }),
    h('h3', {}, 'Interactions'),
    table([
      ['Product', (i) => h('a', { href: `#/products/${q(i.product_id)}` }, i.product_id)],
      ['Type', (i) => i.event_type], ['Count', (i) => i.count, 'num'],
      ['First', (i) => when(i.first_at)], ['Last', (i) => when(i.last_at)],
    ], contact.interactions ?? [], { id: 'contact-interactions' }),
    h('h3', {}, journey ? 'Journey (newest 50 events, in time order)' : 'Events (newest 50)'),
    table([
      ['Time', (e) => when(e.timestamp)], ['Type', (e) => e.event_type],
      ['Product', (e) => e.product_id], ['Name', (e) => e.name ?? ''],
    ], events, { id: 'contact-events' }),
    journey ? [h('h3', {}, 'Automation runs'), journey.runs.length === 0 ? h('p', { class: 'note' }, 'No run.') : table([
      ['Run', (r) => r.run_id], ['Status', (r) => r.status], ['Due', (r) => when(r.due_at)], ['Reason', (r) => r.reason ?? ''],
    ], journey.runs, { id: 'contact-runs' })] : null));
}

function searchForm() {
  const condition = h('textarea', { id: 'search-condition', rows: 6, 'aria-describedby': 'search-condition-error',
    value: JSON.stringify({ event: { types: ['view'], within: 'P1D' } }, null, 2) });
  const conditionError = h('div', { id: 'search-condition-error', 'aria-live': 'polite' });
  const formError = h('div', { 'aria-live': 'polite' });
  const results = h('div', { id: 'search-results' });
  const form = h('form', { id: 'search-form' },
    h('label', { for: 'search-condition' }, 'Condition (segment language)'), condition, conditionError,
    h('button', { type: 'submit' }, 'Search'), formError);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(results);
    const parsed = jsonField(condition, conditionError);
    if (parsed === undefined) return;
    try {
      const answer = await api('api/v1/contacts/search?limit=100', { method: 'POST', body: { condition: parsed } });
      showFieldErrors({}, { condition: conditionError }, formError);
      replace(results,
        h('p', {}, `${answer.total_exact === false ? 'About ' : ''}${answer.total} contacts${answer.total_exact === false ? ` (± ${answer.total_error})` : ''}.`),
        table([
          ['Contact', (c) => (c.user_id ? h('a', { href: `#/contacts/${q(c.user_id)}` }, c.user_id) : `visitor ${c.user_key}`)],
          ['Events', (c) => c.events, 'num'], ['First seen', (c) => when(c.first_seen_at)], ['Last seen', (c) => when(c.last_seen_at)],
        ], answer.results, { id: 'search-table' }));
    } catch (e) {
      if (e instanceof ApiError && e.notAvailable) replace(results, notAvailable('Contact search'));
      else if (e instanceof ApiError && Object.keys(e.errors).length) showFieldErrors(e.errors, { condition: conditionError }, formError);
      else replace(results, errorBox(e));
    }
  });
  return h('section', {}, h('h3', {}, 'Search contacts'), form, results);
}
