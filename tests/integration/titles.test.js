// Every page type says where you are in its <title> (issue 13): the page,
// then the workspace when there is one, then the product, never just
// "Helpdesk". And the navigation marks the page it is on.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('../lib/client');
const { workspaceWithMembers, invite } = require('../lib/fixtures');

function title(body) {
  const m = body.match(/<title>([^<]*)<\/title>/);
  assert.ok(m, 'the page has a <title>');
  return m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

async function titleOf(client, path, status = 200) {
  const res = await client.get(path);
  assert.equal(res.status, status, `GET ${path}`);
  return title(res.body);
}

// The one link of the body marked aria-current="page", as "href text".
function current(body) {
  const marked = [...body.matchAll(/<a href="([^"]*)" aria-current="page">([^<]*)<\/a>/g)];
  return marked.map((m) => `${m[1]} ${m[2]}`);
}

test('a visitor: sign in, sign up, the policy pages, not found', async () => {
  const c = new Client();
  const want = {
    '/': 'A privacy-first helpdesk · Helpdesk',
    '/signin': 'Sign in · Helpdesk',
    '/signup': 'Sign up · Helpdesk',
    '/password/forgot': 'Forgot your password · Helpdesk',
    '/privacy': 'Privacy policy · Helpdesk',
    '/terms': 'Terms of service · Helpdesk',
    '/cookies': 'Cookies · Helpdesk',
    '/contact': 'Contact · Helpdesk',
  };
  for (const [path, t] of Object.entries(want)) assert.equal(await titleOf(c, path), t, path);
  assert.equal(await titleOf(c, '/no-such-page', 404), 'Page not found · Helpdesk');
  assert.deepEqual(current((await c.get('/signin')).body), ['/signin Sign in']);
});

test('a member: account pages, workspaces, the queue, a ticket and the admin pages', async () => {
  const W = await workspaceWithMembers();
  const ws = W.wsName;
  const created = await W.requester.submit(`/w/${W.slug}/tickets/new`, `/w/${W.slug}/tickets/new`,
    { subject: 'Invoice PDF will not open', body: 'It says the file is damaged.' });
  assert.equal(created.status, 303);
  const ticket = new URL(created.headers.location, 'http://x').pathname;
  const num = ticket.split('/').pop();

  const admin = {
    '/account': 'Your account · Helpdesk',
    '/account/data': 'Your data · Helpdesk',
    '/account/privacy': 'Privacy choices · Helpdesk',
    '/account/delete': 'Delete your account · Helpdesk',
    '/account/2fa': 'Two-factor sign-in · Helpdesk',
    '/workspaces': 'Your workspaces · Helpdesk',
    [`/w/${W.slug}/tickets`]: `Tickets · ${ws} · Helpdesk`,
    [`/w/${W.slug}/tickets/new`]: `New ticket · ${ws} · Helpdesk`,
    [ticket]: `#${num} Invoice PDF will not open · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/members`]: `Members · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/settings`]: `Settings · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/audit`]: `Audit log · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/usage`]: `Usage · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/mail`]: `Undelivered mail · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/mail/quarantine`]: `Quarantine · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/holds`]: `Legal holds · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/delete`]: `Delete workspace · ${ws} · Helpdesk`,
    [`/w/${W.slug}/admin/members/${W.users.requester.id}/erase`]: `Erase a requester's data · ${ws} · Helpdesk`,
    [`/w/${W.slug}/leave`]: `Leave workspace · ${ws} · Helpdesk`,
  };
  for (const [path, t] of Object.entries(admin)) assert.equal(await titleOf(W.admin, path), t, path);
  // A requester's queue is theirs.
  assert.equal(await titleOf(W.requester, `/w/${W.slug}/tickets`), `My tickets · ${ws} · Helpdesk`);
  // A ticket of another workspace is not found, and says so.
  assert.equal(await titleOf(W.outsider, ticket, 404), 'Page not found · Helpdesk');

  // The navigation marks the page it is on, and only that one.
  const nav = async (path) => current((await W.admin.get(path)).body);
  assert.deepEqual(await nav(`/w/${W.slug}/tickets`), [`/w/${W.slug}/tickets Tickets`]);
  assert.deepEqual(await nav(`/w/${W.slug}/tickets/new`), [`/w/${W.slug}/tickets/new New ticket`]);
  assert.deepEqual(await nav(`/w/${W.slug}/admin/members`), [`/w/${W.slug}/admin/members Members`]);
  assert.deepEqual(await nav(`/w/${W.slug}/admin/settings`), [`/w/${W.slug}/admin/settings Settings`]);
  assert.deepEqual(await nav('/workspaces'), ['/workspaces Workspaces']);
  assert.deepEqual(await nav('/account'), [`/account ${W.users.admin.name}`]);
  assert.deepEqual(await nav(ticket), []);
});

test('an invitation and a portal to join say which', async () => {
  const W = await workspaceWithMembers({ portal: true });
  assert.equal(await titleOf(W.outsider, `/w/${W.slug}/join`), `Join ${W.wsName} · Helpdesk`);
  const link = await invite(W.admin, W.slug, W.users.outsider.email, 'agent');
  assert.equal(await titleOf(W.outsider, link), `Invitation to ${W.wsName} · Helpdesk`);
});

test('a form refused: its title stays, its fields are marked and summarised', async () => {
  const c = new Client();
  await c.get('/signup');
  const res = await c.post('/signup', { name: 'Ann', email: 'not-an-address', password: 'x' });
  assert.equal(res.status, 400);
  assert.equal(title(res.body), 'Sign up · Helpdesk');
  // Each field in error: aria-invalid, and described by its message,
  // which the summary at the top links to.
  for (const f of ['email', 'password']) {
    assert.match(res.body, new RegExp(`<input id="${f}" aria-invalid="true" aria-describedby="${f}-error"`), f);
    assert.match(res.body, new RegExp(`<p class="field-error" id="${f}-error">[^<]+</p>`), f);
    assert.match(res.body, new RegExp(`<li><a href="#${f}">[^<]+</a></li>`), f);
  }
  // A field that passed is not marked, nor in the summary.
  assert.doesNotMatch(res.body, /<input id="name" aria-invalid|href="#name"/);
  // The summary comes first and takes the focus (autofocus, no script).
  assert.match(res.body, /<div class="alert error-summary" role="alert" id="error-summary" tabindex="-1" autofocus>/);
});
