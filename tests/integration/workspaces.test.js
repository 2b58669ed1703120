// Workspaces through nginx and MariaDB: creating one, the list that
// switches between them, invitations (one-time, expiring, hashed, bound
// to an email) and the requester portal.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { Client, uniqueEmail, signUp, confirmEmail } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, uniqueSlug, invite, accept, newUser } = require('../lib/fixtures');

const UA = 'WorkspacesTest/1.0 (integration)';
const tokenOf = (link) => link.slice('/invite/'.length);
const auditRows = (action, objectType, objectId) => sql(
  `SELECT actor_id, ip, user_agent FROM audit_log WHERE action = ${q(action)}
   AND object_type = ${q(objectType)} AND object_id = ${Number(objectId)} ORDER BY id`);
const wsId = (slug) => Number(sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`)[0][0]);
const roleOf = (slug, userId) => {
  const rows = sql(`SELECT m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
    WHERE w.slug = ${q(slug)} AND m.user_id = ${Number(userId)}`);
  return rows.length ? rows[0][0] : null;
};
const userId = (email) => Number(sql(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0]);

let ws;
test.before(async () => {
  ws = await workspaceWithMembers();
});

test('a signed-in user creates a workspace, becomes its admin, and it is audited', async () => {
  const { client, user } = await newUser('creator');
  const page = await client.get('/workspaces');
  assert.equal(page.status, 200);
  assert.match(page.body, /<h1>Your workspaces<\/h1>/);
  assert.match(page.body, /do not belong to a workspace yet/);
  const slug = uniqueSlug('new');
  const res = await client.post('/workspaces', { name: 'Acme Support', slug }, { headers: { 'user-agent': UA } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${slug}/tickets`);
  const id = userId(user.email);
  assert.equal(roleOf(slug, id), 'admin');
  const list = await client.get('/workspaces');
  assert.match(list.body, new RegExp(`<a href="/w/${slug}/tickets">Acme Support</a>`));
  assert.match(list.body, /<span class="badge">admin<\/span>/);
  const [row] = auditRows('workspace.create', 'workspace', wsId(slug));
  assert.deepEqual(row, [String(id), client.localAddress, UA]);
});

test('a slug that is taken, reserved or malformed is refused, and the form keeps what was typed', async () => {
  const { client } = await newUser('slugger');
  await client.get('/workspaces');
  const taken = await client.post('/workspaces', { name: 'Second Try', slug: ws.slug });
  assert.equal(taken.status, 400);
  assert.match(taken.body, /Another workspace already uses this URL name/);
  assert.match(taken.body, /value="Second Try"/);
  assert.match(taken.body, new RegExp(`value="${ws.slug}"`));
  assert.equal(sql(`SELECT COUNT(*) FROM workspaces WHERE name = 'Second Try'`)[0][0], '0');

  const reserved = await client.post('/workspaces', { name: 'Admins', slug: 'admin' });
  assert.equal(reserved.status, 400);
  assert.match(reserved.body, /This URL name is reserved/);

  for (const slug of ['Bad Slug!', '-edge', 'edge-', 'ü-name']) {
    const res = await client.post('/workspaces', { name: 'Kept Name', slug });
    assert.equal(res.status, 400, slug);
    assert.match(res.body, /URL name may use only a-z, 0-9 and inner dashes/);
    assert.match(res.body, /value="Kept Name"/);
  }
  const short = await client.post('/workspaces', { name: '', slug: 'x' });
  assert.equal(short.status, 400);
  assert.match(short.body, /Name is required/);
  assert.match(short.body, /URL name must be at least 2 characters/);
  const long = await client.post('/workspaces', { name: 'n'.repeat(101), slug: 'a'.repeat(41) });
  assert.equal(long.status, 400);
  assert.match(long.body, /Name must be at most 100 characters/);
  assert.match(long.body, /URL name must be at most 40 characters/);

  // Upper case is folded, not refused.
  const slug = uniqueSlug('case');
  const folded = await client.post('/workspaces', { name: 'Folded', slug: slug.toUpperCase() });
  assert.equal(folded.status, 303);
  assert.equal(folded.headers.location, `/w/${slug}/tickets`);
});

