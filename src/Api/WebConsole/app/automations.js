// Automations (definitions and runs), campaigns (progress) and the webhook outbox (deliveries, dead letters, retry).
import { api, q } from './api.js';
import { h, replace, table, status, when, json, errorBox } from './dom.js';

export async function renderAutomations(main, params) {
  if (params[0]) {
    const [automation, runs] = await Promise.all([
      api(`api/v1/automations/${q(params[0])}`), api(`api/v1/automations/${q(params[0])}/runs`)]);
    replace(main, h('p', {}, h('a', { href: '#/automations' }, 'All automations')),
      h('h2', {}, automation.name),
      h('section', {}, h('h3', {}, 'Definition'), json(automation)),
      h('section', {}, h('h3', {}, 'Runs'), runs.results.length === 0 ? h('p', { class: 'note' }, 'No run.') : table([
        ['Run', (r) => r.run_id], ['Contact', (r) => r.user_id], ['Status', (r) => status(r.status)],
        ['Due', (r) => when(r.due_at)], ['Reason', (r) => r.reason ?? ''],
      ], runs.results, { id: 'runs-table' })));
    return;
  }

  const automations = await api('api/v1/automations');
  replace(main, h('h2', {}, 'Automations'), h('section', {}, automations.length === 0
    ? h('p', { class: 'note' }, 'No automation yet (POST /api/v1/automations).')
    : table([
      ['Name', (a) => h('a', { href: `#/automations/${q(a.id)}` }, a.name)],
      ['Enabled', (a) => (a.enabled ? 'yes' : 'no')],
      ['Trigger', (a) => JSON.stringify(a.trigger)],
      ['Wait', (a) => a.wait ?? ''],
      ['Id', (a) => a.id],
    ], automations, { id: 'automations-table' })));
}

export async function renderCampaigns(main, params, signal) {
  const list = h('div', { id: 'campaign-list' });
  replace(main, h('h2', {}, 'Campaigns'), h('section', {}, list));
  // A sending campaign's progress is read again until none is sending.
  for (;;) {
    const answer = await api('api/v1/campaigns');
    if (signal.aborted) return;
    const campaigns = Array.isArray(answer) ? answer : answer.results;
    replace(list, campaigns.length === 0 ? h('p', { class: 'note' }, 'No campaign yet (POST /api/v1/campaigns).') : table([
      ['Name', (c) => c.name],
      ['Status', (c) => status(c.status)],
      ['Progress', (c) => [h('progress', { max: 1, value: c.progress ?? 0, 'aria-label': `Progress of ${c.name}` }), ` ${Math.round((c.progress ?? 0) * 100)} %`]],
      ['Sent / total', (c) => `${c.sent ?? 0} / ${c.total ?? '?'}`, 'num'],
      ['Deliveries', (c) => h('a', { href: `#/deliveries/all/${q(c.id)}` }, Object.entries(c.deliveries ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'report')],
      ['Send at', (c) => when(c.send_at)],
    ], campaigns, { id: 'campaigns-table' }));
    if (!campaigns.some((c) => c.status === 'sending' || c.status === 'scheduled')) return;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (signal.aborted) return;
  }
}

const deliveryStatuses = ['dead', 'failed', 'pending', 'delivered', 'all'];

export async function renderDeliveries(main, params) {
  const chosen = deliveryStatuses.includes(params[0]) ? params[0] : 'dead';
  const campaign = params[1];
  const list = h('div', { id: 'delivery-list' });
  const message = h('div', { id: 'delivery-message', 'aria-live': 'polite' });
  replace(main, h('h2', {}, 'Deliveries'),
    h('nav', { 'aria-label': 'Delivery status' }, h('p', {}, deliveryStatuses.map((s) => [
      s === chosen ? h('strong', {}, s) : h('a', { href: `#/deliveries/${s}${campaign ? `/${q(campaign)}` : ''}` }, s), ' ']))),
    campaign ? h('p', { class: 'note' }, `Campaign ${campaign}`) : '',
    message, h('section', {}, list));

  const load = async () => {
    const query = [chosen === 'all' ? '' : `status=${q(chosen)}`, campaign ? `campaign_id=${q(campaign)}` : ''].filter(Boolean).join('&');
    const answer = await api(`api/v1/deliveries${query ? `?${query}` : ''}`);
    const deliveries = Array.isArray(answer) ? answer : answer.results;
    replace(list, deliveries.length === 0 ? h('p', { class: 'note' }, `No ${chosen === 'all' ? '' : `${chosen} `}delivery.`) : table([
      ['Id', (d) => d.id],
      ['Status', (d) => status(d.status)],
      ['Attempts', (d) => d.attempts, 'num'],
      ['Last error', (d) => d.last_error ?? ''],
      ['Next attempt', (d) => when(d.next_attempt_at)],
      ['URL', (d) => d.url ?? ''],
      ['', (d) => (d.status === 'dead'
        ? h('button', { type: 'button', class: 'small retry', 'data-id': d.id, onclick: () => retry(d.id) }, 'Retry')
        : '')],
    ], deliveries, { id: 'deliveries-table' }));
  };

  const retry = async (id) => {
    try {
      await api(`api/v1/deliveries/${q(id)}/retry`, { method: 'POST' });
      replace(message, h('p', { role: 'status' }, `Delivery ${id} is back in the queue.`));
      await load();
    } catch (e) {
      replace(message, errorBox(e));
    }
  };
  await load();
}
