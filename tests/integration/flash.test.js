// Messages after actions and confirmations before destructive ones (issue
// 13). After each action the page its redirect leads to says what
// happened, once: a reload no longer does. The hd_flash cookie that
// carries the message holds a code and at most a ticket number, never
// what the user typed, and a forged one shows nothing. Removing a member,
// revoking an invitation or a session and leaving a workspace first show
// a confirmation page and change nothing until confirm=1 comes back.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, signUp } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, invite } = require('../lib/fixtures');

const main = (body) => (body.match(/<main\b[^>]*>[\s\S]*<\/main>/) || [''])[0];
const flashOf = (body) => {
  const m = main(body).match(/<div class="notice flash" role="status"><p>([^<]*)<\/p><\/div>/);
  return m ? m[1] : null;
};

// Every hd_flash value any client was sent, to check none carries text.
const values = [];
const keep = Client.prototype.keepCookies;
Client.prototype.keepCookies = function record(res) {
  for (const line of res.headers['set-cookie'] || []) {
    if (line.startsWith('hd_flash=')) values.push(line);
  }
  return keep.call(this, res);
};

// Follows res's redirect: the message shows there, and not on a reload.
async function showsOnce(client, res, message) {
  assert.equal(res.status, 303, `${message}: a redirect`);
  const set = (res.headers['set-cookie'] || []).find((l) => l.startsWith('hd_flash='));
  assert.ok(set, `${message}: the redirect sets hd_flash`);
  assert.match(set, /; Path=\/; HttpOnly; SameSite=Lax; Max-Age=60/);
  const page = await client.get(res.headers.location);
  assert.equal(page.status, 200, res.headers.location);
  assert.equal(flashOf(page.body), message, `${message}: on ${res.headers.location}`);
  const cleared = (page.headers['set-cookie'] || []).find((l) => l.startsWith('hd_flash='));
  assert.match(cleared || '', /^hd_flash=; .*Max-Age=0/, 'the page clears the cookie');
  const again = await client.get(res.headers.location);
  assert.equal(flashOf(again.body), null, `${message}: not on a reload`);
}

const roleOf = (slug, uid) => (sql(`SELECT m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
  WHERE w.slug = ${q(slug)} AND m.user_id = ${uid}`)[0] || [null])[0];
const audits = (action) => sql(`SELECT COUNT(*) FROM audit_log WHERE action = ${q(action)}`)[0][0];

test('each action says it worked on the next page, once', async () => {
  const w = await workspaceWithMembers();
  const T = `/w/${w.slug}/tickets`;
  const subject = 'Printer <b>on fire</b> "again" ; Path=/x';

  const opened = await w.requester.submit(`${T}/new`, `${T}/new`, { subject, body: 'Smoke; flames=yes' });
  const num = Number(opened.headers.location.match(/\/tickets\/(\d+)$/)[1]);
  await showsOnce(w.requester, opened, `Ticket #${num} opened.`);

  await showsOnce(w.requester, await w.requester.submit(`${T}/${num}`, `${T}/${num}/comments`,
    { body: 'Still burning.' }), 'Reply sent.');
  await showsOnce(w.agent, await w.agent.submit(`${T}/${num}`, `${T}/${num}/comments`,
    { body: 'Fetching the extinguisher.', internal: '1' }), 'Internal note added.');
  const page = await w.agent.get(`${T}/${num}`);
  const version = page.body.match(/name="version" value="(\d+)"/)[1];
  await showsOnce(w.agent, await w.agent.post(`${T}/${num}`,
    { version, status: 'open', priority: 'urgent', assignee: 'none', tags: 'fire' }), 'Triage saved.');

  // A new workspace; an invitation accepted.
  const c = new Client();
  const nia = await signUp(c, { name: 'Nia Newcomer' });
  const slug = `flash-${Date.now().toString(36)}`;
  await showsOnce(c, await c.submit('/workspaces', '/workspaces', { name: 'Flash Desk', slug }), 'Workspace created.');
  const link = await invite(w.admin, w.slug, nia.email, 'agent');
  await showsOnce(c, await c.submit(link, link, {}), 'Invitation accepted: welcome to the workspace.');

  // Admin and account pages.
  const S = `/w/${w.slug}/admin`;
  await showsOnce(w.admin, await w.admin.submit(`${S}/members`, `${S}/members/${w.users.requester.id}/role`,
    { role: 'agent' }), 'The role was changed.');
  await showsOnce(w.admin, await w.admin.submit(`${S}/settings`, `${S}/settings`, { name: w.wsName }),
    'The settings were saved.');
  await showsOnce(c, await c.submit('/account', '/account/name', { name: 'Nia N. Newcomer' }), 'Your name was changed.');
  await showsOnce(c, await c.submit('/account', '/account/password', { current: nia.password, password: 'another long passphrase' }),
    'Your password was changed. Other sessions were signed out.');

  await showsOnce(c, await c.submit('/account', '/signout', {}), 'You are signed out.');

  // Only codes and a number went in the cookie, never the subject.
  assert.ok(values.length >= 11);
  for (const v of values) assert.match(v, /^hd_flash=([a-z]+(\.\d{1,15})?)?;/, v);
});

