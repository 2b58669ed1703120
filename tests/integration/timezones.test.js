// Time zones and preferences (issue 13). Each person chooses a language,
// a time zone and a default queue view in the Preferences of the account
// page; every time on the ticket page and the queue is then shown in
// their zone (<time datetime=UTC title="absolute, zone">), relative when
// recent, and a notification mail shows the recipient's zone. The zone
// is converted inside the sandboxed workers (the stack runs sandbox=on),
// which is what proves Landlock keeps the zone files readable.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { sql, q } = require('../lib/db');
const { waitForMail } = require('../lib/inbox');
const { workspaceWithMembers, newUser } = require('../lib/fixtures');

const main = (body) => (body.match(/<main\b[^>]*>[\s\S]*<\/main>/) || [''])[0];
const flashOf = (body) => {
  const m = main(body).match(/<div class="notice flash" role="status"><p>([^<]*)<\/p><\/div>/);
  return m ? m[1] : null;
};
const prefsOf = (id) => sql(`SELECT COALESCE(lang, 'NULL'), COALESCE(time_zone, 'NULL'),
  COALESCE(queue_view, 'NULL') FROM users WHERE id = ${id}`)[0];

async function savePrefs(client, fields) {
  return client.submit('/account', '/account/preferences',
    { lang: '', time_zone: 'UTC', queue_view: 'all', ...fields });
}