test('the list shows every workspace of a user with their role in each, to switch between them', async () => {
  const { agent, users } = ws;
  const own = uniqueSlug('own');
  await agent.submit('/workspaces', '/workspaces', { name: 'Agent Own', slug: own });
  const list = await agent.get('/workspaces');
  assert.equal(list.status, 200);
  const rows = [...list.body.matchAll(/<a href="\/w\/([a-z0-9-]+)\/tickets">[^<]*<\/a><\/td>\s*<td><span class="badge">(\w+)</g)]
    .map((m) => [m[1], m[2]]);
  assert.deepEqual(new Map(rows), new Map([[ws.slug, 'agent'], [own, 'admin']]));
  for (const slug of [ws.slug, own]) {
    const home = await agent.get(`/w/${slug}`);
    assert.equal(home.status, 303);
    assert.equal(home.headers.location, `/w/${slug}/tickets`);
  }
  assert.equal(roleOf(own, users.agent.id), 'admin');
});

test('outsiders get the same 404 for a workspace as for one that does not exist', async () => {
  const { outsider } = ws;
  const a = await outsider.get(`/w/${ws.slug}`);
  const b = await outsider.get('/w/no-such-workspace-here');
  assert.equal(a.status, 404);
  assert.equal(b.status, 404);
  assert.equal(a.body, b.body);
  assert.doesNotMatch(a.body, new RegExp(ws.slug));
  assert.doesNotMatch(a.body, new RegExp(ws.wsName));
});

test('signed out, workspace pages and invitations send to sign-in and back', async () => {
  const c = new Client();
  for (const path of ['/workspaces', `/w/${ws.slug}`, `/w/${ws.slug}/join`, `/invite/${'a'.repeat(64)}`]) {
    const res = await c.get(path);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.location, `/signin?next=${path}`, path);
  }
});

test('an invitation link is shown once, and only its hash is stored', async () => {
  const { admin } = ws;
  const email = uniqueEmail('hashonly');
  const link = await invite(admin, ws.slug, email, 'agent');
  const token = tokenOf(link);
  assert.match(token, /^[0-9a-f]{64}$/);
  const want = crypto.createHash('sha256').update(token).digest('hex');
  const rows = sql(`SELECT id, HEX(token_hash), role, TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(), expires_at)
    FROM invitations WHERE email = ${q(email)}`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][1].toLowerCase(), want);
  assert.equal(rows[0][2], 'agent');
  assert.ok(Number(rows[0][3]) >= 7 * 24 - 1 && Number(rows[0][3]) <= 7 * 24, 'expires in 7 days');
  const anywhere = sql(`SELECT COUNT(*) FROM invitations WHERE token_hash = ${q(token)}
    OR HEX(token_hash) = ${q(token)} OR email = ${q(token)}`);
  assert.equal(anywhere[0][0], '0');
  const [audit] = auditRows('member.invite', 'invitation', rows[0][0]);
  assert.equal(audit[0], String(ws.users.admin.id));
  const again = await admin.get(`/w/${ws.slug}/admin/members`);
  assert.equal(again.status, 200);
  assert.ok(again.body.includes(email), 'listed as pending');
  assert.ok(!again.body.includes(token), 'the link is not shown again');
});

