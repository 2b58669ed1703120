// The right to erasure, through the pages as people use them: deleting
// one's account (password, or a mailed link without one), leaving a
// workspace, an admin erasing a requester, deleting a workspace. The
// proof of each erasure is a search of EVERY text and blob column of
// EVERY table, enumerated from information_schema (so a table added
// later is searched too), for what identified the person: zero hits.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { Client, uniqueEmail, signUp } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { waitForMail, linkIn, delivered } = require('../lib/inbox');
const { workspaceWithMembers, uniqueSlug, invite, accept } = require('../lib/fixtures');
const { message, quarantine } = require('../lib/quarantine');

const PW = 'correct horse battery';
const idOf = (email) => Number(sql(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0]);
const wsId = (slug) => Number(sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`)[0][0]);

const TEXT_TYPES = ['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext',
  'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob'];

// Every table.column of the database holding text or bytes where one of
// needles occurs: [] when none. A needle is searched as it is (LIKE with
// its wildcards escaped; binary columns compare bytes).
function search(needles) {
  const cols = sql(`SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = DATABASE() AND data_type IN (${TEXT_TYPES.map(q).join(', ')})
    ORDER BY table_name, column_name`);
  assert.ok(cols.length > 20, `text columns found (${cols.length})`);
  const like = (n) => q(`%${String(n).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const parts = cols.map(([t, c]) => `SELECT ${q(`${t}.${c}`)}, ${needles.map((n) =>
    `COALESCE(SUM(\`${c}\` LIKE ${like(n)}), 0)`).join(', ')} FROM \`${t}\``);
  const hits = [];
  for (const row of sql(parts.join(' UNION ALL '))) {
    row.slice(1).forEach((n, i) => { if (Number(n) > 0) hits.push(`${row[0]} holds ${needles[i]}`); });
  }
  return hits;
}

// A person who is easy to find: a distinctive name, address, client
// address (a loopback address of their own) and browser, on every
// request of their client.
function person(tag) {
  const r = crypto.randomBytes(3).toString('hex');
  const addr = `127.77.${1 + crypto.randomInt(250)}.${200 + crypto.randomInt(50)}`;
  const ua = `ErasureProbe/${r} (${tag}; Plan9)`;
  const p = {
    name: `Zelda ${tag} Quixote${r}`, email: uniqueEmail(`erase-${tag}`), addr, ua,
    client: agentClient(addr, ua),
  };
  return p;
}

function agentClient(addr, ua) {
  const c = new Client({ localAddress: addr });
  const orig = c.request.bind(c);
  c.request = (method, path, opts = {}) =>
    orig(method, path, { ...opts, headers: { 'user-agent': ua, ...(opts.headers || {}) } });
  return c;
}

async function newPerson(tag) {
  const p = person(tag);
  const { res } = await signUp(p.client, { name: p.name, email: p.email, password: PW });
  assert.equal(res.status, 303, 'signed up');
  p.id = idOf(p.email);
  return p;
}

// As c: a workspace of its own; its slug and name.
async function newWorkspace(c, tag = 'er') {
  const slug = uniqueSlug(tag);
  const name = `Erasure ${slug}`;
  const res = await c.submit('/workspaces', '/workspaces', { name, slug });
  assert.equal(res.status, 303, 'workspace created');
  return { slug, name };
}

async function openTicket(c, slug, subject, body, files = []) {
  await c.get(`/w/${slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${slug}/tickets/new`, { subject, body }, files);
  assert.equal(res.status, 303, `ticket created (${res.status})`);
  return Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
}

async function reply(c, slug, num, body, files = []) {
  await c.get(`/w/${slug}/tickets/${num}`);
  const res = await c.postMultipart(`/w/${slug}/tickets/${num}/comments`, { body }, files);
  assert.equal(res.status, 303, `reply saved (${res.status})`);
}

async function triage(c, slug, num, fields) {
  const page = await c.get(`/w/${slug}/tickets/${num}`);
  const version = page.body.match(/name="version" value="(\d+)"/)[1];
  const res = await c.post(`/w/${slug}/tickets/${num}`,
    { version, status: 'open', priority: 'normal', assignee: 'none', tags: '', ...fields });
  assert.equal(res.status, 303, `triage saved (${res.status})`);
}

async function setEraseText(admin, slug, name, how) {
  const res = await admin.submit(`/w/${slug}/admin/settings`, `/w/${slug}/admin/settings`,
    { name, erase_text: how });
  assert.equal(res.status, 303, 'settings saved');
  assert.equal(sql(`SELECT erase_text FROM workspaces WHERE slug = ${q(slug)}`)[0][0], how === 'remove' ? '1' : '0');
}

const file = (filename, data) => ({ name: 'files', filename, contentType: 'text/plain', data: Buffer.from(data) });

// Everything a person leaves behind in the erasure test: tickets, replies
// and files in ws (as a requester), a copy on the admin's ticket, an
// invitation to another workspace, a failed sign-in and a reset request.
async function leaveTraces(p, admin, ws) {
  const link = await invite(admin, ws.slug, p.email, 'requester');
  await accept(p.client, link);
  const mine = await openTicket(p.client, ws.slug, 'Printer on fire',
    `It burns. Regards, ${p.name}, ${p.email}`, [file(`${p.name}.txt`, `secret notes of ${p.name}`)]);
  await reply(p.client, ws.slug, mine, `Still burning, says ${p.name}`,
    [file('photo.txt', `another file by ${p.email}`)]);
  const theirs = await openTicket(admin, ws.slug, 'Admin question', 'Who else is affected?');
  await triage(admin, ws.slug, theirs, { cc: p.email });
  await triage(admin, ws.slug, theirs, { cc: '' });
  await triage(admin, ws.slug, theirs, { cc: p.email });
  const other = await newWorkspace(admin, 'er-o');
  await invite(admin, other.slug, p.email, 'agent');
  // A failed sign-in and a reset request from the person's browser.
  const fail = agentClient(p.addr, p.ua);
  const bad = await fail.submit('/signin', '/signin', { email: p.email, password: 'not the password' });
  assert.notEqual(bad.status, 303, 'wrong password refused');
  const reset = await agentClient(p.addr, p.ua).submit('/password/forgot', '/password/forgot', { email: p.email });
  assert.equal(reset.status, 200);
  await waitForMail(p.email, { subject: /Reset your password/ });
  // Mail of theirs in quarantine (issue 12): in the workspace, known by
  // their account, and of no workspace, known by their address only.
  const mail = message({ from: `${p.name} <${p.email}>`, body: `Help! ${p.name}\n` });
  quarantine(mail.raw, { ws: wsId(ws.slug), from_addr: p.email, from_name: p.name,
    subject: `From ${p.name}`, message_id: mail.messageId, body_text: `Help! ${p.name}`, sender_id: p.id });
  quarantine(message({ from: p.email }).raw, { from_addr: p.email, subject: 'Lost' });
  // Every needle is somewhere before the erasure, or the search proves
  // nothing.
  for (const n of [p.email, p.name, p.addr, p.ua]) {
    assert.notDeepEqual(search([n]), [], `${n} is stored before the erasure`);
  }
  return { mine, theirs };
}

test('deleting one\'s account: no trace of the person in any column of any table', async () => {
  const admin = agentClient(`127.78.${1 + crypto.randomInt(250)}.${1 + crypto.randomInt(250)}`, 'AdminBrowser/1');
  await signUp(admin, { name: 'Ada Admin', email: uniqueEmail('erase-admin') });
  const ws = await newWorkspace(admin);
  await setEraseText(admin, ws.slug, ws.name, 'remove');
  const p = await newPerson('self');
  const { mine, theirs } = await leaveTraces(p, admin, ws);

  const page = await p.client.get('/account/delete');
  assert.equal(page.status, 200);
  assert.match(page.body, /Deleting your account/);
  const res = await p.client.post('/account/delete', { current: PW });
  assert.equal(res.status, 303, res.body);
  assert.equal(res.headers.location, '/account/deleted');
  const cookies = (res.headers['set-cookie'] || []).join('\n');
  assert.match(cookies, /^hd_session=;/m, 'the session cookie is cleared');
  assert.match(cookies, /^hd_device=;/m, 'the device cookie is cleared');
  assert.equal((await p.client.get('/account/deleted')).status, 200);
  assert.match(p.client.lastBody, /Your account is deleted/);
  assert.equal((await p.client.get('/account')).status, 303, 'signed out');

  assert.deepEqual(search([p.email, p.name, p.addr, p.ua]), []);
  // (After the search: a new attempt is a new failed sign-in, stored.)
  const signin = await new Client().submit('/signin', '/signin', { email: p.email, password: PW });
  assert.notEqual(signin.status, 303, 'the account no longer signs in');
  const [[name, email, hash, deleted]] = sql(`SELECT name, email, COALESCE(password_hash, 'none'),
    deleted_at IS NOT NULL FROM users WHERE id = ${p.id}`);
  assert.deepEqual([name, email, hash, deleted], ['Deleted user', `deleted-${p.id}.invalid`, 'none', '1']);
  // The erasure's audit row holds no address or browser.
  const [[ip, ua]] = sql(`SELECT ip, user_agent FROM audit_log WHERE action = 'user.erase' AND object_id = ${p.id}`);
  assert.equal(ip, '');
  assert.equal(ua, 'erasure');

  // The queue and the ticket pages keep working, with "Deleted user".
  const queue = await admin.get(`/w/${ws.slug}/tickets`);
  assert.equal(queue.status, 200);
  assert.match(queue.body, /Deleted user/);
  const t = await admin.get(`/w/${ws.slug}/tickets/${mine}`);
  assert.equal(t.status, 200);
  assert.match(t.body, /Deleted user/);
  assert.match(t.body, /\[removed at the author&#39;s request\]|\[removed at the author's request\]/);
  assert.match(t.body, /removed at its uploader/);
  assert.doesNotMatch(t.body, /burn/i, 'the text is replaced where the workspace says so');
  const ids = sql(`SELECT a.id FROM attachments a JOIN tickets t ON t.id = a.ticket_id
    WHERE t.workspace_id = ${wsId(ws.slug)} AND t.number = ${mine}`).map((r) => r[0]);
  assert.equal(ids.length, 2);
  for (const id of ids) assert.equal((await admin.get(`/w/${ws.slug}/attachments/${id}`)).status, 404);
  assert.equal((await admin.get(`/w/${ws.slug}/tickets/${theirs}`)).status, 200);
});

test('an admin erases a requester who belongs nowhere else: the account goes, no trace anywhere', async () => {
  const admin = agentClient(`127.79.${1 + crypto.randomInt(250)}.${1 + crypto.randomInt(250)}`, 'AdminBrowser/2');
  await signUp(admin, { name: 'Abe Admin', email: uniqueEmail('erase-admin') });
  const ws = await newWorkspace(admin);
  const p = await newPerson('adm');
  const { mine } = await leaveTraces(p, admin, ws);
  // What the requester wrote stays (keep is the default): without their
  // name in it, so the search can be for the name.
  sql(`UPDATE tickets SET body = 'It burns.', body_html = NULL WHERE requester_id = ${p.id}`);
  sql(`UPDATE comments SET body = 'Still burning', body_html = NULL WHERE author_id = ${p.id}`);

  const form = await admin.get(`/w/${ws.slug}/admin/members/${p.id}/erase`);
  assert.equal(form.status, 200);
  assert.match(form.body, /Erase data/);
  const res = await admin.post(`/w/${ws.slug}/admin/members/${p.id}/erase`, {});
  assert.equal(res.status, 303, res.body);
  assert.match(res.headers.location, /\/admin\/members$/);
  assert.equal((await p.client.get('/account')).status, 303, 'the erased person is signed out');

  assert.deepEqual(search([p.email, p.name, p.addr, p.ua]), []);
  const t = await admin.get(`/w/${ws.slug}/tickets/${mine}`);
  assert.equal(t.status, 200);
  assert.match(t.body, /Deleted user/);
  assert.match(t.body, /It burns\./, 'the text is kept under "Deleted user"');
  assert.match(sql(`SELECT action FROM audit_log WHERE workspace_id = ${wsId(ws.slug)} ORDER BY id DESC LIMIT 1`)[0][0], /member\.erase/);
});

test('an admin erases a requester who belongs to another workspace: their data here goes, the account stays', async () => {
  const W = await workspaceWithMembers();
  const R = W.users.requester;
  const num = await openTicket(W.requester, W.slug, 'Need help', 'Please help');
  await triage(W.admin, W.slug, num, { cc: R.email });
  const elsewhere = await newWorkspace(W.outsider);
  await accept(W.requester, await invite(W.outsider, elsewhere.slug, R.email, 'requester'));

  const res = await W.admin.submit(`/w/${W.slug}/admin/members/${R.id}/erase`,
    `/w/${W.slug}/admin/members/${R.id}/erase`, {});
  assert.equal(res.status, 303);
  assert.equal((await W.requester.get(`/w/${W.slug}/tickets`)).status, 404, 'no longer a member');
  assert.equal((await W.requester.get(`/w/${elsewhere.slug}/tickets`)).status, 200, 'still in the other');
  const id = wsId(W.slug);
  assert.equal(sql(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${id} AND requester_id = ${R.id}`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM ticket_cc c JOIN tickets t ON t.id = c.ticket_id
    WHERE t.workspace_id = ${id} AND c.user_id = ${R.id}`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${id}
    AND (actor_id = ${R.id} OR (object_type = 'user' AND object_id = ${R.id}))`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM ticket_events WHERE workspace_id = ${id}
    AND (LOCATE(${q(R.email)}, old_value) OR LOCATE(${q(R.email)}, new_value))`)[0][0], '0');
  const t = await W.admin.get(`/w/${W.slug}/tickets/${num}`);
  assert.equal(t.status, 200);
  assert.match(t.body, /Deleted user/);
  assert.doesNotMatch(t.body, new RegExp(R.name));
  // Agents and admins are not erased from here (they are removed).
  assert.equal((await W.admin.get(`/w/${W.slug}/admin/members/${W.users.agent.id}/erase`)).status, 404);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/members/${W.users.agent.id}/erase`, {})).status, 404);
});

test('the erase routes are the admin\'s: 403 to agents and requesters, 404 to outsiders', async () => {
  const W = await workspaceWithMembers();
  const R = W.users.requester.id;
  for (const [c, want] of [[W.agent, 403], [W.requester, 403], [W.outsider, 404]]) {
    await c.get('/workspaces');
    for (const path of [`/admin/members/${R}/erase`, '/admin/delete']) {
      assert.equal((await c.get(`/w/${W.slug}${path}`)).status, want, `GET ${path}`);
      assert.equal((await c.post(`/w/${W.slug}${path}`, { confirm_name: W.wsName })).status, want, `POST ${path}`);
    }
  }
  assert.equal(sql(`SELECT COUNT(*) FROM memberships WHERE user_id = ${R}`)[0][0], '1');
  assert.equal(sql(`SELECT COUNT(*) FROM workspaces WHERE slug = ${q(W.slug)}`)[0][0], '1');
});

test('deleting a workspace removes everything of it, counts and blobs included', async () => {
  const W = await workspaceWithMembers();
  const id = wsId(W.slug);
  const text = `Ticket text ${crypto.randomBytes(6).toString('hex')}`;
  const data = `file bytes ${crypto.randomBytes(6).toString('hex')}`;
  const num = await openTicket(W.requester, W.slug, `Subject ${text}`, text, [file('a.txt', data)]);
  await reply(W.agent, W.slug, num, `Reply ${text}`);
  await W.agent.get(`/w/${W.slug}/tickets/${num}`);
  await W.agent.post(`/w/${W.slug}/tickets/${num}/comments`, { body: `Note ${text}`, internal: '1' });
  await invite(W.admin, W.slug, uniqueEmail('pending'), 'agent');
  await delivered(`workspace_id = ${id}`);

  // Not without the name, typed as it is.
  const wrong = await W.admin.submit(`/w/${W.slug}/admin/delete`, `/w/${W.slug}/admin/delete`, { confirm_name: 'nope' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.body, /not the workspace&#39;s name|not the workspace's name/);
  assert.match(wrong.body, /value="nope"/, 'what was typed is kept');
  const res = await W.admin.submit(`/w/${W.slug}/admin/delete`, `/w/${W.slug}/admin/delete`, { confirm_name: W.wsName });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/workspaces');

  assert.deepEqual(search([W.slug, W.wsName, text, data]), []);
  for (const t of ['tickets', 'ticket_counts', 'blobs', 'blob_chunks', 'attachments', 'comments',
    'ticket_events', 'memberships', 'invitations', 'outbox', 'audit_log']) {
    assert.equal(sql(`SELECT COUNT(*) FROM ${t} WHERE workspace_id = ${id}`)[0][0], '0', t);
  }
  const [[action, ws, ip]] = sql(`SELECT action, COALESCE(workspace_id, 'null'), ip FROM audit_log
    WHERE object_type = 'workspace' AND object_id = ${id}`);
  assert.deepEqual([action, ws, ip], ['workspace.delete', 'null', '']);
  assert.equal((await W.agent.get(`/w/${W.slug}/tickets`)).status, 404);
  assert.equal((await W.admin.get('/workspaces')).status, 200);
});

test('a member leaves a workspace, after a confirmation step', async () => {
  const W = await workspaceWithMembers();
  const page = await W.requester.get(`/w/${W.slug}/leave`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<button type="submit" class="danger">Leave workspace<\/button>/);
  const res = await W.requester.post(`/w/${W.slug}/leave`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/workspaces');
  assert.equal((await W.requester.get(`/w/${W.slug}/tickets`)).status, 404);
  assert.equal(sql(`SELECT action FROM audit_log WHERE workspace_id = ${wsId(W.slug)} ORDER BY id DESC LIMIT 1`)[0][0], 'member.leave');
  // An agent too.
  await W.agent.get(`/w/${W.slug}/leave`);
  assert.equal((await W.agent.post(`/w/${W.slug}/leave`, { confirm: '1' })).status, 303);
  // Outsiders have nothing to leave.
  assert.equal((await W.outsider.get(`/w/${W.slug}/leave`)).status, 404);
});

test('the only admin of a workspace with others can neither leave nor delete their account', async () => {
  const W = await workspaceWithMembers();
  const leave = await W.admin.get(`/w/${W.slug}/leave`);
  assert.equal(leave.status, 200);
  assert.match(leave.body, /only admin/);
  assert.match(leave.body, new RegExp(`href="/w/${W.slug}/admin/members"`));
  assert.doesNotMatch(leave.body, /Leave workspace<\/button>/);
  assert.equal((await W.admin.post(`/w/${W.slug}/leave`, { confirm: '1' })).status, 409);

  const del = await W.admin.get('/account/delete');
  assert.equal(del.status, 200);
  assert.match(del.body, /only admin of these workspaces/);
  assert.match(del.body, new RegExp(`<li>${W.wsName}: <a href="/w/${W.slug}/admin/members">make someone else admin</a></li>`));
  assert.doesNotMatch(del.body, /name="current"/, 'no form to delete');
  const post = await W.admin.post('/account/delete', { current: W.users.admin.password });
  assert.equal(post.status, 409);
  assert.equal(sql(`SELECT deleted_at IS NULL FROM users WHERE id = ${W.users.admin.id}`)[0][0], '1');
  assert.equal((await W.admin.get('/account')).status, 200, 'still signed in');

  // Once another member is an admin, both work.
  await W.admin.get(`/w/${W.slug}/admin/members`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/members/${W.users.agent.id}/role`, { role: 'admin' })).status, 303);
  await W.admin.get(`/w/${W.slug}/leave`);
  assert.equal((await W.admin.post(`/w/${W.slug}/leave`, { confirm: '1' })).status, 303);
});

