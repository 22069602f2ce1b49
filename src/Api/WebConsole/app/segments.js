// Segments: the list with counts and status, creating one from the condition language, a segment's members and build.
import { api, q, ApiError } from './api.js';
import { h, replace, table, status, when, json, errorBox, showFieldErrors, jsonField } from './dom.js';

const example = JSON.stringify({ event: { types: ['add to cart'], within: 'P7D' } }, null, 2);
const buildPollEvery = 1000;

export async function render(main, params, signal) {
  if (params[0]) {
    await renderSegment(main, params[0], signal);
    return;
  }

  const list = h('div', { id: 'segment-list' });
  replace(main, h('h2', {}, 'Segments'), createForm(), h('section', {}, h('h3', {}, 'All segments'), list));
  const segments = await api('api/v1/segments');
  const counts = await Promise.all(segments.map((s) => api(`api/v1/segments/${q(s.id)}/count`).catch(() => null)));
  replace(list, segments.length === 0 ? h('p', { class: 'note' }, 'No segment yet.') : table([
    ['Name', (s) => h('a', { href: `#/segments/${q(s.id)}` }, s.name)],
    ['Status', (s) => [status(s.status), s.status === 'building' ? ` ${Math.round(s.progress * 100)} %` : '']],
    ['Members', (s) => counts[segments.indexOf(s)]?.count ?? '', 'num'],
    ['Updated', (s) => when(s.updated_at)],
    ['Id', (s) => s.id],
  ], segments, { id: 'segments-table' }));
}

function createForm() {
  const name = h('input', { type: 'text', id: 'segment-name', name: 'name', required: true, 'aria-describedby': 'segment-name-error' });
  const condition = h('textarea', { id: 'segment-condition', name: 'condition', rows: 8, 'aria-describedby': 'segment-condition-error', value: example });
  const nameError = h('div', { id: 'segment-name-error', 'aria-live': 'polite' });
  const conditionError = h('div', { id: 'segment-condition-error', 'aria-live': 'polite' });
  const formError = h('div', { id: 'segment-form-error', 'aria-live': 'polite' });
  const fields = { name: nameError, condition: conditionError };
  const form = h('form', { id: 'segment-form' },
    h('label', { for: 'segment-name' }, 'Name'), name, nameError,
    h('label', { for: 'segment-condition' }, 'Condition (JSON, see the segment language)'), condition, conditionError,
    h('button', { type: 'submit' }, 'Create segment'), formError);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(nameError);
    const parsed = jsonField(condition, conditionError);
    if (parsed === undefined) return;
    try {
      const created = await api('api/v1/segments', { method: 'POST', body: { name: name.value, condition: parsed } });
      location.hash = `#/segments/${q(created.id)}`;
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.errors).length) showFieldErrors(e.errors, fields, formError);
      else { showFieldErrors({}, fields, formError); formError.append(errorBox(e)); }
    }
  });
  return h('section', {}, h('h3', {}, 'New segment'), form);
}

async function renderSegment(main, id, signal) {
  const head = h('div', { id: 'segment-head' });
  const members = h('div', { id: 'segment-members' });
  replace(main, h('p', {}, h('a', { href: '#/segments' }, 'All segments')), head, h('section', {}, h('h3', {}, 'Members'), members));

  // While it builds, the status, progress and count are read again until it is ready.
  for (;;) {
    const [segment, count] = await Promise.all([api(`api/v1/segments/${q(id)}`), api(`api/v1/segments/${q(id)}/count`)]);
    if (signal.aborted) return;
    replace(head,
      h('h2', {}, segment.name),
      h('section', {},
        h('p', {}, 'Status: ', h('span', { id: 'segment-status' }, status(segment.status)),
          segment.status === 'building'
            ? [' ', h('progress', { id: 'segment-progress', max: 1, value: segment.progress, 'aria-label': 'Build progress' }), ` ${Math.round(segment.progress * 100)} %`]
            : ''),
        h('p', {}, 'Members: ', h('strong', { id: 'segment-count' }, count.count)),
        h('p', { class: 'note' }, `Id ${segment.id}, version ${segment.version}, created ${when(segment.created_at)}`),
        h('h3', {}, 'Condition'), json(segment.condition)));
    const page = await api(`api/v1/segments/${q(id)}/members?limit=100`);
    if (signal.aborted) return;
    replace(members, page.results.length === 0 ? h('p', { class: 'note' }, 'No member.') : table([
      ['Contact', (m) => (m.user_id ? h('a', { href: `#/contacts/${q(m.user_id)}` }, m.user_id) : `visitor ${m.user_key}`)],
      ['Since', (m) => when(m.since)],
    ], page.results, { id: 'members-table' }), page.next ? h('p', { class: 'note' }, 'The first 100 members are shown.') : '');
    await new Promise((resolve) => setTimeout(resolve, buildPollEvery));
    if (signal.aborted) return;
  }
}
