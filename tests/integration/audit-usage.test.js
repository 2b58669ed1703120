// Log data, usage data and the audit log you can use (issue 11): the
// admin's audit page in words, linking tickets by number, devices in
// words, filtered by person, action and dates with its pages, exported
// as CSV and JSON (defused against formulas, audited); failed sign-ins
// naming the account they targeted, on its owner's access page; usage
// counts only for people who consented, stopping at a withdrawal.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, uniqueEmail, signUp } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers } = require('../lib/fixtures');

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0';
const PW = 'correct horse battery';
const wsId = (slug) => Number(sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`)[0][0]);
const main = (body) => (body.match(/<main\b[^>]*>[\s\S]*<\/main>/) || [''])[0];
// The audit table's rows as text, tags gone.
const unescape = (s) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const rowsOf = (body) => [...main(body).matchAll(/<tr>\s*<td class="nowrap">[\s\S]*?<\/tr>/g)]
  // A row's time as its machine form (UTC): <time datetime="…Z">.
  .map((m) => unescape(m[0].replace(/<time datetime="(\d{4}-\d\d-\d\d)T([\d:]{8})Z"[^>]*>[^<]*<\/time>/g, '$1 $2')
    .replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()));

async function openTicket(client, slug, subject) {
  await client.get(`/w/${slug}/tickets/new`);
  const res = await client.post(`/w/${slug}/tickets/new`, { subject, body: 'Details.' });
  assert.equal(res.status, 303, 'opening a ticket');
  return Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
}

let ws;
let num;
test.before(async () => {
  ws = await workspaceWithMembers();
  num = await openTicket(ws.requester, ws.slug, 'Printer on fire');
  // The reply from a known browser, whose device the log shows in words.
  await ws.requester.get(`/w/${ws.slug}/tickets/${num}`);
  const res = await ws.requester.post(`/w/${ws.slug}/tickets/${num}/comments`, { body: 'Still burning' },
    { headers: { 'user-agent': FIREFOX } });
  assert.equal(res.status, 303);
  const role = await ws.admin.submit(`/w/${ws.slug}/admin/members`,
    `/w/${ws.slug}/admin/members/${ws.users.agent.id}/role`, { role: 'requester' });
  assert.equal(role.status, 303);
});

test('the audit page says each action in words, links tickets by number and shows devices in words', async () => {
  const res = await ws.admin.get(`/w/${ws.slug}/admin/audit`);
  assert.equal(res.status, 200);
  const rows = rowsOf(res.body);
  const { requester, agent, admin } = ws.users;
  const reply = rows.find((r) => r.includes(`${requester.name} replied to #${num}`));
  assert.ok(reply, `a reply in words among:\n${rows.join('\n')}`);
  assert.match(reply, /Firefox on Windows/, 'the device in words');
  assert.ok(!main(res.body).includes('Gecko/20100101'), 'never the whole User-Agent');
  assert.ok(rows.some((r) => r.includes(`${requester.name} opened #${num}`)));
  assert.ok(rows.some((r) => r.includes(`${admin.name} changed ${agent.name}'s role to requester`)),
    'a role change names the person and the new role');
  // The object is linked by the number the pages use, not the internal id.
  assert.match(res.body, new RegExp(`<a href="/w/${ws.slug}/tickets/${num}">#${num}</a>`));
  const [[internal]] = sql(`SELECT id FROM tickets WHERE workspace_id = ${wsId(ws.slug)} AND number = ${num}`);
  if (Number(internal) !== num) assert.ok(!main(res.body).includes(`#${internal}<`));
  assert.equal(sql(`SELECT detail FROM audit_log WHERE workspace_id = ${wsId(ws.slug)}
    AND action = 'member.role_change' ORDER BY id DESC LIMIT 1`)[0][0], 'requester');
});