test('a wrong password deletes nothing', async () => {
  const c = new Client();
  const { email } = await signUp(c, { name: 'Wendy Wrong' });
  await c.get('/account/delete');
  const res = await c.post('/account/delete', { current: 'not my password' });
  assert.equal(res.status, 400);
  assert.match(res.body, /That is not your password/);
  assert.match(res.body, /Your account was not deleted/);
  assert.equal(sql(`SELECT deleted_at IS NULL FROM users WHERE email = ${q(email)}`)[0][0], '1');
  assert.equal((await c.get('/account')).status, 200);
});

test('an account without a password is deleted through a mailed link, with the workspace it alone belongs to', async () => {
  const c = new Client();
  const { email } = await signUp(c, { name: 'Pat Passwordless' });
  const ws = await newWorkspace(c);
  const id = idOf(email);
  sql(`UPDATE users SET password_hash = NULL WHERE id = ${id}`);

  const page = await c.get('/account/delete');
  assert.equal(page.status, 200);
  assert.match(page.body, /Mail me the link/);
  assert.match(page.body, /only member of these workspaces/);
  assert.match(page.body, new RegExp(ws.name));
  const sent = await c.post('/account/delete/mail', {});
  assert.equal(sent.status, 303);
  const mail = await waitForMail(email, { subject: /Delete your account/ });
  const link = linkIn(mail, '/account/delete/link/');
  assert.ok(link, 'the mail has the link');
  assert.match(mail.html, /Delete my account/);
  assert.equal(sql(`SELECT COUNT(*) FROM account_tokens WHERE user_id = ${id} AND kind = 'delete'`)[0][0], '1');

  // Another account's browser cannot use it.
  const other = new Client();
  await signUp(other, { name: 'Otto Other' });
  assert.equal((await other.get(link.pathname)).status, 404);
  assert.equal((await other.post(link.pathname, {})).status, 404);

  const confirm = await c.get(link.pathname);
  assert.equal(confirm.status, 200);
  assert.match(confirm.body, /<button type="submit" class="danger">Delete my account<\/button>/);
  const res = await c.post(link.pathname, {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/account/deleted');
  assert.equal(sql(`SELECT deleted_at IS NOT NULL FROM users WHERE id = ${id}`)[0][0], '1');
  assert.equal(sql(`SELECT COUNT(*) FROM workspaces WHERE slug = ${q(ws.slug)}`)[0][0], '0');
  assert.deepEqual(search([email, ws.slug]), []);
  assert.equal((await c.get('/account')).status, 303, 'signed out');
});

// Legal holds (issue 11): a person's own erasure keeps what a hold
// covers, as it is, erases everything else, and tells them what was kept
// and why, before and after.
test('deleting one\'s account under a legal hold: held text and files stay, the rest is gone, the person is told', async () => {
  const admin = agentClient(`127.80.${1 + crypto.randomInt(250)}.${1 + crypto.randomInt(250)}`, 'AdminBrowser/3');
  await signUp(admin, { name: 'Hal Holder', email: uniqueEmail('erase-admin') });
  const ws = await newWorkspace(admin, 'er-h');
  await setEraseText(admin, ws.slug, ws.name, 'remove');
  const p = await newPerson('held');
  const { mine } = await leaveTraces(p, admin, ws);
  const heldText = `Held words ${crypto.randomBytes(5).toString('hex')}`;
  const freeText = `Unheld words ${crypto.randomBytes(5).toString('hex')}`;
  const freeFile = `unheld file ${crypto.randomBytes(5).toString('hex')}`;
  await reply(p.client, ws.slug, mine, heldText);
  const free = await openTicket(p.client, ws.slug, `Subject ${freeText}`, freeText, [file('free.txt', freeFile)]);
  // A workspace of the admin's where the person is not held at all.
  const other = await newWorkspace(admin, 'er-h2');
  await accept(p.client, await invite(admin, other.slug, p.email, 'requester'));
  const elsewhere = `Elsewhere words ${crypto.randomBytes(5).toString('hex')}`;
  await openTicket(p.client, other.slug, 'Elsewhere', elsewhere);
  await setEraseText(admin, other.slug, other.name, 'remove');

  const reason = `Dispute over invoice ${crypto.randomBytes(3).toString('hex')}`;
  await admin.get(`/w/${ws.slug}/admin/holds`);
  const placed = await admin.post(`/w/${ws.slug}/admin/holds`, { scope: 'ticket', ticket: String(mine), reason });
  assert.equal(placed.status, 303, placed.body.slice(0, 300));

  // Before: the deletion page says what will be kept, and why.
  const page = await p.client.get('/account/delete');
  assert.equal(page.status, 200);
  assert.match(page.body, /under a legal hold/);
  assert.match(page.body, new RegExp(`${ws.name}: ticket #${mine}, with what you wrote on it\\. Reason: ${reason}`));
  assert.doesNotMatch(page.body, new RegExp(other.name), 'a workspace without a hold is not named');

  const res = await p.client.post('/account/delete', { current: PW });
  assert.equal(res.status, 200, 'the answer itself is the page that says what was kept');
  assert.match(res.body, /Your account is deleted/);
  assert.match(res.body, /Some of your data was kept/);
  assert.match(res.body, new RegExp(`${ws.name}: ticket #${mine}, with what you wrote on it\\. Reason: ${reason}`));
  assert.doesNotMatch(res.body, new RegExp(p.email), 'signed out: the page does not show the account');
  assert.equal((await p.client.get('/account')).status, 303, 'signed out');

  // Held: the ticket's text, the reply and its files, as they were.
  const id = wsId(ws.slug);
  const [[body]] = sql(`SELECT body FROM tickets WHERE workspace_id = ${id} AND number = ${mine}`);
  assert.match(body, /It burns\./);
  assert.equal(sql(`SELECT COUNT(*) FROM comments WHERE workspace_id = ${id} AND body = ${q(heldText)}`)[0][0], '1');
  const t = await admin.get(`/w/${ws.slug}/tickets/${mine}`);
  assert.equal(t.status, 200);
  assert.match(t.body, new RegExp(heldText));
  assert.match(t.body, /On legal hold:/);
  const files = sql(`SELECT a.id FROM attachments a JOIN tickets t ON t.id = a.ticket_id
    WHERE t.workspace_id = ${id} AND t.number = ${mine} AND a.uploader_id = ${p.id}`).map((r) => r[0]);
  assert.equal(files.length, 2, 'the held files keep their uploader and name');
  for (const f of files) assert.equal((await admin.get(`/w/${ws.slug}/attachments/${f}`)).status, 200);
  // Not held: the other ticket here, and everything in the other
  // workspace, erased as without a hold.
  assert.deepEqual(search([freeText, freeFile, elsewhere]), []);
  // Nor anything outside the held ticket: the account, sessions, audit
  // addresses and browsers, the failed sign-in, mail.
  assert.deepEqual(search([p.addr, p.ua]), []);
  const [[name, email]] = sql(`SELECT name, email FROM users WHERE id = ${p.id}`);
  assert.deepEqual([name, email], ['Deleted user', `deleted-${p.id}.invalid`]);
  const hits = search([p.email]);
  assert.ok(hits.every((h) => /^(tickets\.body|tickets\.body_html|comments\.|attachments\.filename|blob_chunks\.|ticket_events\.)/.test(h)),
    `the address stays only in the held ticket: ${hits.join(', ')}`);
  // The audit row says holds applied, and names nothing of the person.
  const [[action, ip, ua]] = sql(`SELECT action, ip, user_agent FROM audit_log WHERE object_type = 'user'
    AND object_id = ${p.id} AND action LIKE 'user.erase%'`);
  assert.deepEqual([action, ip, ua], ['user.erase_held', '', 'erasure']);
});
