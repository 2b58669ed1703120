// A database error is never shown as the user's mistake (issue 8): where
// a read decides whether what was typed is right (the current password,
// an assignee, people copied), a read that fails answers 503 and says
// the database is not answering, never "that is not your password" or
// "choose an assignee from the list". A proxy (tests/lib/dbproxy.js)
// breaks the link at that read, and at the retry the read gets on a new
// connection (lib/store/db.h), on a private stack.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client, signUp, uniqueEmail } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { DbProxy } = require('../lib/dbproxy');
const { startStack, stackDir } = require('../lib/stack');

const dir = stackDir();
let stack;
let proxy;

test.before(async () => {
  fs.mkdirSync(path.join(dir, 'run'), { recursive: true });
  proxy = new DbProxy(path.join(dir, 'run', 'proxy.sock'), path.join(dir, 'run', 'mysql.sock'));
  await proxy.start();
  stack = await startStack(dir, {
    workers: 1,
    env: { HELPDESK_DB_SOCKET: path.join(dir, 'run', 'proxy.sock') },
  });
});

test.after(async () => {
  const crashes = stack ? await stack.stop() : [];
  await proxy.close();
  assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
});

const Q = (s) => sql(s, dir);
const NOT_ANSWERING = /The database is not answering/;

// A signed-up admin of a new workspace with one ticket, on its page.
async function adminWithTicket(name) {
  const c = new Client({ base: stack.base });
  const email = uniqueEmail('dberr');
  const u = await signUp(c, { name, email });
  assert.equal(u.res.status, 303);
  const slug = `dberr-${process.pid}-${Date.now().toString(36)}`;
  assert.equal((await c.submit('/workspaces', '/workspaces', { name: 'Faults', slug })).status, 303);
  const made = await c.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, { subject: 'Broken link', body: 'at the worst time' });
  assert.equal(made.status, 303);
  const ticket = made.headers.location;
  const page = await c.get(ticket);
  const version = page.body.match(/name="version" value="(\d+)"/)[1];
  const id = Number(Q(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0]);
  return { c, email, password: u.password, slug, ticket, version, id };
}

test('the current-password check fails: 503, not "That is not your current password."', async () => {
  const c = new Client({ base: stack.base });
  const u = await signUp(c, { name: 'Check Fails', email: uniqueEmail('pwcheck') });
  assert.equal(u.res.status, 303);
  await c.get('/account');
  const fired = proxy.arm((s) => s.startsWith('SELECT id, password_hash FROM users WHERE id = '), { times: 2 });
  const res = await c.post('/account/password', { current: u.password, password: 'a brand new password' });
  assert.match(await fired, /^SELECT id, password_hash/);
  assert.equal(res.status, 503, `not a user's mistake (${res.status})`);
  assert.doesNotMatch(res.body, /not your current password/);
  assert.match(res.body, NOT_ANSWERING);
  // The password is the one it was.
  const again = new Client({ base: stack.base });
  assert.equal((await again.submit('/signin', '/signin', { email: u.email, password: u.password })).status, 303);
});

test('the assignee check fails in triage: 503, not "Choose an assignee from the list."', async () => {
  const a = await adminWithTicket('Assigner');
  const fired = proxy.arm((s) => s.startsWith('SELECT u.name FROM memberships m JOIN users u'), { times: 2 });
  const res = await a.c.post(a.ticket, { version: a.version, status: 'open', priority: 'high', assignee: String(a.id), tags: '' });
  assert.match(await fired, /^SELECT u\.name FROM memberships/);
  assert.equal(res.status, 503, `not a user's mistake (${res.status})`);
  assert.doesNotMatch(res.body, /Choose an assignee/);
  assert.match(res.body, NOT_ANSWERING);
  const page = await a.c.get(a.ticket);
  assert.match(page.body, /<dt>Priority<\/dt><dd><span class="badge prio-normal">normal<\/span><\/dd>/, 'nothing was changed');
  // With the database back, the same form is accepted.
  const ok = await a.c.post(a.ticket, { version: a.version, status: 'open', priority: 'high', assignee: String(a.id), tags: '' });
  assert.equal(ok.status, 303);
});

test('the check of people copied fails in triage: 503, not a 400', async () => {
  const a = await adminWithTicket('Copier');
  const fired = proxy.arm((s) => s.startsWith('SELECT u.id FROM users u JOIN memberships m'), { times: 2 });
  const res = await a.c.post(a.ticket, { version: a.version, status: 'open', priority: 'normal', assignee: 'none', tags: '', cc: a.email });
  assert.match(await fired, /^SELECT u\.id FROM users u JOIN memberships/);
  assert.equal(res.status, 503, `not a user's mistake (${res.status})`);
  assert.match(res.body, NOT_ANSWERING);
  assert.equal(Q(`SELECT COUNT(*) FROM ticket_cc c JOIN users u ON u.id = c.user_id WHERE u.email = ${q(a.email)}`)[0][0], '0');
});

test('the requester lookup of a new ticket fails: 503 with the form as typed, not "No member has that email"', async () => {
  const a = await adminWithTicket('On Behalf');
  await a.c.get(`/w/${a.slug}/tickets/new`);
  const fired = proxy.arm((s) => s.startsWith('SELECT u.id FROM users u JOIN memberships m'), { times: 2 });
  const res = await a.c.post(`/w/${a.slug}/tickets/new`, { subject: 'For someone', body: 'typed text', requester: a.email });
  assert.match(await fired, /^SELECT u\.id FROM users u JOIN memberships/);
  assert.equal(res.status, 503, `not a user's mistake (${res.status})`);
  assert.doesNotMatch(res.body, /No member of this workspace/);
  assert.match(res.body, NOT_ANSWERING);
  assert.match(res.body, /value="For someone"/, 'the form comes back as typed');
});
