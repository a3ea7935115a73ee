'use strict';
// n8n serves this page in a sandbox (an opaque origin): no storage, so the token lives in this tab's memory only.
const ADMIN_HEADER = '__ADMIN_HEADER__';
const base = location.href.split(/[?#]/)[0].replace(/\/+$/, '');
const apiUrl = base + '/api';
const resendUrl = base.replace(/\/[^/]+$/, '/__RESEND_NAME__');
const $ = (id) => document.getElementById(id);
const state = { token: '', page: 1, pageSize: 25, total: 0, selected: '', endpoints: [], catalog: [], request: {} };

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'className') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child));
  return el;
}
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
const badge = (status) => h('span', { className: 'status ' + status }, status);
let toastTimer;
function toast(message) {
  $('toast').textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => ($('toast').textContent = ''), 5000);
}

async function call(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [ADMIN_HEADER]: state.token }, body: JSON.stringify(body) });
  const text = await res.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { message: text.slice(0, 200) }; }
  if (res.status === 401 || res.status === 403) { signOut('The admin token was not accepted.'); throw new Error('Not signed in'); }
  if (!res.ok) {
    const error = new Error(data.error || data.message || 'The server answered ' + res.status);
    error.errors = data.errors;
    throw error;
  }
  return data;
}
const api = (body) => call(apiUrl, body);

function signOut(message) {
  state.token = '';
  $('app').hidden = true;
  $('signin').hidden = false;
  $('stats').textContent = '';
  $('signin-error').textContent = message || '';
  $('token').focus();
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  state.token = $('token').value.trim();
  $('signin-error').textContent = '';
  try {
    await loadStats();
    $('token').value = '';
    $('signin').hidden = true;
    $('app').hidden = false;
    await Promise.all([loadEndpoints(), loadCatalog()]).catch((error) => toast(error.message));
    state.request = readFilters();
    await loadDeliveries();
    $('tab-deliveries').focus();
  } catch (error) {
    if (state.token) $('signin-error').textContent = error.message;
  }
});

// Tabs: arrow keys move between them, as the ARIA tabs pattern has it.
const tabs = ['deliveries', 'endpoints', 'activity', 'catalog'];
function showTab(name) {
  for (const tab of tabs) {
    const selected = tab === name;
    $('tab-' + tab).setAttribute('aria-selected', String(selected));
    $('tab-' + tab).tabIndex = selected ? 0 : -1;
    $('panel-' + tab).hidden = !selected;
  }
  $('tab-' + name).focus();
}
for (const tab of tabs) {
  $('tab-' + tab).addEventListener('click', () => showTab(tab));
  $('tab-' + tab).addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step) showTab(tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]);
  });
}

// Activity: counts by status, refreshed every 15 s while the page is visible.
async function loadStats() {
  const stats = await api({ action: 'stats' });
  const line = (label, counts) => h('span', {}, label + ': ', h('b', {}, counts.sent), ' sent · ', h('b', {}, counts.retrying), ' retrying · ', h('b', {}, counts.failed), ' failed · ', h('b', {}, counts.pending), ' pending');
  const mb = (bytes) => (bytes / 1048576).toFixed(1) + ' MB';
  // n8n refuses every write once all data tables together reach N8N_DATA_TABLES_MAX_SIZE_BYTES.
  const space = stats.storage ? h('span', { id: 'space', className: stats.storage.warn ? 'warn' : '' }, 'Data-table space: ', h('b', {}, mb(stats.storage.usedBytes)), ' of ' + mb(stats.storage.limitBytes) + ' (' + stats.storage.percent + '%)') : '';
  $('stats').replaceChildren(line('Last hour', stats.lastHour), line('Last 24 h', stats.lastDay), space);
  $('stats').title = 'Updated ' + when(stats.generatedAt);
}
setInterval(() => { if (state.token && !document.hidden) loadStats().catch(() => {}); }, 15000);

