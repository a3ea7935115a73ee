/**
 * The JavaScript of the activity page workflow's Code nodes. Each is plain JavaScript source (not
 * compiled TypeScript, so the generated workflow JSON is the same whoever builds it), a function
 * with no imports, so unit tests can run exactly the code that n8n runs.
 */

/**
 * Every request to the page's API passes here first: an unknown action or a field of the wrong
 * kind is a 400 with a message, never a half-run branch.
 * `readRequest(body)` → `{ action, ... }` normalised, or `{ action: 'invalid', status, error }`.
 */
export const READ_REQUEST = String.raw`function readRequest(body) {
  const invalid = (error) => ({ action: 'invalid', status: 400, error });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return invalid('The request body must be a JSON object');
  const has = (key) => Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined && body[key] !== null && body[key] !== '';
  const text = (key, max) => {
    if (!has(key)) return '';
    if (typeof body[key] !== 'string' && typeof body[key] !== 'number') throw new Error(key + ' must be text');
    const value = String(body[key]).trim();
    if (value.length > max) throw new Error(key + ' is longer than ' + max + ' characters');
    return value;
  };
  const isoDate = (value, key) => {
    if (value === undefined || value === null || value === '') return '';
    const time = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(time)) throw new Error(key + ' must be a date (ISO 8601)');
    return new Date(time).toISOString();
  };
  // Only a whole number or its digits: Number(true), Number([5]) or Number('0x10') are not ids.
  const asId = (value) => (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^\d{1,15}$/.test(value)) ? Number(value) : NaN;
  const rowId = (key) => {
    const value = asId(body[key]);
    if (!has(key) || !(value >= 1)) throw new Error(key + ' must be a row id (a whole number from 1)');
    return value;
  };
  try {
    const action = text('action', 40);
    switch (action) {
      case 'stats':
      case 'endpoints':
      case 'catalog':
      case 'activity':
        return { action };
      case 'test': {
        // One catalog type by its exact name: no pattern, so the catalog answers with one sample.
        const eventType = text('eventType', 100);
        if (!/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(eventType)) throw new Error('eventType must be an event type of the catalog, e.g. invoice.activated');
        return { action, id: rowId('id'), eventType };
      }
      case 'deliveries': {
        const raw = has('filter') ? body.filter : {};
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('filter must be an object');
        const filter = {};
        for (const key of ['status', 'eventType', 'endpointName', 'resourceId']) {
          const value = raw[key];
          if (value === undefined || value === null || value === '') continue;
          if (typeof value !== 'string') throw new Error('filter.' + key + ' must be text');
          if (value.length > 500) throw new Error('filter.' + key + ' is longer than 500 characters');
          filter[key] = value.trim();
        }
        if (filter.status && !['pending', 'sent', 'retrying', 'failed', 'skipped'].includes(filter.status)) throw new Error('filter.status must be pending, sent, retrying, failed or skipped');
        const from = isoDate(raw.from, 'filter.from');
        const to = isoDate(raw.to, 'filter.to');
        if (from) filter.from = from;
        if (to) filter.to = to;
        if (from && to && from > to) throw new Error('filter.from is after filter.to');
        const sort = has('sort') ? text('sort', 20) : 'createdAt';
        if (!['createdAt', 'updatedAt', 'id'].includes(sort)) throw new Error('sort must be createdAt, updatedAt or id');
        const direction = has('direction') ? text('direction', 20) : 'desc';
        if (direction !== 'asc' && direction !== 'desc') throw new Error('direction must be asc or desc');
        const page = has('page') ? Number(body.page) : 1;
        const pageSize = has('pageSize') ? Number(body.pageSize) : 25;
        if (!Number.isInteger(page) || page < 1 || page > 100000) throw new Error('page must be a whole number from 1');
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) throw new Error('pageSize must be a whole number from 1 to 200');
        // What the table query may narrow by ("contains"; empty matches all). A value with LIKE or GLOB
        // wildcards is matched by the code alone, so the query never drops a row that matches.
        const narrow = {};
        for (const key of ['status', 'eventType', 'endpointName']) narrow[key] = filter[key] && !/[%*?\[\]\\]/.test(filter[key]) ? filter[key] : '';
        return { action, filter, narrow, sort, direction, page, pageSize };
      }
      case 'delivery': {
        const deliveryId = text('deliveryId', 200);
        if (!deliveryId) throw new Error('deliveryId is required');
        return { action, deliveryId };
      }
      case 'saveEndpoint': {
        const endpoint = body.endpoint;
        if (endpoint === null || typeof endpoint !== 'object' || Array.isArray(endpoint)) throw new Error('endpoint must be an object');
        const id = endpoint.id === undefined || endpoint.id === null || endpoint.id === '' ? 0 : asId(endpoint.id);
        if (!(id >= 0)) throw new Error('endpoint.id must be a row id');
        const fields = {};
        const columns = ['name', 'url', 'eventTypes', 'channels', 'active', 'authentication', 'description'];
        for (const key of columns) {
          if (Object.prototype.hasOwnProperty.call(endpoint, key)) fields[key] = endpoint[key];
        }
        // An update replaces the whole row: a missing field would fall back to an open default
        // (active, every event type, every channel, no authentication), so it must be given.
        const missing = columns.filter((key) => key !== 'description' && !(key in fields));
        if (id > 0 && missing.length > 0) throw new Error('an update must give every field; missing: ' + missing.join(', '));
        // The endpoint's own secrets: write-only, sealed by the Deliver Webhook node (which checks them in full).
        // Given: they replace the endpoint's secrets ({} removes them); absent: kept.
        const secrets = endpoint.secrets;
        if (secrets !== undefined && secrets !== null && (typeof secrets !== 'object' || Array.isArray(secrets))) throw new Error('endpoint.secrets must be an object');
        if (endpoint.rotateSigningSecret !== undefined && typeof endpoint.rotateSigningSecret !== 'boolean') throw new Error('endpoint.rotateSigningSecret must be true or false');
        return { action, id, endpoint: fields, secrets: secrets || '', rotateSigningSecret: endpoint.rotateSigningSecret === true };
      }
      case 'recover': {
        // Svix's recover: resend what failed for the endpoint since a time (e.g. while it was disabled).
        const since = isoDate(body.since, 'since');
        if (!since) throw new Error('since is required (ISO 8601)');
        return { action, endpointId: rowId('endpointId'), since };
      }
      case 'setEndpointActive': {
        if (typeof body.active !== 'boolean') throw new Error('active must be true or false');
        return { action, id: rowId('id'), active: body.active };
      }
      case 'deleteEndpoint': {
        // Deleting is permanent: the caller must say so, not just name the row.
        if (body.confirm !== true) throw new Error('confirm must be true to delete an endpoint');
        return { action, id: rowId('id') };
      }
      case '':
        throw new Error('action is required');
      default:
        throw new Error('Unknown action "' + action.slice(0, 40) + '"');
    }
  } catch (error) {
    return invalid(error.message);
  }
}`;

