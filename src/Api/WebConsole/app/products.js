// A product by id: its latest attributes, counts per type, and its counts over time (analytics timeline).
import { api, q } from './api.js';
import { h, replace, table, when, errorBox, notAvailable } from './dom.js';
import { countsChart } from './charts.js';

export async function render(main, params) {
  const id = h('input', { type: 'text', id: 'product-id', name: 'product_id', required: true, value: params[0] ?? '' });
  const result = h('div', { id: 'product' });
  const form = h('form', { id: 'product-form' }, h('label', { for: 'product-id' }, 'Product id'), id, h('button', { type: 'submit' }, 'Look up'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/products/${q(id.value)}`;
  });
  replace(main, h('h2', {}, 'Products'), h('section', {}, form), result);
  if (!params[0]) return;

  let product;
  try {
    product = await api(`api/v1/products/${q(params[0])}`);
  } catch (e) {
    replace(result, errorBox(e));
    return;
  }
  const chartBox = h('div', { id: 'product-chart' });
  replace(result,
    h('section', {},
      h('h3', { id: 'product-name' }, product.name ?? product.product_id),
      h('p', { class: 'note' }, `${product.product_id} · created ${when(product.created_at)} · updated ${when(product.updated_at)}`),
      h('h3', {}, 'Attributes'),
      table([['Attribute', ([k]) => k], ['Value', ([, v]) => JSON.stringify(v)]], Object.entries(product.attributes ?? {}), { id: 'product-attributes' }),
      h('h3', {}, 'Events by type'),
      table([['Type', ([k]) => k], ['Count', ([, v]) => v, 'num']], Object.entries(product.event_counts ?? {}), { id: 'product-counts' })),
    h('section', {}, h('h3', {}, 'Counts per type over time (last day)'), chartBox),
    h('p', {}, h('a', { href: `#/contacts` }, 'Contacts')));
  try {
    const timeline = await api(`api/v1/analytics/products/${q(params[0])}/timeline?interval=hour`);
    const canvas = h('canvas', { role: 'img', 'aria-label': 'The product\'s counts per type over time' });
    replace(chartBox, h('div', { class: 'chart' }, canvas));
    countsChart(canvas, timeline.counts);
  } catch (e) {
    replace(chartBox, e.notAvailable ? notAvailable('Product timeline') : errorBox(e));
  }
}