test('preferences are saved with a message, audited, and a bad zone is refused with the input kept', async () => {
  const W = await workspaceWithMembers();
  const page = await W.agent.get('/account');
  assert.equal(page.status, 200);
  assert.match(page.body, /<h2 id="preferences">Preferences<\/h2>/);
  assert.match(page.body, /<option value="UTC" selected>UTC<\/option>/, 'UTC until chosen');
  assert.match(page.body, /<optgroup label="America">[\s\S]*<option value="America\/New_York">New York<\/option>/);
  assert.match(page.body, /<option value="">Automatic \(from your browser\)<\/option>|<option value="" selected>Automatic \(from your browser\)<\/option>/);
  assert.match(page.body, /<option value="mine">Assigned to me<\/option>/);

  const res = await savePrefs(W.agent, { time_zone: 'America/New_York', queue_view: 'mine' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/account');
  const after = await W.agent.get('/account');
  assert.equal(flashOf(after.body), 'Your preferences were saved.');
  assert.match(after.body, /<option value="America\/New_York" selected>New York<\/option>/);
  assert.match(after.body, /<option value="mine" selected>Assigned to me<\/option>/);
  assert.match(after.body, /yours now: \d+ \w+ \d{4}, \d\d:\d\d E[SD]T \(America\/New_York\)/);
  assert.deepEqual(prefsOf(W.users.agent.id), ['NULL', 'America/New_York', 'assignee=me']);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.preferences'
    AND actor_id = ${W.users.agent.id} AND object_id = ${W.users.agent.id}`)[0][0]), 1);

  // Not a zone: 400, the field marked, what was typed still chosen.
  const bad = await savePrefs(W.agent, { time_zone: 'Mars/Olympus_Mons', queue_view: 'unassigned' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /<select id="time_zone" aria-invalid="true" aria-describedby="time_zone-error"/);
  assert.match(bad.body, /<p class="field-error" id="time_zone-error">Choose a time zone from the list\.<\/p>/);
  assert.match(bad.body, /<option value="Mars\/Olympus_Mons" selected>Mars\/Olympus_Mons<\/option>/);
  assert.match(bad.body, /<option value="unassigned" selected>Unassigned<\/option>/);
  assert.deepEqual(prefsOf(W.users.agent.id), ['NULL', 'America/New_York', 'assignee=me'], 'nothing changed');

  // A view or language not in the list, likewise.
  assert.equal((await savePrefs(W.agent, { queue_view: 'everything' })).status, 400);
  assert.equal((await savePrefs(W.agent, { lang: 'xx' })).status, 400);
  // UTC again is stored as none, as it was before any choice.
  assert.equal((await savePrefs(W.agent, { time_zone: 'UTC', queue_view: 'all' })).status, 303);
  assert.deepEqual(prefsOf(W.users.agent.id), ['NULL', 'NULL', 'NULL']);
});

test('times on the ticket page and the queue are in the viewer\'s zone, named; recent ones are relative', async () => {
  const W = await workspaceWithMembers();
  const T = `/w/${W.slug}/tickets`;
  assert.equal((await savePrefs(W.agent, { time_zone: 'America/New_York' })).status, 303);
  const opened = await W.requester.submit(`${T}/new`, `${T}/new`, { subject: 'Clock on the wall', body: 'It is wrong.' });
  const num = Number(opened.headers.location.match(/\/tickets\/(\d+)$/)[1]);
  const [[id]] = sql(`SELECT id FROM tickets WHERE number = ${num} AND workspace_id =
    (SELECT id FROM workspaces WHERE slug = ${q(W.slug)})`);

  // Fresh: "just now" or minutes ago, the absolute time in its title.
  let page = await W.agent.get(`${T}/${num}`);
  assert.match(page.body, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" title="\d+ \w+ \d{4}, \d\d:\d\d E[SD]T \(America\/New_York\)">(just now|1 minute ago)<\/time>/);
  sql(`UPDATE tickets SET created_at = UTC_TIMESTAMP() - INTERVAL 5 MINUTE WHERE id = ${id}`);
  page = await W.agent.get(`${T}/${num}`);
  assert.match(page.body, /title="[^"]+ \(America\/New_York\)">5 minutes ago<\/time>/);

  // In January New York is UTC-5 (EST); in July UTC-4 (EDT).
  sql(`UPDATE tickets SET created_at = '2026-01-15 15:04:05', updated_at = '2026-07-01 12:00:00',
    public_updated_at = '2026-07-01 12:00:00' WHERE id = ${id}`);
  page = await W.agent.get(`${T}/${num}`);
  assert.match(page.body, /<time datetime="2026-01-15T15:04:05Z" title="15 Jan 2026, 10:04 EST \(America\/New_York\)">15 Jan 2026, 10:04 EST<\/time>/);
  assert.match(page.body, /<time datetime="2026-07-01T12:00:00Z" title="1 Jul 2026, 08:00 EDT \(America\/New_York\)">1 Jul 2026, 08:00 EDT<\/time>/);
  const queue = await W.agent.get(T);
  assert.match(queue.body, /<td data-label="Updated"><time datetime="2026-07-01T12:00:00Z" title="1 Jul 2026, 08:00 EDT \(America\/New_York\)">1 Jul 2026, 08:00 EDT<\/time><\/td>/);

  // Someone who chose nothing sees UTC, named.
  page = await W.admin.get(`${T}/${num}`);
  assert.match(page.body, /<time datetime="2026-01-15T15:04:05Z" title="15 Jan 2026, 15:04 UTC">15 Jan 2026, 15:04 UTC<\/time>/);
  const adminQueue = await W.admin.get(T);
  assert.match(adminQueue.body, /title="1 Jul 2026, 12:00 UTC">1 Jul 2026, 12:00 UTC<\/time>/);
});

test('a notification mail shows the time in its recipient\'s zone', async () => {
  const W = await workspaceWithMembers();
  const T = `/w/${W.slug}/tickets`;
  assert.equal((await savePrefs(W.agent, { time_zone: 'Asia/Tokyo' })).status, 303);
  await W.requester.submit(`${T}/new`, `${T}/new`, { subject: 'Mail me the time', body: 'Please.' });
  const toAgent = await waitForMail(W.users.agent.email, { subject: /Mail me the time/ });
  assert.match(toAgent.text, /^\d+ \w+ \d{4}, \d\d:\d\d JST \(Asia\/Tokyo\)$/m);
  assert.match(toAgent.html, /\d\d:\d\d JST \(Asia\/Tokyo\)/);
  const toAdmin = await waitForMail(W.users.admin.email, { subject: /Mail me the time/ });
  assert.match(toAdmin.text, /^\d+ \w+ \d{4}, \d\d:\d\d UTC$/m);
  // The two say the same instant: Tokyo is nine hours ahead, all year.
  const hm = (t) => t.match(/, (\d\d):(\d\d) /).slice(1).map(Number);
  const [ah, am] = hm(toAgent.text);
  const [uh, um] = hm(toAdmin.text);
  assert.ok(Math.abs(((ah * 60 + am) - (uh * 60 + um) + 1440) % 1440 - 540) <= 1, 'nine hours apart');
});

test('the preferences are in the person\'s data and export, and erasure clears them', async () => {
  const { client, user } = await newUser('prefs');
  const [[id]] = sql(`SELECT id FROM users WHERE email = ${q(user.email)}`);
  assert.equal((await savePrefs(client, { time_zone: 'Europe/Berlin', queue_view: 'unassigned', lang: 'en' })).status, 303);

  const data = await client.get('/account/data');
  assert.match(data.body, /<dt>Language<\/dt><dd>en<\/dd>/);
  assert.match(data.body, /<dt>Time zone<\/dt><dd>Europe\/Berlin<\/dd>/);
  assert.match(data.body, /<dt>Default queue view<\/dt><dd><code>\?assignee=none<\/code><\/dd>/);
  assert.match(data.body, /<dt>Account since<\/dt><dd><time datetime="[^"]+" title="[^"]+ CE[S]?T \(Europe\/Berlin\)">/);

  await client.get('/account');
  const res = await client.post('/account/export', {});
  assert.equal(res.status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-tz-'));
  fs.writeFileSync(path.join(dir, 'a.zip'), res.raw);
  const json = JSON.parse(execFileSync('unzip', ['-p', 'a.zip', 'export.json'], { cwd: dir, encoding: 'utf8' }));
  fs.rmSync(dir, { recursive: true });
  assert.equal(json.user.lang, 'en');
  assert.equal(json.user.time_zone, 'Europe/Berlin');
  assert.equal(json.user.queue_view, 'assignee=none');
  assert.match(json.user.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'exports keep ISO 8601 in UTC');

  const del = await client.submit('/account/delete', '/account/delete', { current: user.password });
  assert.equal(del.status, 303);
  assert.deepEqual(prefsOf(id), ['NULL', 'NULL', 'NULL']);
});

test('the language chosen in the preferences is the language of every page after', async () => {
  const W = await workspaceWithMembers();
  const page = await W.agent.get('/account');
  assert.match(page.body, /<option value="de">Deutsch<\/option>/, 'German is offered');
  assert.equal((await savePrefs(W.agent, { lang: 'de' })).status, 303);
  const after = await W.agent.get('/account');
  assert.match(after.body, /<html lang="de">/);
  assert.match(after.body, /<option value="de" selected>Deutsch<\/option>/);
  const queue = await W.agent.get(`/w/${W.slug}/tickets`);
  assert.match(queue.body, /<html lang="de">/);
  assert.match(queue.body, />Neues Ticket</);
});
