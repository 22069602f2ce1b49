// Events per type over time (the analytics counts endpoint) and a live tail of incoming events (the event listing).
import { api, q } from './api.js';
import { h, replace, table, when, errorBox, notAvailable } from './dom.js';
import { countsChart } from './charts.js';

const tailEvery = 2000;

export async function render(main, _params, signal) {
  const interval = h('select', { id: 'overview-interval' },
    h('option', { value: 'minute' }, 'last hour, by minute'),
    h('option', { value: 'hour', selected: true }, 'last day, by hour'),
    h('option', { value: 'day' }, 'last 30 days, by day'));
  const chartBox = h('div', { id: 'overview-chart' });
  const tail = h('div', { id: 'tail', 'aria-live': 'off' });
  replace(main,
    h('h2', {}, 'Overview'),
    h('section', {}, h('h3', {}, 'Events per type over time'), h('label', { for: 'overview-interval' }, 'Range'), interval, chartBox),
    h('section', {}, h('h3', {}, 'Live tail'), h('p', { class: 'note' }, `The newest events, read again every ${tailEvery / 1000} s.`), tail));

  const drawCounts = async () => {
    try {
      const answer = await api(`api/v1/analytics/events?interval=${q(interval.value)}`);
      const canvas = h('canvas', { id: 'overview-canvas', role: 'img', 'aria-label': 'Events per type over time' });
      replace(chartBox, h('div', { class: 'chart' }, canvas),
        table([['Event type', (s) => s.event_type], ['Total', (s) => s.total, 'num']], answer.series, { id: 'overview-totals' }));
      countsChart(canvas, answer);
    } catch (e) {
      replace(chartBox, e.notAvailable ? notAvailable('Counts over time') : errorBox(e));
    }
  };
  interval.addEventListener('change', drawCounts);
  await drawCounts();

  const readTail = async () => {
    if (signal.aborted) return;
    try {
      const page = await api('api/v1/product-events?limit=20');
      if (signal.aborted) return;
      replace(tail, table([
        ['Time', (e) => when(e.timestamp)],
        ['Type', (e) => e.event_type],
        ['Product', (e) => h('a', { href: `#/products/${q(e.product_id)}` }, e.product_id)],
        ['Contact', (e) => (e.user_id ? h('a', { href: `#/contacts/${q(e.user_id)}` }, e.user_id) : `visitor ${e.user_key}`)],
        ['Name', (e) => e.name ?? ''],
      ], page.results, { id: 'tail-table' }));
    } catch (e) {
      replace(tail, errorBox(e));
    }
    if (!signal.aborted) setTimeout(readTail, tailEvery);
  };
  await readTail();
}