// Deliveries
function readFilters() {
  const form = new FormData($('filters'));
  const filter = {};
  for (const key of ['status', 'eventType', 'endpointName', 'resourceId']) if (form.get(key)) filter[key] = String(form.get(key)).trim();
  // datetime-local has minutes only: "To" takes in the whole of its minute.
  if (form.get('from')) filter.from = new Date(String(form.get('from'))).toISOString();
  if (form.get('to')) filter.to = new Date(new Date(String(form.get('to'))).getTime() + 59999).toISOString();
  return { filter, sort: form.get('sort'), direction: form.get('direction') };
}
// The filters count once applied: paging, refreshing and resending all use the applied ones.
function applyFilters() {
  try {
    state.request = readFilters();
  } catch {
    toast('A date in the filter is not valid.');
    return;
  }
  state.page = 1;
  loadDeliveries();
}
async function loadDeliveries() {
  try {
    const result = await api({ action: 'deliveries', ...state.request, page: state.page, pageSize: state.pageSize });
    const pages = Math.max(1, Math.ceil(result.total / state.pageSize));
    if (state.page > pages) { state.page = pages; return loadDeliveries(); }
    state.total = result.total;
    renderDeliveries(result.rows);
    $('total').textContent = result.total + (result.total === 1 ? ' delivery matches' : ' deliveries match') +
      (result.capped ? ' (only the newest 5,000 log rows were searched: narrow the dates to see older ones)' : '');
    $('page').textContent = 'Page ' + state.page + ' of ' + pages;
    $('prev').disabled = state.page <= 1;
    $('next').disabled = state.page >= pages;
    $('resend-matching').disabled = result.total === 0;
  } catch (error) {
    state.total = 0;
    $('deliveries').replaceChildren();
    $('total').textContent = error.message;
    $('resend-matching').disabled = true;
  }
}
function renderDeliveries(rows) {
  const view = document.querySelector('input[name="view"]:checked').value;
  const open = (row) => () => openDelivery(row.deliveryId);
  const keyOpen = (row) => (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); openDelivery(row.deliveryId); } };
  if (rows.length === 0) return $('deliveries').replaceChildren(h('p', { className: 'muted' }, 'No deliveries match.'));
  if (view === 'cards') {
    return $('deliveries').replaceChildren(h('div', { className: 'cards', role: 'list' }, rows.map((row) =>
      h('article', { className: 'card', role: 'listitem', tabindex: 0, 'data-delivery': row.deliveryId, onclick: open(row), onkeydown: keyOpen(row), 'aria-label': row.eventType + ' to ' + row.endpointName + ', ' + row.status },
        h('h3', {}, row.eventType, ' ', badge(row.status)),
        h('dl', {},
          h('dt', {}, 'Resource'), h('dd', {}, row.resourceId || '—'),
          h('dt', {}, 'Endpoint'), h('dd', {}, row.endpointName),
          h('dt', {}, 'Response'), h('dd', {}, row.responseCode ?? '—'),
          h('dt', {}, 'Attempts'), h('dd', {}, row.attempts ?? 0),
          h('dt', {}, 'Latest'), h('dd', {}, when(row.lastAttemptAt) || '—'),
          h('dt', {}, 'Next'), h('dd', {}, when(row.nextAttemptAt) || '—'))))));
  }
  const head = ['Event type', 'Resource ID', 'Endpoint', 'Status', 'Code', 'Attempts', 'Latest attempt', 'Next attempt', 'Created'];
  const optional = new Set(['Latest attempt', 'Next attempt', 'Created']);
  $('deliveries').replaceChildren(h('div', { className: 'wrap' }, h('table', { 'aria-label': 'Deliveries' },
    h('thead', {}, h('tr', {}, head.map((title) => h('th', { className: optional.has(title) ? 'optional' : '' }, title)))),
    h('tbody', {}, rows.map((row) => h('tr', { tabindex: 0, 'data-delivery': row.deliveryId, className: row.deliveryId === state.selected ? 'selected' : '', onclick: open(row), onkeydown: keyOpen(row) },
      h('td', {}, row.eventType), h('td', {}, row.resourceId || '—'), h('td', {}, row.endpointName), h('td', {}, badge(row.status), row.test ? [' ', badge('test')] : ''),
      h('td', { className: 'num' }, row.responseCode ?? '—'), h('td', { className: 'num' }, row.attempts ?? 0),
      h('td', { className: 'optional' }, when(row.lastAttemptAt)), h('td', { className: 'optional' }, when(row.nextAttemptAt)), h('td', { className: 'optional' }, when(row.createdAt))))))));
}
async function openDelivery(deliveryId) {
  state.selected = deliveryId;
  for (const el of document.querySelectorAll('[data-delivery]')) el.classList.toggle('selected', el.dataset.delivery === deliveryId);
  const panel = $('details');
  try {
    const { delivery, attempts, schemaIssues = [] } = await api({ action: 'delivery', deliveryId });
    let payload = await readStoredBody(delivery.payload || '');
    try { payload = JSON.stringify(JSON.parse(payload), null, 2); } catch {}
    panel.replaceChildren(
      h('div', { className: 'toolbar' }, h('h2', { id: 'details-title' }, 'Delivery details'), h('div', { className: 'group' },
        h('button', { id: 'resend-one', className: 'primary', type: 'button', onclick: () => resendOne(delivery.deliveryId) }, 'Resend'),
        h('button', { type: 'button', onclick: closeDetails }, 'Close'))),
      h('dl', {},
        h('dt', {}, 'Status'), h('dd', {}, badge(delivery.status)),
        h('dt', {}, 'Event'), h('dd', {}, delivery.eventType + ' · ' + delivery.eventId),
        h('dt', {}, 'Resource ID'), h('dd', {}, delivery.resourceId || '—'),
        h('dt', {}, 'Endpoint'), h('dd', {}, delivery.endpointName + ' · ' + delivery.endpointUrl),
        h('dt', {}, 'Webhook ID'), h('dd', {}, h('code', {}, delivery.deliveryId)),
        h('dt', {}, 'Response'), h('dd', {}, String(delivery.responseCode ?? '—')),
        h('dt', {}, 'Attempts'), h('dd', {}, String(delivery.attempts ?? 0)),
        h('dt', {}, 'Next attempt'), h('dd', {}, when(delivery.nextAttemptAt) || '—'),
        delivery.error ? [h('dt', {}, 'Error'), h('dd', { className: 'error' }, delivery.error)] : [],
        schemaIssues.length ? [h('dt', {}, 'Schema issues'), h('dd', { id: 'schema-issues' }, schemaIssues.map((issue) => h('div', {}, h('code', {}, issue.path), ' ' + issue.message)))] : []),
      h('h3', {}, 'Attempts'),
      h('div', { className: 'wrap' }, h('table', { id: 'attempts', 'aria-label': 'Attempts' },
        h('thead', {}, h('tr', {}, ['#', 'When', 'Trigger', 'Code', 'ms', 'Error'].map((title) => h('th', {}, title)))),
        h('tbody', {}, attempts.map((attempt) => h('tr', {}, h('td', {}, attempt.attempt), h('td', {}, when(attempt.attemptedAt)), h('td', {}, attempt.trigger),
          h('td', { className: 'num' }, attempt.responseCode ?? '—'), h('td', { className: 'num' }, attempt.durationMs ?? ''), h('td', {}, attempt.error || '')))))),
      ...(delivery.responseBody ? [h('h3', {}, 'Last response body'), h('pre', {}, delivery.responseBody)] : []),
      h('h3', {}, 'Payload'), h('pre', { id: 'payload' }, payload));
    panel.hidden = false;
    $('delivery-layout').classList.add('with-details');
    panel.focus();
  } catch (error) {
    toast(error.message);
  }
}
function closeDetails() {
  state.selected = '';
  $('details').hidden = true;
  $('delivery-layout').classList.remove('with-details');
  for (const el of document.querySelectorAll('.selected')) el.classList.remove('selected');
}
// Long bodies are stored deflated ("z:" and base64); the browser inflates them, nothing is fetched.
async function readStoredBody(stored) {
  if (!stored.startsWith('z:')) return stored;
  try {
    const bytes = Uint8Array.from(atob(stored.slice(2)), (c) => c.charCodeAt(0));
    return await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).text();
  } catch {
    return '(the stored body cannot be read)';
  }
}