test('a signed-out invitee signs up, comes back to the invitation and joins with its role', async () => {
  const email = uniqueEmail('invitee');
  const link = await invite(ws.admin, ws.slug, email, 'requester');
  const c = new Client();
  const first = await c.get(link);
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, `/signin?next=${link}`);
  await c.get(`/signup?next=${link}`);
  const up = await c.post('/signup', { name: 'Ivy Invitee', email, password: 'correct horse battery', next: link });
  assert.equal(up.status, 303);
  assert.equal(up.headers.location, link);
  // An invitation is for a confirmed address: the link in the mail first.
  await confirmEmail(c, email);
  const page = await c.get(link);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(`Join ${ws.wsName}`));
  assert.match(page.body, /as <strong>requester<\/strong>/);
  assert.ok(page.body.includes(`action="${link}"`));
  const res = await c.post(link, {}, { headers: { 'user-agent': UA } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${ws.slug}/tickets`);
  const id = userId(email);
  assert.equal(roleOf(ws.slug, id), 'requester');
  const [inv] = sql(`SELECT id, accepted_by, accepted_at IS NOT NULL FROM invitations WHERE email = ${q(email)}`);
  assert.deepEqual(inv.slice(1), [String(id), '1']);
  const [row] = auditRows('invitation.accept', 'invitation', inv[0]);
  assert.deepEqual(row, [String(id), c.localAddress, UA]);
  const list = await c.get('/workspaces');
  assert.ok(list.body.includes(`<a href="/w/${ws.slug}/tickets">`));
});

test('an invitation works once', async () => {
  const { client, user } = await newUser('once');
  const link = await invite(ws.admin, ws.slug, user.email, 'agent');
  await accept(client, link);
  const get = await client.get(link);
  assert.equal(get.status, 410);
  assert.match(get.body, /already been used/);
  await client.get('/workspaces');
  const post = await client.post(link, {});
  assert.equal(post.status, 410);
  // Someone else holding the link fares no better.
  const other = await ws.outsider.get(link);
  assert.equal(other.status, 410);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action = 'invitation.accept'
    AND actor_id = ${userId(user.email)}`)[0][0], '1');
});

test('an expired invitation is 410 and joins nobody', async () => {
  const { client, user } = await newUser('late');
  const link = await invite(ws.admin, ws.slug, user.email, 'agent');
  sql(`UPDATE invitations SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE email = ${q(user.email)}`);
  const get = await client.get(link);
  assert.equal(get.status, 410);
  assert.match(get.body, /expired or was withdrawn/);
  const post = await client.post(link, {});
  assert.equal(post.status, 410);
  assert.equal(roleOf(ws.slug, userId(user.email)), null);
  const members = await ws.admin.get(`/w/${ws.slug}/admin/members`);
  assert.ok(!members.body.includes(user.email), 'no longer pending');
});

test('an invitation for another email is 403 and stays usable by its addressee', async () => {
  const { client, user } = await newUser('addressee');
  const link = await invite(ws.admin, ws.slug, user.email, 'agent');
  const { outsider } = ws;
  const get = await outsider.get(link);
  assert.equal(get.status, 403);
  assert.match(get.body, /sent to another email address/);
  assert.ok(!get.body.includes(user.email), 'the invited address is not revealed');
  await outsider.get('/workspaces');
  const post = await outsider.post(link, {});
  assert.equal(post.status, 403);
  assert.equal(roleOf(ws.slug, ws.users.outsider.id), null);
  await accept(client, link);
  assert.equal(roleOf(ws.slug, userId(user.email)), 'agent');
});

