/*! ProductEvents browser SDK. userengage('product_event', {product_id, event_type, name, ...attributes}),
    userengage('identify', {user_id}), userengage('reset'), and clicks on [data-pe-event] elements.
    Configure with window.productEvents = {endpoint, publicKey, userId}; calls made before this script loaded
    (the stub's userengage.q) are sent too. Unsent events wait in localStorage and are retried with backoff. */
(function (w, d) {
  'use strict';
  var stub = w.userengage;
  if (stub && stub.loaded) return;
  var cfg = w.productEvents || {};
  var key = cfg.publicKey;
  var script = d.currentScript;
  var endpoint = String(cfg.endpoint || (script && script.src ? new URL(script.src).origin : location.origin)).replace(/\/+$/, '');
  var BATCH = '/api/v1/product-events/batch', IDENTIFY = '/api/v1/identify';
  var PREFIX = 'pe:' + key + ':', USER = 'pe-user:' + key, COOKIE = 'pe_uk';
  var MAX_BATCH = 100, MAX_KEPT = 1000, BEACON_BYTES = 60000;
  var flushDelay = cfg.flushDelay == null ? 200 : cfg.flushDelay;
  var retryBase = cfg.retryDelay || 1000, retryMax = cfg.retryMaxDelay || 60000;
  var queue = [], busy = false, timer = 0, attempt = 0, waiting = false;

  function warn(message) { if (w.console) console.warn('ProductEvents: ' + message); }

  function uuid() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = '';
    b[6] = b[6] & 15 | 64; b[8] = b[8] & 63 | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + (i == 3 || i == 5 || i == 7 || i == 9 ? '-' : '');
    return h;
  }

  function storage(op, name, value) {
    try { return localStorage[op](name, value); } catch (e) { return null; }
  }

  function visitorKey(fresh) {
    var m = !fresh && d.cookie.match(/(?:^|;\s*)pe_uk=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var k = uuid();
    d.cookie = COOKIE + '=' + k + '; path=/; max-age=63072000; SameSite=Lax' + (location.protocol == 'https:' ? '; Secure' : '');
    return k;
  }

  var userKey = visitorKey(false);
  var userId = storage('getItem', USER);

  function enqueue(item) {
    queue.push(item);
    storage('setItem', PREFIX + item.id, JSON.stringify(item));
    while (queue.length > MAX_KEPT) done([queue[0]]);
    schedule(flushDelay);
  }

  function done(items) {
    for (var i = 0; i < items.length; i++) {
      var at = queue.indexOf(items[i]);
      if (at >= 0) queue.splice(at, 1);
      storage('removeItem', PREFIX + items[i].id);
    }
  }

  function schedule(ms) {
    if (!timer && !waiting) timer = setTimeout(flush, ms);
  }

  function track(data) {
    if (!data || data.product_id == null || data.product_id === '' || !data.event_type) {
      warn('product_event needs product_id and event_type');
      return;
    }
    var e = {};
    for (var k in data) if (Object.prototype.hasOwnProperty.call(data, k)) e[k] = data[k];
    if (e.user_id == null && userId) e.user_id = userId;
    if (e.user_key == null) e.user_key = userKey;
    if (e.event_id == null) e.event_id = uuid();
    if (e.timestamp == null) e.timestamp = new Date().toISOString();
    enqueue({ id: e.event_id, kind: 'event', at: Date.now(), body: e });
  }

  function identify(id) {
    if (id == null || id === '') { warn('identify needs user_id'); return; }
    id = String(id);
    if (id == userId) return;
    userId = id;
    storage('setItem', USER, id);
    enqueue({ id: 'identify-' + uuid(), kind: 'identify', at: Date.now(), body: { user_id: id, user_key: userKey } });
  }

  function reset() {
    userId = null;
    storage('removeItem', USER);
    userKey = visitorKey(true);
  }

  function notify(detail) {
    try { d.dispatchEvent(new CustomEvent('productevents:sent', { detail: detail })); } catch (e) { /* old browsers */ }
  }

  function retry(retryAfter) {
    var wait = Math.min(retryMax, retryBase * Math.pow(2, attempt++)) * (0.8 + Math.random() * 0.4);
    var seconds = parseFloat(retryAfter);
    if (seconds > 0) wait = Math.max(wait, seconds * 1000);
    waiting = true;
    setTimeout(function () { waiting = false; flush(); }, wait);
  }

  function post(path, body, items) {
    busy = true;
    var text = JSON.stringify(body);
    return fetch(endpoint + path, {
      method: 'POST', credentials: 'omit', keepalive: text.length < BEACON_BYTES, body: text,
      headers: { 'Authorization': 'Token ' + key, 'Content-Type': 'application/json' }
    }).then(function (r) {
      if (r.status == 429 || r.status >= 500) return retry(r.headers.get('Retry-After'));
      attempt = 0;
      done(items);
      if (!r.ok) return warn('dropped ' + items.length + ' item(s) the API refused with HTTP ' + r.status);
      return r.json().then(function (answer) {
        var rejected = (answer.results || []).filter(function (x) { return x.status == 'rejected'; });
        if (rejected.length) warn(rejected.length + ' event(s) rejected: ' + JSON.stringify(rejected));
        notify({ path: path, count: items.length });
      }, function () { notify({ path: path, count: items.length }); });
    }, function () {
      retry(null);
    }).then(function () {
      busy = false;
      if (queue.length) schedule(0);
    });
  }

  function flush() {
    clearTimeout(timer);
    timer = 0;
    if (busy || waiting || !queue.length) return;
    var first = queue[0];
    if (first.kind == 'identify') return post(IDENTIFY, first.body, [first]);
    var items = [];
    for (var i = 0; i < queue.length && items.length < MAX_BATCH; i++) if (queue[i].kind == 'event') items.push(queue[i]);
    return post(BATCH, { events: items.map(function (x) { return x.body; }) }, items);
  }

  // On page hide a beacon still gets through; its events stay stored until a fetch confirms them, and their
  // event_id makes the server take each once.
  function beacon() {
    if (!navigator.sendBeacon || !queue.length) return;
    var url = endpoint + BATCH + '?key=' + encodeURIComponent(key), chunk = [], size = 0;
    for (var i = 0; i <= queue.length; i++) {
      var item = queue[i], text = item && item.kind == 'event' ? JSON.stringify(item.body) : '';
      if (chunk.length && (!item || size + text.length > BEACON_BYTES || chunk.length == MAX_BATCH)) {
        navigator.sendBeacon(url, '{"events":[' + chunk.join(',') + ']}');
        chunk = []; size = 0;
      }
      if (text) { chunk.push(text); size += text.length + 1; }
    }
  }

  function onClick(ev) {
    var el = ev.target && ev.target.closest ? ev.target.closest('[data-pe-event]') : null;
    if (!el) return;
    var data = { event_type: el.getAttribute('data-pe-event'), product_id: el.getAttribute('data-pe-product-id') };
    var name = el.getAttribute('data-pe-name'), json = el.getAttribute('data-pe-attrs');
    if (name) data.name = name;
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i];
      if (a.name.indexOf('data-pe-attr-') == 0) data[a.name.slice(13)] = a.value;
    }
    if (json) {
      try { var extra = JSON.parse(json); for (var k in extra) data[k] = extra[k]; } catch (e) { warn('data-pe-attrs is not JSON'); }
    }
    track(data);
  }

  function userengage(command, arg) {
    if (command == 'product_event') track(arg);
    else if (command == 'identify') identify(arg && arg.user_id);
    else if (command == 'reset') reset();
    else if (command == 'flush') flush();
    else warn('unknown command ' + command);
  }

  userengage.loaded = true;
  userengage.visitorKey = function () { return userKey; };
  userengage.userId = function () { return userId; };
  userengage.pending = function () { return queue.length; };
  w.userengage = userengage;

  if (!key) warn('window.productEvents.publicKey is not set');
  try {
    var stored = [];
    for (var n = 0; n < localStorage.length; n++) {
      var name = localStorage.key(n);
      if (name && name.indexOf(PREFIX) == 0) stored.push(JSON.parse(localStorage.getItem(name)));
    }
    stored.sort(function (a, b) { return a.at - b.at; });
    queue = stored.concat(queue);
  } catch (e) { /* storage disabled: events live in memory only */ }

  if (cfg.userId != null && String(cfg.userId) !== '') identify(cfg.userId);
  var calls = (stub && stub.q) || [];
  for (var c = 0; c < calls.length; c++) userengage.apply(null, calls[c]);

  d.addEventListener('click', onClick, true);
  d.addEventListener('visibilitychange', function () { if (d.visibilityState == 'hidden') beacon(); });
  w.addEventListener('pagehide', beacon);
  w.addEventListener('online', function () { attempt = 0; waiting = false; flush(); });
  if (queue.length) schedule(0);
})(window, document);