test('filters by person, action and dates; pages keep the filters; bad input is a 400', async () => {
  const base = `/w/${ws.slug}/admin/audit`;
  const { requester, admin } = ws.users;
  let rows = rowsOf((await ws.admin.get(`${base}?person=${requester.id}`)).body);
  assert.ok(rows.length >= 2);
  assert.ok(rows.every((r) => r.startsWith(`${r.slice(0, 19)} ${requester.name} `)), rows.join('\n'));

  rows = rowsOf((await ws.admin.get(`${base}?action=comment.create`)).body);
  assert.equal(rows.length, 1);
  assert.match(rows[0], /replied to/);

  // One row aged into 2020: the date range finds it, and only it.
  const W = wsId(ws.slug);
  sql(`UPDATE audit_log SET created_at = '2020-01-05 12:00:00' WHERE workspace_id = ${W} AND action = 'ticket.create'`);
  rows = rowsOf((await ws.admin.get(`${base}?from=2020-01-01&to=2020-01-05`)).body);
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.match(rows[0], /opened #/);
  assert.equal(rowsOf((await ws.admin.get(`${base}?from=2020-01-01&to=2020-01-04`)).body).length, 0);
  rows = rowsOf((await ws.admin.get(`${base}?from=2020-01-06`)).body);
  assert.ok(rows.length >= 3 && rows.every((r) => !/opened #/.test(r)));
  // All filters at once.
  rows = rowsOf((await ws.admin.get(`${base}?person=${admin.id}&action=member.role_change&from=2021-01-01&to=2099-12-31`)).body);
  assert.equal(rows.length, 1);

  // Keyset pages keep the filters: 60 more of one action.
  sql(`INSERT INTO audit_log (workspace_id, actor_id, action, object_type, object_id, ip, user_agent, created_at)
    SELECT ${W}, ${admin.id}, 'settings.update', 'workspace', ${W}, '127.0.0.9', 'x', UTC_TIMESTAMP()
    FROM seq_1_to_60`);
  const first = await ws.admin.get(`${base}?action=settings.update`);
  assert.equal(rowsOf(first.body).length, 50);
  const older = unescape(first.body.match(/<a href="([^"]+)" rel="next">/)[1]);
  assert.match(older, /action=settings\.update&/);
  const second = rowsOf((await ws.admin.get(older)).body);
  assert.ok(second.length >= 10 && second.every((r) => /changed the workspace's settings/.test(r)));

  // A dated page is ordered by time, then id: 60 rows of one second
  // page as 50 and 10, none twice, none skipped.
  sql(`INSERT INTO audit_log (workspace_id, actor_id, action, object_type, object_id, ip, user_agent, created_at)
    SELECT ${W}, ${admin.id}, 'test.same_second', 'workspace', ${W}, '127.0.0.9', 'x', '2019-06-01 10:00:00'
    FROM seq_1_to_60`);
  sql(`UPDATE audit_log SET created_at = '2019-06-01 10:00:01' WHERE workspace_id = ${W}
    AND action = 'test.same_second' ORDER BY id LIMIT 1`);
  const ids = [];
  let path = `${base}?from=2019-06-01&to=2019-06-01`;
  for (let pages = 0; path; pages += 1) {
    assert.ok(pages < 3);
    const res = await ws.admin.get(path);
    ids.push(...[...res.body.matchAll(/<code>test\.same_second<\/code>/g)].map(() => 1));
    const m = res.body.match(/<a href="([^"]+)" rel="next">/);
    path = m ? unescape(m[1]) : null;
    if (path) assert.match(path, /from=2019-06-01&to=2019-06-01&before=\d+$/);
    if (pages === 0) {
      assert.ok(path, 'a second page');
      // Newest first by time: the row moved a second later leads.
      const first = rowsOf(res.body)[0];
      assert.match(first, /^2019-06-01 10:00:01 /);
    }
  }
  assert.equal(ids.length, 60);
  const all = sql(`SELECT COUNT(DISTINCT id) FROM audit_log WHERE workspace_id = ${W} AND action = 'test.same_second'`);
  assert.equal(all[0][0], '60');

  for (const bad of ['?from=2020-13-01', '?to=yesterday', '?action=DROP%20TABLE', '?person=abc', '?from=2021-02-30']) {
    assert.equal((await ws.admin.get(base + bad)).status, 400, bad);
  }
});

// Parses our CSV (RFC 4180, every cell quoted).
function parseCsv(text) {
  const out = [];
  for (const line of text.split('\r\n').filter(Boolean)) {
    out.push([...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"')));
  }
  return out;
}

test('export of the filtered log as CSV and JSON, defused against formulas, audited', async () => {
  const W = wsId(ws.slug);
  const base = `/w/${ws.slug}/admin/audit`;
  // A member whose name a spreadsheet would run, and a comma and quote.
  const evil = ws.users.requester;
  sql(`UPDATE users SET name = '=HYPERLINK("http://x.test","a, b")' WHERE id = ${evil.id}`);
  try {
    await ws.admin.get(base);
    const csv = await ws.admin.post(`${base}/export`, { format: 'csv', person: String(evil.id), action: '', from: '', to: '' });
    assert.equal(csv.status, 200);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    assert.match(csv.headers['content-disposition'], /attachment; filename="audit-.*\.csv"/);
    const table = parseCsv(csv.body);
    assert.deepEqual(table[0].slice(0, 7), ['id', 'time', 'actor_id', 'actor_name', 'actor_email', 'action', 'description']);
    const rows = table.slice(1);
    assert.ok(rows.length >= 2);
    assert.ok(rows.every((r) => r[2] === String(evil.id)), 'only the filtered person');
    assert.ok(rows.every((r) => r[3] === `'=HYPERLINK("http://x.test","a, b")`), 'a formula is defused with a quote');
    assert.ok(rows.every((r) => r[6].startsWith(`=HYPERLINK`) === false), 'the description too');
    const reply = rows.find((r) => r[5] === 'comment.create');
    assert.equal(reply[9], String(num), 'the ticket number');
    assert.equal(reply[11], 'Firefox on Windows');
    assert.equal(reply[12], FIREFOX);

    await ws.admin.get(base); // a page again, for the form's token
    const json = await ws.admin.post(`${base}/export`, { format: 'json', action: 'comment.create' });
    assert.equal(json.status, 200);
    assert.match(json.headers['content-type'], /^application\/json/);
    const list = JSON.parse(json.body);
    assert.equal(list.length, 1);
    assert.equal(list[0].action, 'comment.create');
    assert.equal(String(list[0].number), String(num));
    assert.match(list[0].words, new RegExp(`replied to #${num}$`));
    assert.equal(list[0].device, 'Firefox on Windows');
  } finally {
    sql(`UPDATE users SET name = ${q(evil.name)} WHERE id = ${evil.id}`);
  }
  assert.deepEqual(sql(`SELECT actor_id, detail FROM audit_log WHERE workspace_id = ${W}
    AND action = 'audit.export' ORDER BY id`), [[String(ws.users.admin.id), 'CSV'], [String(ws.users.admin.id), 'JSON']]);
  const page = rowsOf((await ws.admin.get(`${base}?action=audit.export`)).body);
  assert.match(page[0], /downloaded the audit log as JSON/);

  await ws.admin.get(base);
  assert.equal((await ws.admin.post(`${base}/export`, { format: 'xml' })).status, 400);
  await ws.admin.get(base);
  assert.equal((await ws.admin.post(`${base}/export`, { format: 'csv', from: 'soon' })).status, 400);
});

test('the audit log, its export and usage are for admins only: 403 for members, 404 outside', async () => {
  for (const path of ['audit', 'usage']) {
    for (const c of [ws.agent, ws.requester]) assert.equal((await c.get(`/w/${ws.slug}/admin/${path}`)).status, 403, path);
    assert.equal((await ws.outsider.get(`/w/${ws.slug}/admin/${path}`)).status, 404, path);
  }
  for (const c of [ws.agent, ws.requester]) {
    await c.get('/workspaces');
    assert.equal((await c.post(`/w/${ws.slug}/admin/audit/export`, { format: 'csv' })).status, 403);
  }
  const W = wsId(ws.slug);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${W} AND action = 'audit.export'
    AND actor_id <> ${ws.users.admin.id}`)[0][0], '0');
});

test('a failed sign-in names the account it targeted; its owner sees it, device in words', async () => {
  const owner = new Client();
  const { email } = await signUp(owner, { name: 'Target Person', email: uniqueEmail('target'), password: PW });
  const [[id]] = sql(`SELECT id FROM users WHERE email = ${q(email)}`);
  const attacker = new Client();
  await attacker.get('/signin');
  await attacker.post('/signin', { email, password: 'wrong password here' }, { headers: { 'user-agent': FIREFOX } });
  const rows = sql(`SELECT actor_id, object_id, ip, user_agent FROM audit_log
    WHERE action = 'user.signin_failed' AND object_type = 'user' AND object_id = ${id}`);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0], ['NULL', String(id), attacker.localAddress, FIREFOX]);
  // An address with no account names none.
  const nobody = uniqueEmail('nobody');
  await attacker.post('/signin', { email: nobody, password: 'whatever it is' });
  const [[obj]] = sql(`SELECT object_id FROM audit_log WHERE action = 'user.signin_failed' AND ip = ${q(attacker.localAddress)}
    ORDER BY id DESC LIMIT 1`);
  assert.equal(obj, 'NULL');

  const page = main((await owner.get('/account/data')).body);
  const section = page.slice(page.indexOf('Failed sign-ins to your account'));
  assert.match(section, /1 recorded in the log/);
  assert.ok(section.includes(attacker.localAddress));
  assert.match(section, /Firefox on Windows/);
});

test('usage: counted per workspace and feature only with consent, never after a withdrawal', async () => {
  const W = wsId(ws.slug);
  const counts = () => Object.fromEntries(sql(`SELECT feature, n FROM usage_daily WHERE workspace_id = ${W}
    AND day = UTC_DATE()`).map(([f, n]) => [f, Number(n)]));
  const agent = ws.requester;
  sql(`DELETE FROM usage_daily WHERE workspace_id = ${W}`);
  await agent.get(`/w/${ws.slug}/tickets`);
  await agent.get(`/w/${ws.slug}/tickets/${num}`);
  assert.deepEqual(counts(), {}, 'no consent: nothing counted');

  await agent.get('/account/privacy');
  assert.equal((await agent.post('/account/privacy', { purpose: 'usage', granted: '1' })).status, 303);
  await agent.get(`/w/${ws.slug}/tickets`);
  await agent.get(`/w/${ws.slug}/tickets`);
  await agent.get(`/w/${ws.slug}/tickets?q=printer`);
  await agent.get(`/w/${ws.slug}/tickets/${num}`);
  assert.equal((await agent.get(`/w/${ws.slug}/tickets/999999`)).status, 404);
  assert.deepEqual(counts(), { 'tickets.queue': 2, 'tickets.search': 1, 'tickets.view': 1 });
  // No person in it: the table has no column for one.
  assert.deepEqual(sql(`SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
    AND TABLE_NAME = 'usage_daily' ORDER BY ORDINAL_POSITION`).map((r) => r[0]), ['workspace_id', 'day', 'feature', 'n']);

  await agent.get('/account/privacy');
  assert.equal((await agent.post('/account/privacy', { purpose: 'usage', granted: '0' })).status, 303);
  await agent.get(`/w/${ws.slug}/tickets`);
  await agent.get(`/w/${ws.slug}/tickets/${num}`);
  assert.deepEqual(counts(), { 'tickets.queue': 2, 'tickets.search': 1, 'tickets.view': 1 }, 'withdrawn: the next request is not counted');

  const page = await ws.admin.get(`/w/${ws.slug}/admin/usage`);
  assert.equal(page.status, 200);
  const body = main(page.body);
  assert.match(body, /4 uses counted in 30 days/);
  assert.match(body, /<code>tickets\.queue<\/code><\/th><td class="right"><strong>2<\/strong>/);
  assert.ok(body.indexOf('tickets.queue') < body.indexOf('tickets.search'), 'busiest first');
  assert.equal((body.match(/<th class="right nowrap"><time/g) || []).length, 30, 'a column per day');
});
