// A product by id: its latest attributes, counts per type, and its counts over time (analytics timeline); and the
// product search (text in the id or name, and product filters of the segment language).
import { api, q, ApiError } from './api.js';
import { h, replace, table, when, errorBox, notAvailable, showFieldErrors, jsonField } from './dom.js';
import { countsChart } from './charts.js';

export async function render(main, params) {
  const id = h('input', { type: 'text', id: 'product-id', name: 'product_id', required: true, value: params[0] ?? '' });
  const result = h('div', { id: 'product' });
  const form = h('form', { id: 'product-form' }, h('label', { for: 'product-id' }, 'Product id'), id, h('button', { type: 'submit' }, 'Look up'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/products/${q(id.value)}`;
  });
  replace(main, h('h2', {}, 'Products'), h('section', {}, form), result, searchForm());
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

const SearchPage = 50;

function searchForm() {
  const text = h('input', { type: 'search', id: 'product-search-text', 'aria-describedby': 'product-search-text-error' });
  const textError = h('div', { id: 'product-search-text-error', 'aria-live': 'polite' });
  const filters = h('textarea', { id: 'product-search-filters', rows: 3, 'aria-describedby': 'product-search-filters-error',
    placeholder: '{"category": {"eq": "shoes"}, "price": {"gte": 100}}' });
  const filtersError = h('div', { id: 'product-search-filters-error', 'aria-live': 'polite' });
  const formError = h('div', { 'aria-live': 'polite' });
  const results = h('div', { id: 'product-search-results' });
  const form = h('form', { id: 'product-search-form' },
    h('label', { for: 'product-search-text' }, 'Text in the id or name'), text, textError,
    h('label', { for: 'product-search-filters' }, 'Product filters (optional, as in a segment condition)'), filters, filtersError,
    h('button', { type: 'submit' }, 'Search'), formError);
  const fields = { text: textError, product: filtersError };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replace(results);
    const body = {};
    if (text.value) body.text = text.value;
    if (filters.value.trim()) {
      const parsed = jsonField(filters, filtersError);
      if (parsed === undefined) return;
      body.product = parsed;
    }
    const rows = h('tbody');
    const more = h('button', { type: 'button', id: 'product-search-more', hidden: true }, 'More');
    const total = h('p', { id: 'product-search-total' });
    replace(results, total, h('table', { id: 'product-search-table' },
      h('thead', {}, h('tr', {}, ...['Product', 'Name', 'Events', 'Updated'].map((c) => h('th', { scope: 'col' }, c)))), rows), more);
    const page = async (cursor) => {
      try {
        const answer = await api(`api/v1/products/search?limit=${SearchPage}&cursor=${cursor}`, { method: 'POST', body });
        showFieldErrors({}, fields, formError);
        replace(total, `${answer.total} products, most events first.`);
        for (const p of answer.results) {
          rows.append(h('tr', {},
            h('td', {}, h('a', { href: `#/products/${q(p.product_id)}` }, p.product_id)), h('td', {}, p.name ?? ''),
            h('td', { class: 'num' }, Object.values(p.event_counts ?? {}).reduce((a, b) => a + b, 0)), h('td', {}, when(p.updated_at))));
        }
        more.hidden = answer.next == null;
        more.onclick = () => page(answer.next);
      } catch (e) {
        if (e instanceof ApiError && e.notAvailable) replace(results, notAvailable('Product search'));
        else if (e instanceof ApiError && Object.keys(e.errors).length) { replace(results); showFieldErrors(e.errors, fields, formError); }
        else replace(results, errorBox(e));
      }
    };
    await page(0);
  });
  return h('section', {}, h('h3', {}, 'Search products'), form, results);
}
