// A funnel built on the page: steps, window and range, answered by the analytics funnel endpoint and drawn as bars.
import { api, ApiError } from './api.js';
import { h, replace, table, errorBox, notAvailable, jsonField } from './dom.js';
import { funnelChart } from './charts.js';

const example = { steps: [{ types: ['view'] }, { types: ['add to cart'] }, { types: ['purchase'] }], within: 'P1D' };

function percent(value) {
  return value === null || value === undefined ? '' : `${(value * 100).toFixed(1)} %`;
}

export async function render(main) {
  const definition = h('textarea', { id: 'funnel-definition', rows: 10, 'aria-describedby': 'funnel-definition-error', value: JSON.stringify(example, null, 2) });
  const definitionError = h('div', { id: 'funnel-definition-error', 'aria-live': 'polite' });
  const formError = h('div', { 'aria-live': 'polite' });
  const result = h('div', { id: 'funnel-result' });
  const form = h('form', { id: 'funnel-form' },
    h('label', { for: 'funnel-definition' }, 'Funnel (steps, within, since, until, same_product, breakdown)'), definition, definitionError,
    h('button', { type: 'submit' }, 'Build funnel'), formError);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = jsonField(definition, definitionError);
    if (body === undefined) return;
    try {
      const answer = await api('api/v1/analytics/funnels', { method: 'POST', body });
      replace(formError);
      const labels = body.steps.map((s, i) => `${i + 1}. ${(s.types ?? []).join(' or ')}`);
      const canvas = h('canvas', { role: 'img', 'aria-label': 'Contacts per funnel step' });
      replace(result, h('section', {}, h('div', { class: 'chart' }, canvas), table([
        ['Step', (s) => labels[s.step]],
        ['Contacts', (s) => s.contacts, 'num'],
        ['From previous', (s) => percent(s.conversion_from_previous), 'num'],
        ['From first', (s) => percent(s.conversion_from_first), 'num'],
        ['Median time from previous (s)', (s) => s.median_seconds_from_previous ?? '', 'num'],
      ], answer.steps, { id: 'funnel-table' })));
      funnelChart(canvas, labels, answer.steps.map((s) => s.contacts));
    } catch (e) {
      if (e instanceof ApiError && e.notAvailable) replace(result, notAvailable('Funnels'));
      else if (e instanceof ApiError && Object.keys(e.errors).length) {
        replace(definitionError, Object.entries(e.errors).map(([path, m]) => h('span', { class: 'field-error' }, `${path}: ${[].concat(m).join(' ')}`, ' ')));
      } else replace(result, errorBox(e));
    }
  });
  replace(main, h('h2', {}, 'Funnels'), h('section', {}, form), result);
}