async function resendOne(deliveryId) {
  $('resend-one').disabled = true;
  try {
    const result = await call(resendUrl, { deliveryId });
    toast('Resent: ' + (result.deliveries[0] ? result.deliveries[0].status : 'nothing matched'));
    await Promise.all([openDelivery(deliveryId), loadDeliveries(), loadStats()]);
  } catch (error) {
    toast(error.message);
    $('resend-one').disabled = false;
  }
}
$('resend-matching').addEventListener('click', async () => {
  const { filter } = state.request;
  const count = Math.min(state.total, 1000);
  const more = state.total > 1000 ? ' (the first 1,000 of ' + state.total + '; resend again for the rest)' : '';
  if (!(await confirmDialog('Resend all ' + count + ' matching deliveries' + more + ', with the same content and webhook-id?'))) return;
  try {
    const result = await call(resendUrl, { ...filter, limit: 1000 });
    toast('Resent ' + result.matched + ': ' + result.sent + ' sent, ' + result.failed + ' not sent');
    await Promise.all([loadDeliveries(), loadStats()]);
  } catch (error) {
    toast(error.message);
  }
});
$('filters').addEventListener('submit', (event) => { event.preventDefault(); applyFilters(); });
$('filters').addEventListener('reset', () => setTimeout(applyFilters));
for (const radio of document.querySelectorAll('input[name="view"]')) radio.addEventListener('change', loadDeliveries);
$('refresh').addEventListener('click', () => Promise.all([loadEndpoints(), loadDeliveries(), loadStats()]).catch((error) => toast(error.message)));
$('prev').addEventListener('click', () => { state.page--; loadDeliveries(); });
$('next').addEventListener('click', () => { state.page++; loadDeliveries(); });