/**
 * One page of deliveries: the open ones (outbox) and the log rows the table query returned, one per
 * delivery id, filtered exactly, sorted and cut to the page. The list leaves out payloads and response bodies (the details view has them).
 */
export const PAGE_DELIVERIES = String.raw`function pageDeliveries(rows, request) {
  const filter = request.filter;
  // A delivery moving from the outbox to the log is briefly in both: the later (log) row wins.
  const byId = new Map();
  for (const row of rows) if (row && row.deliveryId) byId.set(row.deliveryId, row);
  const matching = [...byId.values()].filter((row) =>
    ['status', 'eventType', 'endpointName', 'resourceId'].every((key) => !filter[key] || String(row[key] ?? '') === filter[key]) &&
    (!filter.from || String(row.createdAt) >= filter.from) &&
    (!filter.to || String(row.createdAt) <= filter.to));
  const key = request.sort;
  const sign = request.direction === 'asc' ? 1 : -1;
  const value = (row) => (key === 'id' ? Number(row.id) : String(row[key] ?? ''));
  matching.sort((a, b) => (value(a) < value(b) ? -sign : value(a) > value(b) ? sign : (Number(a.id) - Number(b.id)) * sign));
  const start = (request.page - 1) * request.pageSize;
  const columns = ['id', 'createdAt', 'updatedAt', 'deliveryId', 'eventId', 'eventType', 'resourceId', 'endpointName', 'endpointUrl', 'status', 'responseCode', 'error', 'attempts', 'firstAttemptAt', 'lastAttemptAt', 'nextAttemptAt', 'durationMs', 'test'];
  return {
    total: matching.length,
    page: request.page,
    pageSize: request.pageSize,
    rows: matching.slice(start, start + request.pageSize).map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? null]))),
  };
}`;