test('a revoked invitation no longer works', async () => {
  const { client, user } = await newUser('revoked');
  const { admin } = ws;
  const link = await invite(admin, ws.slug, user.email, 'agent');
  const [[id]] = sql(`SELECT id FROM invitations WHERE email = ${q(user.email)}`);
  const page = await admin.get(`/w/${ws.slug}/admin/members`);
  assert.ok(page.body.includes(`action="/w/${ws.slug}/admin/invitations/${id}/revoke"`));
  const res = await admin.post(`/w/${ws.slug}/admin/invitations/${id}/revoke`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${ws.slug}/admin/members`);
  const after = await admin.get(res.headers.location);
  assert.match(after.body, /The invitation was revoked/);
  assert.ok(!after.body.includes(user.email));
  assert.equal((await client.get(link)).status, 410);
  assert.equal(roleOf(ws.slug, userId(user.email)), null);
  assert.equal(auditRows('invitation.revoke', 'invitation', id).length, 1);
  // Revoking it again: there is no pending invitation with that id.
  const twice = await admin.post(`/w/${ws.slug}/admin/invitations/${id}/revoke`, { confirm: '1' });
  assert.equal(twice.status, 404);
});

test('an unknown or malformed invitation token is 404', async () => {
  const c = ws.outsider;
  for (const t of ['0'.repeat(64), 'A'.repeat(64), 'short', 'zz'.repeat(32) + '0']) {
    const res = await c.get(`/invite/${t}`);
    assert.equal(res.status, 404, t);
  }
});

test('inviting a member or a malformed address is refused and keeps the form', async () => {
  const { admin, users } = ws;
  await admin.get(`/w/${ws.slug}/admin/members`);
  const member = await admin.post(`/w/${ws.slug}/admin/members/invite`, { email: users.agent.email.toUpperCase(), role: 'admin' });
  assert.equal(member.status, 400);
  assert.match(member.body, /is a member already/);
  assert.match(member.body, /<option value="admin" selected>/);
  const bad = await admin.post(`/w/${ws.slug}/admin/members/invite`, { email: 'not-an-email', role: 'requester' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /Email must be an email address/);
  assert.match(bad.body, /value="not-an-email"/);
  assert.match(bad.body, /<option value="requester" selected>/);
  const role = await admin.post(`/w/${ws.slug}/admin/members/invite`, { email: uniqueEmail('x'), role: 'owner' });
  assert.equal(role.status, 400);
  assert.match(role.body, /Choose admin, agent or requester/);
  assert.doesNotMatch(bad.body, /\/invite\/[0-9a-f]{64}/);
});

test('with the portal off, its join page is the same 404 as an unknown workspace', async () => {
  const { outsider } = ws;
  const a = await outsider.get(`/w/${ws.slug}/join`);
  const b = await outsider.get('/w/no-such-workspace-here/join');
  assert.equal(a.status, 404);
  assert.equal(b.status, 404);
  assert.equal(a.body, b.body);
  const post = await outsider.post(`/w/${ws.slug}/join`, {});
  assert.equal(post.status, 404);
  assert.equal(roleOf(ws.slug, ws.users.outsider.id), null);
});

test('with the portal on, anyone signed in joins as a requester', async () => {
  const p = await workspaceWithMembers({ portal: true });
  const { outsider, users } = p;
  const page = await outsider.get(`/w/${p.slug}/join`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(`Join ${p.wsName}`));
  const res = await outsider.post(`/w/${p.slug}/join`, {}, { headers: { 'user-agent': UA } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${p.slug}/tickets`);
  assert.equal(roleOf(p.slug, users.outsider.id), 'requester');
  const [row] = auditRows('workspace.join', 'user', users.outsider.id);
  assert.deepEqual(row, [String(users.outsider.id), outsider.localAddress, UA]);
  // Members, the new one included, go straight to the tickets.
  for (const c of [outsider, p.agent]) {
    const again = await c.get(`/w/${p.slug}/join`);
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, `/w/${p.slug}/tickets`);
  }
  // Joining cannot raise anyone's role.
  await p.agent.get('/workspaces');
  const agent = await p.agent.post(`/w/${p.slug}/join`, {});
  assert.equal(agent.status, 303);
  assert.equal(roleOf(p.slug, users.agent.id), 'agent');
  // Turned off again, the portal is closed to newcomers.
  await p.admin.submit(`/w/${p.slug}/admin/settings`, `/w/${p.slug}/admin/settings`, { name: p.wsName });
  const late = new Client();
  await signUp(late);
  assert.equal((await late.get(`/w/${p.slug}/join`)).status, 404);
});

test('POSTs without a CSRF token are refused with 403', async () => {
  const { client, user } = await newUser('csrf');
  const link = await invite(ws.admin, ws.slug, user.email, 'agent');
  const create = await client.post('/workspaces', { csrf: '', name: 'No Token', slug: uniqueSlug('csrf') });
  assert.equal(create.status, 403);
  const join = await client.post(link, { csrf: '' });
  assert.equal(join.status, 403);
  assert.equal(roleOf(ws.slug, userId(user.email)), null);
  assert.equal(sql(`SELECT COUNT(*) FROM workspaces WHERE name = 'No Token'`)[0][0], '0');
});
