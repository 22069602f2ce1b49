// Builds elements from data without ever parsing it as HTML: text goes in as text nodes.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A table: columns are [heading, row => cell content, 'num'?]. */
export function table(columns, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, columns.map(([heading, , kind]) => h('th', { scope: 'col', class: kind }, heading)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell, kind]) => h('td', { class: kind }, cell(row)))))));
}

export function status(value) {
  return h('span', { class: `status-${value}` }, value);
}

export function when(value) {
  return value ? new Date(value).toLocaleString() : '';
}

export function json(value) {
  return h('pre', {}, JSON.stringify(value, null, 2));
}

/** What went wrong, as the API said it. */
export function errorBox(error, id) {
  const text = error.problem
    ? [error.problem.title, error.problem.detail].filter(Boolean).join(': ')
    : String(error.message || error);
  return h('p', { class: 'error', role: 'alert', id }, text);
}

export function notAvailable(what) {
  return h('p', { class: 'note not-available' }, `${what}: not available on this server.`);
}

/**
 * Shows the API's validation errors next to their fields: errors is the problem's { "field.path": [messages] };
 * fields maps a path prefix to the element that shows its messages. What names no field goes to fallback.
 */
export function showFieldErrors(errors, fields, fallback) {
  for (const element of Object.values(fields)) replace(element);
  const rest = [];
  for (const [path, messages] of Object.entries(errors)) {
    const prefix = Object.keys(fields).find((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
    const text = `${path}: ${[].concat(messages).join(' ')}`;
    if (prefix) fields[prefix].append(h('span', { class: 'field-error' }, text), ' ');
    else rest.push(text);
  }
  if (fallback) replace(fallback, rest.length ? h('p', { class: 'error', role: 'alert' }, rest.join('; ')) : null);
}

/** The JSON typed in a textarea, or undefined once the reason it is not JSON is shown in its error element. */
export function jsonField(textarea, errorElement) {
  try {
    const value = JSON.parse(textarea.value);
    replace(errorElement);
    return value;
  } catch (e) {
    replace(errorElement, h('span', { class: 'field-error' }, `not JSON: ${e.message}`));
    return undefined;
  }
}