/**
 * Counts for the last hour and day: finished deliveries (sent, failed) by when they were logged,
 * and the deliveries open right now (retrying, pending) from the outbox.
 */
export const ACTIVITY_STATS = String.raw`function activityStats(finished, open, now) {
  const counts = () => ({ sent: 0, retrying: 0, failed: 0, pending: 0 });
  const stats = { lastHour: counts(), lastDay: counts(), generatedAt: now.toISOString() };
  const hourAgo = new Date(now.getTime() - 3600 * 1000).toISOString();
  const dayAgo = new Date(now.getTime() - 24 * 3600 * 1000).toISOString();
  for (const row of finished) {
    // Test deliveries are not traffic: the activity chart counts them apart.
    if (!row || row.test === true || (row.status !== 'sent' && row.status !== 'failed')) continue;
    const at = String(row.createdAt ?? '');
    if (at >= dayAgo) stats.lastDay[row.status]++;
    if (at >= hourAgo) stats.lastHour[row.status]++;
  }
  for (const row of open) {
    if (!row || (row.status !== 'retrying' && row.status !== 'pending')) continue;
    stats.lastDay[row.status]++;
    stats.lastHour[row.status]++;
  }
  return stats;
}`;

/**
 * One delivery for the details view: the open (outbox) row when it is in flight, else its log row;
 * the body from its event record (or, for rows logged before the outbox existed, from the row);
 * and its attempts. `deliveryDetails(open, logged, event)` → `{ status, body }`.
 */
export const DELIVERY_DETAILS = String.raw`function deliveryDetails(open, logged, event) {
  const row = open && open.deliveryId ? open : logged && logged.deliveryId ? logged : null;
  if (!row) return { status: 404, body: { error: 'No delivery with this id' } };
  let stored = [];
  try { stored = row.attemptLog ? JSON.parse(row.attemptLog) : []; } catch (error) { stored = []; }
  if (!Array.isArray(stored)) stored = [];
  if (stored.length === 0 && row.attempts && row.lastAttemptAt) {
    stored = [{ n: 1, at: row.lastAttemptAt, code: row.responseCode ?? null, ms: row.durationMs ?? 0, error: row.error || undefined }];
  }
  const attempts = stored.map((entry) => ({
    attempt: entry.n,
    attemptedAt: entry.at,
    responseCode: entry.code ?? null,
    durationMs: entry.ms ?? 0,
    error: entry.error ?? null,
    trigger: entry.by === 'm' ? 'manual' : 'scheduled',
  }));
  const payload = event && event.id && event.id === row.eventRow ? event.payload : row.payload || '';
  const { attemptLog, claim, version, ...shown } = row;
  // Issues found by lenient validation are kept with the event, once for all its deliveries.
  let schemaIssues = [];
  try { schemaIssues = event && event.id && event.id === row.eventRow && event.schemaIssues ? JSON.parse(event.schemaIssues) : []; } catch (error) { schemaIssues = []; }
  return { status: 200, body: { delivery: { ...shown, payload }, attempts, schemaIssues: Array.isArray(schemaIssues) ? schemaIssues : [] } };
}`;

