// Charts drawn by Chart.js (window.Chart, loaded from chart.umd.min.js, which the build installs with npm).

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function draw(canvas, config) {
  const existing = window.Chart.getChart(canvas);
  if (existing) existing.destroy();
  return new window.Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
}

/** Counts over time: the analytics answer's buckets and series. */
export function countsChart(canvas, answer) {
  const labels = answer.buckets.map((b) => new Date(b).toLocaleString());
  const datasets = answer.series.map((s, i) => ({
    label: s.group === null || s.group === undefined ? s.event_type : `${s.event_type} (${s.rest ? 'rest' : s.group})`,
    data: s.counts,
    borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length],
    tension: 0.2,
  }));
  return draw(canvas, { type: 'line', data: { labels, datasets }, options: { scales: { y: { beginAtZero: true } } } });
}

/** A funnel: contacts per step. */
export function funnelChart(canvas, labels, contacts) {
  return draw(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: 'contacts', data: contacts, backgroundColor: palette[0] }] },
    options: { scales: { y: { beginAtZero: true } } },
  });
}
