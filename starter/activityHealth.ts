/**
 * The activity page's health and test-event Code nodes, as plain JavaScript source (see
 * activityCode.ts for why): functions with no imports, run by the unit tests exactly as n8n runs them.
 */

/**
 * Which part of the delivery log the activity chart reads. The log is append-only and its ids grow
 * with time, and n8n indexes only `id`: so the query is bounded below by an id (an id range, which
 * the database walks by its primary key) and not only by a date (which reads the whole table).
 * `fromId` is the first log row of the window as found last time, kept in the workflow's static
 * data; a row older than the window then stays older, so the hint stays a valid lower bound.
 * `activityWindow(hint, now)` → `{ fromId, since }`.
 */
export const ACTIVITY_WINDOW = String.raw`function activityWindow(hint, now) {
  const fromId = Number(hint && hint.activityFromId);
  return { fromId: Number.isSafeInteger(fromId) && fromId > 0 ? fromId : 0, since: new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString() };
}`;

/**
 * Deliveries per hour by status (24 hours and 7 days), success rate, last response and last
 * success: overall and per endpoint. Finished deliveries come from the log, bucketed by the hour
 * they were logged; those open now (retrying, pending) from the outbox. Test deliveries are left
 * out of every count and of health, and counted apart.
 * `endpointActivity(logRows, openRows, now)` → `{ generatedAt, overall, endpoints: [...] }`.
 */
export const ENDPOINT_ACTIVITY = String.raw`function endpointActivity(logRows, openRows, now) {
  const HOUR = 3600 * 1000;
  const currentHour = Math.floor(now.getTime() / HOUR) * HOUR;
  const series = (hours) => ({ from: new Date(currentHour - (hours - 1) * HOUR).toISOString(), hours, sent: new Array(hours).fill(0), failed: new Array(hours).fill(0) });
  const blank = (key, row) => ({
    key, endpointId: row ? (Number(row.endpointId) > 0 ? Number(row.endpointId) : null) : null, endpointName: row ? String(row.endpointName ?? '') : '',
    day: series(24), week: series(168), sent: 0, failed: 0, open: 0, tests: 0,
    successRate: null, lastResponse: null, lastSuccessAt: null, lastTest: null,
  });
  const overall = blank('all', null);
  const byKey = new Map();
  const keyOf = (row) => (Number(row.endpointId) > 0 ? 'id:' + Number(row.endpointId) : 'name:' + String(row.endpointName ?? ''));
  const entryOf = (row) => {
    const key = keyOf(row);
    if (!byKey.has(key)) byKey.set(key, blank(key, row));
    return byKey.get(key);
  };
  const timeOf = (value) => { const time = Date.parse(String(value ?? '')); return Number.isNaN(time) ? null : time; };
  const later = (a, b) => (!a || (b && b.at > a.at) ? b : a);
  for (const row of Array.isArray(logRows) ? logRows : []) {
    if (!row || (row.status !== 'sent' && row.status !== 'failed')) continue;
    const entry = entryOf(row);
    const attemptAt = row.lastAttemptAt || row.createdAt;
    const response = { code: row.responseCode ?? null, status: row.status, at: String(attemptAt ?? '') };
    if (row.test === true) {
      entry.tests++;
      overall.tests++;
      entry.lastTest = later(entry.lastTest, response);
      continue;
    }
    const logged = timeOf(row.createdAt);
    if (logged === null || logged >= currentHour + HOUR) continue;
    const hour = Math.floor((logged - currentHour) / HOUR);
    for (const target of [entry, overall]) {
      if (hour > -168) { target.week[row.status][hour + 167]++; target[row.status]++; }
      if (hour > -24) target.day[row.status][hour + 23]++;
      target.lastResponse = later(target.lastResponse, response);
      if (row.status === 'sent' && (!target.lastSuccessAt || response.at > target.lastSuccessAt)) target.lastSuccessAt = response.at;
    }
  }
  for (const row of Array.isArray(openRows) ? openRows : []) {
    if (!row || (row.status !== 'retrying' && row.status !== 'pending')) continue;
    const entry = entryOf(row);
    for (const target of [entry, overall]) {
      target.open++;
      if (row.lastAttemptAt) target.lastResponse = later(target.lastResponse, { code: row.responseCode ?? null, status: row.status, at: String(row.lastAttemptAt) });
    }
  }
  const rate = (entry) => (entry.sent + entry.failed > 0 ? Math.round((entry.sent / (entry.sent + entry.failed)) * 1000) / 10 : null);
  const endpoints = [...byKey.values()];
  for (const entry of [overall, ...endpoints]) entry.successRate = rate(entry);
  return { generatedAt: now.toISOString(), overall, endpoints };
}`;

/**
 * The event a test sends: the catalog's sample of the chosen type with an id of its own, to one
 * endpoint as it is now. An endpoint that is gone or disabled gets nothing. The test reaches the
 * endpoint whatever it subscribes to (event types, channels): it was asked for by name.
 * `testEvent(request, endpointRow, catalogItem, now, random)` → `{ ok: true, event, endpoint }` or `{ ok: false, status, error }`.
 */
export const TEST_EVENT = String.raw`function testEvent(request, endpointRow, catalogItem, now, random) {
  const refuse = (status, error) => ({ ok: false, status, error });
  if (!endpointRow || !endpointRow.id) return refuse(404, 'No endpoint with this id');
  if (endpointRow.active !== true) return refuse(409, 'The endpoint is disabled: enable it to send a test event');
  if (!catalogItem || catalogItem.type !== request.eventType || !catalogItem.sample) return refuse(422, 'eventType: "' + request.eventType + '" is not an event type of the catalog');
  const sample = catalogItem.sample;
  const event = {
    ...sample,
    id: 'evt_test_' + random,
    timestamp: now.toISOString(),
  };
  const { createdAt, updatedAt, ...row } = endpointRow;
  return { ok: true, event, endpoint: { ...row, eventTypes: '*', channels: '' } };
}`;

/**
 * The log row of a test delivery: finished at once (a test is never retried), marked `test`, so the
 * counts and endpoint health leave it out. `testLogRow(result, endpoint, eventRow)` → a log row.
 */
export const TEST_LOG_ROW = String.raw`function testLogRow(result, endpoint, eventRow) {
  const cut = (text, max) => (text ? (String(text).length > max ? String(text).slice(0, max) + '…' : String(text)) : null);
  const sent = result.status === 'sent';
  return {
    deliveryId: String(result.deliveryId), eventRow: Number(eventRow) || 0, eventId: String(result.eventId), eventType: String(result.eventType),
    resourceId: result.resourceId ?? '', endpointId: Number(endpoint.id) || null, endpointName: String(endpoint.name ?? ''), endpointUrl: String(endpoint.url ?? ''),
    endpointAuthentication: String(endpoint.authentication ?? ''), status: sent ? 'sent' : 'failed', responseCode: result.responseCode ?? null,
    responseBody: cut(result.responseBody, 256), error: sent ? null : cut(result.error || 'Not sent (' + result.status + ')', 300), attempts: Number(result.attempts) || 0,
    attemptLog: '', firstAttemptAt: result.firstAttemptAt ?? null, lastAttemptAt: result.lastAttemptAt ?? null, durationMs: Number(result.durationMs) || 0,
    endpointGone: result.endpointGone === true, test: true,
  };
}`;