/**
 * The resend request: a delivery id, or a filter over the delivery log (status, event type,
 * endpoint, resource id, from/to), and how many at most (1,000 at most; 100 when not given).
 * `readResend(body)` → `{ ok: true, deliveryId, filter, narrow, limit }` or `{ ok: false, status, error }`.
 */
export const READ_RESEND = String.raw`function readResend(body) {
  const invalid = (error) => ({ ok: false, status: 400, error });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return invalid('The request body must be a JSON object');
  const filter = {};
  for (const key of ['deliveryId', 'status', 'eventType', 'endpointName', 'resourceId']) {
    const value = body[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') return invalid(key + ' must be text');
    if (value.length > 500) return invalid(key + ' is longer than 500 characters');
    filter[key] = value.trim();
  }
  if (filter.status && !['sent', 'failed', 'retrying', 'pending'].includes(filter.status)) return invalid('status must be sent, failed, retrying or pending');
  for (const key of ['from', 'to']) {
    if (body[key] === undefined || body[key] === null || body[key] === '') continue;
    const time = typeof body[key] === 'string' ? Date.parse(body[key]) : NaN;
    if (Number.isNaN(time)) return invalid(key + ' must be a date (ISO 8601)');
    filter[key] = new Date(time).toISOString();
  }
  // The endpoint by its row id (what "recover" asks for: the endpoint's name may have changed since).
  if (body.endpointId !== undefined && body.endpointId !== null && body.endpointId !== '') {
    const endpointId = typeof body.endpointId === 'number' || (typeof body.endpointId === 'string' && /^\d{1,15}$/.test(body.endpointId)) ? Number(body.endpointId) : NaN;
    if (!Number.isSafeInteger(endpointId) || endpointId < 1) return invalid('endpointId must be a row id (a whole number from 1)');
    filter.endpointId = endpointId;
  }
  let limit = 100;
  if (body.limit !== undefined && body.limit !== null && body.limit !== '') {
    limit = Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return invalid('limit must be a whole number from 1 to 1000');
  }
  // What the table query may narrow by ("contains"); a value with LIKE or GLOB wildcards is matched by the filter alone.
  const narrow = {};
  for (const key of ['deliveryId', 'status', 'eventType', 'endpointName']) narrow[key] = filter[key] && !/[%*?\[\]\\]/.test(filter[key]) ? filter[key] : '';
  return { ok: true, deliveryId: filter.deliveryId || '', filter, narrow, limit };
}`;

/**
 * The space the data tables use, from the Data Table node's table list, against the limit set in
 * Retention's settings (n8n's N8N_DATA_TABLES_MAX_SIZE_BYTES counts all tables together).
 * `storageUsage(tables, settings)` → `{ known, usedBytes, limitBytes, percent, trim, warn, tables }`.
 */
export const STORAGE_USAGE = String.raw`function storageUsage(tables, settings) {
  // Without n8n's API (no credential, or it did not answer), the space used is unknown: say so, warn of nothing.
  if (!Array.isArray(tables)) return { known: false, usedBytes: 0, limitBytes: Number(settings.limitBytes) || 0, percent: 0, trim: false, warn: false, tables: [] };
  const list = tables.filter((table) => table && typeof table.name === 'string')
    .map((table) => ({ name: table.name, sizeBytes: Number(table.sizeBytes) || 0 }))
    .sort((a, b) => b.sizeBytes - a.sizeBytes);
  const usedBytes = list.reduce((sum, table) => sum + table.sizeBytes, 0);
  const limitBytes = Number(settings.limitBytes) > 0 ? Number(settings.limitBytes) : 200 * 1024 * 1024;
  const percent = Math.round((usedBytes / limitBytes) * 1000) / 10;
  return {
    known: true,
    usedBytes,
    limitBytes,
    percent,
    trim: percent >= Number(settings.trimAbovePercent ?? 70),
    warn: percent >= Number(settings.warnAbovePercent ?? 80),
    tables: list,
  };
}`;