function confirmDialog(message) {
  const dialog = $('confirm');
  $('confirm-text').textContent = message;
  dialog.showModal();
  return new Promise((resolve) => {
    const done = (answer) => () => { dialog.close(); $('confirm-ok').onclick = $('confirm-cancel').onclick = dialog.oncancel = null; resolve(answer); };
    $('confirm-ok').onclick = done(true);
    $('confirm-cancel').onclick = done(false);
    dialog.oncancel = done(false);
  });
}

// Endpoints
async function loadEndpoints() {
  const { endpoints } = await api({ action: 'endpoints' });
  state.endpoints = endpoints.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const select = document.querySelector('#filters select[name="endpointName"]');
  const current = select.value;
  select.replaceChildren(h('option', { value: '' }, 'Any'), ...state.endpoints.map((endpoint) => h('option', {}, endpoint.name)));
  select.value = current;
  // The list shows at once; health fills in when the activity (a read of the last 7 days of the log) arrives.
  renderEndpoints();
  loadActivity().then(renderEndpoints).catch((error) => toast(error.message));
}
function editEndpoint(endpoint) {
  const form = $('endpoint-form');
  form.reset();
  $('endpoint-errors').replaceChildren();
  $('new-signing-secret').hidden = true;
  $('endpoint-form-title').textContent = endpoint ? 'Edit ' + endpoint.name : 'Add endpoint';
  const value = (name, fallback) => (endpoint && endpoint[name] !== undefined && endpoint[name] !== null ? endpoint[name] : fallback);
  form.elements.id.value = value('id', '');
  for (const name of ['name', 'url', 'channels', 'description']) form.elements[name].value = value(name, '');
  form.elements.authentication.value = value('authentication', 'none') || 'none';
  form.elements.active.checked = value('active', true) !== false;
  let hint = {};
  try { hint = JSON.parse(value('secretsHint', '') || '{}'); } catch { hint = {}; }
  const said = [hint.signingSecret && 'signing secret ' + hint.signingSecret, hint.secretHeader && 'header ' + hint.secretHeader.name + ' ' + hint.secretHeader.value,
    hint.headers && hint.headers.length + ' additional header(s)', hint.oauth2 && 'OAuth2 client ' + hint.oauth2.clientId + ' at ' + hint.oauth2.tokenUrl, hint.stale && 'entered for another host: enter them again'].filter(Boolean);
  $('secrets-hint').textContent = said.length ? 'Set: ' + said.join('; ') + '.' : 'None yet. A signing secret is made when the endpoint is saved.';
  const types = String(value('eventTypes', '*')).split(/[\s,]+/).filter(Boolean);
  form.elements.allTypes.checked = types.length === 0 || types.includes('*');
  for (const box of document.querySelectorAll('#type-choices input')) box.checked = types.includes(box.value);
  syncTypes();
  form.hidden = false;
  form.elements.name.focus();
}
function syncTypes() {
  const all = $('endpoint-form').elements.allTypes.checked;
  for (const box of document.querySelectorAll('#type-choices input')) box.disabled = all;
}
$('endpoint-form').elements.allTypes.addEventListener('change', syncTypes);
$('add-endpoint').addEventListener('click', () => editEndpoint(null));
$('cancel-endpoint').addEventListener('click', () => ($('endpoint-form').hidden = true));
$('endpoint-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const chosen = [...document.querySelectorAll('#type-choices input:checked')].map((box) => box.value);
  const endpoint = {
    id: form.elements.id.value || undefined,
    name: form.elements.name.value, url: form.elements.url.value, channels: form.elements.channels.value,
    description: form.elements.description.value, authentication: form.elements.authentication.value, active: form.elements.active.checked,
    eventTypes: form.elements.allTypes.checked ? '*' : chosen.join(', '),
  };
  const field = (name) => form.elements[name].value.trim();
  if (form.elements.replaceSecrets.checked) {
    const secrets = {};
    if (field('secretHeaderName') || field('secretHeaderValue')) secrets.secretHeader = { name: field('secretHeaderName'), value: field('secretHeaderValue') };
    const lines = field('extraHeaders').split('\n').map((line) => line.trim()).filter(Boolean);
    if (lines.length) secrets.headers = lines.map((line) => ({ name: line.split(':')[0].trim(), value: line.slice(line.indexOf(':') + 1).trim() }));
    if (field('oauthTokenUrl') || field('oauthClientId')) secrets.oauth2 = { tokenUrl: field('oauthTokenUrl'), clientId: field('oauthClientId'), clientSecret: field('oauthClientSecret'), scope: field('oauthScope') };
    endpoint.secrets = secrets;
  }
  if (form.elements.rotateSigningSecret.checked) endpoint.rotateSigningSecret = true;
  if (!form.elements.allTypes.checked && chosen.length === 0) return $('endpoint-errors').replaceChildren(h('li', {}, 'Choose at least one event type, or all.'));
  try {
    const saved = await api({ action: 'saveEndpoint', endpoint });
    for (const name of ['secretHeaderValue', 'oauthClientSecret', 'extraHeaders']) form.elements[name].value = '';
    const shown = $('new-signing-secret');
    // Shown this once, to hand to the partner: the table keeps it sealed and the API never shows it again.
    shown.hidden = !saved.signingSecret && !saved.warning;
    shown.textContent = (saved.signingSecret ? 'Signing secret for ' + saved.endpoint.name + ' (shown once, give it to the partner): ' + saved.signingSecret + ' ' : '') + (saved.warning || '');
    form.hidden = true;
    toast('Saved endpoint ' + saved.endpoint.name);
    await loadEndpoints();
  } catch (error) {
    $('endpoint-errors').replaceChildren(...(error.errors || [error.message]).map((message) => h('li', {}, message)));
  }
});
async function setActive(endpoint, active) {
  try {
    await api({ action: 'setEndpointActive', id: endpoint.id, active });
    toast((active ? 'Enabled ' : 'Disabled ') + endpoint.name);
    await loadEndpoints();
  } catch (error) {
    toast(error.message);
    return;
  }
  // Svix's recover: what failed while the endpoint was disabled can go out again, once asked.
  if (active && endpoint.disabledAt && (await confirmDialog('Resend what failed for "' + endpoint.name + '" since it was disabled (' + endpoint.disabledAt + ')?'))) {
    try {
      const { recover } = await api({ action: 'recover', endpointId: endpoint.id, since: endpoint.disabledAt });
      toast('Resent ' + (recover && recover.matched || 0) + ' failed deliveries to ' + endpoint.name + (recover && recover.failed ? ' (' + recover.failed + ' failed again)' : ''));
    } catch (error) {
      toast(error.message);
    }
  }
}
async function deleteEndpoint(endpoint) {
  if (!(await confirmDialog('Delete the endpoint "' + endpoint.name + '"? This cannot be undone; its delivery log stays.'))) return;
  try {
    await api({ action: 'deleteEndpoint', id: endpoint.id, confirm: true });
    toast('Deleted ' + endpoint.name);
    await loadEndpoints();
  } catch (error) {
    toast(error.message);
  }
}