test('a forged hd_flash shows nothing but the fixed sentences', async () => {
  const w = await workspaceWithMembers();
  const path = `/w/${w.slug}/tickets`;
  for (const [value, shown] of [
    ['opened.12', 'Ticket #12 opened.'], ['replied', 'Reply sent.'],
    ['<script>alert(1)</script>', null], ['opened', null], ['replied.3', null],
    ['opened.12x', null], ['opened.1234567890123456', null], ['nosuchcode', null], ['', null]]) {
    w.agent.jar.set('hd_flash', value);
    const page = await w.agent.get(path);
    assert.equal(flashOf(page.body), shown, value);
    assert.ok(!page.body.includes('<script>alert'), value);
    assert.equal(w.agent.jar.has('hd_flash'), false, `${value}: cleared`);
  }
});

test('destructive actions ask first: without confirm=1 nothing changes', async () => {
  const w = await workspaceWithMembers();
  const S = `/w/${w.slug}`;
  const { wsName } = w;

  // Removing a member.
  const removes = audits('member.remove');
  await w.admin.get(`${S}/admin/members`);
  const ask = await w.admin.post(`${S}/admin/members/${w.users.agent.id}/remove`, {});
  assert.equal(ask.status, 200);
  assert.match(main(ask.body), new RegExp(`<h1>Remove ${w.users.agent.name} from ${wsName}\\?</h1>`));
  assert.match(ask.body, /They lose access to its tickets\./);
  assert.match(ask.body, new RegExp(`<form method="post" action="${S}/admin/members/${w.users.agent.id}/remove"`));
  assert.match(ask.body, /name="confirm" value="1"/);
  assert.match(ask.body, /name="csrf" value="[0-9a-f]{64}"/);
  assert.match(ask.body, new RegExp(`<a href="${S}/admin/members">Cancel</a>`));
  assert.equal(roleOf(w.slug, w.users.agent.id), 'agent', 'still a member');
  assert.equal(audits('member.remove'), removes);
  // The Confirm button: as the page's form posts it.
  await showsOnce(w.admin, await w.admin.post(`${S}/admin/members/${w.users.agent.id}/remove`, { confirm: '1' }),
    'The member was removed.');
  assert.equal(roleOf(w.slug, w.users.agent.id), null);
  // Anything but confirm=1 is no confirmation.
  const other = await w.admin.post(`${S}/admin/members/${w.users.requester.id}/remove`, { confirm: 'yes' });
  assert.equal(other.status, 200);
  assert.equal(roleOf(w.slug, w.users.requester.id), 'requester');

  // Revoking an invitation.
  await invite(w.admin, w.slug, 'pending-flash@test.example', 'agent');
  const [[inv]] = sql(`SELECT id FROM invitations WHERE email = 'pending-flash@test.example' ORDER BY id DESC LIMIT 1`);
  const askRevoke = await w.admin.post(`${S}/admin/invitations/${inv}/revoke`, {});
  assert.equal(askRevoke.status, 200);
  assert.match(main(askRevoke.body), /Revoke the invitation for pending-flash@test\.example\?/);
  assert.equal(sql(`SELECT expires_at > UTC_TIMESTAMP() FROM invitations WHERE id = ${inv}`)[0][0], '1', 'still pending');
  await showsOnce(w.admin, await w.admin.post(`${S}/admin/invitations/${inv}/revoke`, { confirm: '1' }),
    'The invitation was revoked.');

  // Leaving: the leave page is the confirmation; a bare POST changes nothing.
  const c = w.requester;
  await c.get(`${S}/leave`);
  assert.match(c.lastBody, /name="confirm" value="1"/);
  const bare = await c.post(`${S}/leave`, {});
  assert.equal(bare.status, 200);
  assert.match(main(bare.body), /<h1>Leave /);
  assert.equal(roleOf(w.slug, w.users.requester.id), 'requester');
  await showsOnce(c, await c.post(`${S}/leave`, { confirm: '1' }), 'You left the workspace.');
  assert.equal(roleOf(w.slug, w.users.requester.id), null);

  // Deleting the workspace has its own step (its name typed); then the message.
  await showsOnce(w.admin, await w.admin.submit(`${S}/admin/delete`, `${S}/admin/delete`, { confirm_name: wsName }),
    'The workspace was deleted.');
});

test('signing out another session asks first', async () => {
  const a = new Client();
  const me = await signUp(a, { name: 'Sol Sessions' });
  const b = new Client();
  await b.submit('/signin', '/signin', { email: me.email, password: me.password });
  const [uid] = sql(`SELECT id FROM users WHERE email = ${q(me.email)}`)[0];
  const live = () => Number(sql(`SELECT COUNT(*) FROM sessions WHERE user_id = ${uid}`)[0][0]);
  assert.equal(live(), 2);
  const page = await a.get('/account/data');
  const [, other] = page.body.match(/action="\/account\/sessions\/(\d+)\/end"/);

  const ask = await a.post(`/account/sessions/${other}/end`, {});
  assert.equal(ask.status, 200);
  assert.match(main(ask.body), /<h1>Sign out .+\?<\/h1>/);
  assert.match(ask.body, /<a href="\/account\/data">Cancel<\/a>/);
  const askAll = await a.post('/account/sessions/others', {});
  assert.equal(askAll.status, 200);
  assert.match(main(askAll.body), /Sign out every other session\?/);
  assert.equal(live(), 2, 'nothing signed out yet');

  await showsOnce(a, await a.post(`/account/sessions/${other}/end`, { confirm: '1' }), 'That session was signed out.');
  assert.equal(live(), 1);
  await b.submit('/signin', '/signin', { email: me.email, password: me.password });
  await a.get('/account/data');
  await showsOnce(a, await a.post('/account/sessions/others', { confirm: '1' }), 'Every other session was signed out.');
  assert.equal(live(), 1);
});