// Catalog
async function loadCatalog() {
  let { eventTypes } = await api({ action: 'catalog' });
  // Custom rows that could not be read come with an error and no sample: listed, not offered.
  const broken = eventTypes.filter((type) => type.error);
  eventTypes = eventTypes.filter((type) => !type.error);
  state.catalog = eventTypes;
  const select = document.querySelector('#filters select[name="eventType"]');
  select.replaceChildren(h('option', { value: '' }, 'Any'), ...eventTypes.map((type) => h('option', {}, type.type)));
  $('type-choices').replaceChildren(...eventTypes.map((type) => h('label', { className: 'inline' }, h('input', { type: 'checkbox', value: type.type }), type.type)));
  $('catalog').replaceChildren(...eventTypes.map((type) => h('details', {},
    h('summary', {}, h('code', {}, type.type), ' — ', type.label, ' ', h('span', { className: 'muted' }, '(' + type.system + (type.custom ? ', custom' : '') + ')')),
    h('p', {}, type.description),
    h('pre', {}, JSON.stringify(type.sample, null, 2)))),
    ...broken.map((type) => h('p', { className: 'error' }, 'webhook_event_types row ' + type.row + (type.type ? ' (' + type.type + ')' : '') + ' is left out: ' + type.error)));
}
$('token').focus();
