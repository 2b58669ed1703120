// A workspace's admin pages through nginx and MariaDB: who may see them
// (404 outside, 403 for agents and requesters), members and roles with
// the last-admin rule, ids scoped to the workspace, settings, and the
// audit log with its keyset pages.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, invite, accept, newUser } = require('../lib/fixtures');

const UA = 'AdminTest/2.0 (integration)';
const wsId = (slug) => Number(sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`)[0][0]);
const roleOf = (slug, userId) => {
  const rows = sql(`SELECT m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
    WHERE w.slug = ${q(slug)} AND m.user_id = ${Number(userId)}`);
  return rows.length ? rows[0][0] : null;
};
const lastAudit = (slug, action) => sql(`SELECT actor_id, object_type, object_id, ip, user_agent
  FROM audit_log WHERE workspace_id = ${wsId(slug)} AND action = ${q(action)} ORDER BY id DESC LIMIT 1`)[0];

// Every admin route, with a body for the POSTs; :user and :id are filled in.
function adminRoutes(slug, userId, inviteId) {
  const base = `/w/${slug}/admin`;
  return [
    ['GET', base],
    ['GET', `${base}/members`],
    ['POST', `${base}/members/invite`, { email: 'someone@test.example', role: 'agent' }],
    ['POST', `${base}/members/${userId}/role`, { role: 'admin' }],
    ['POST', `${base}/members/${userId}/remove`, { confirm: '1' }],
    ['POST', `${base}/invitations/${inviteId}/revoke`, { confirm: '1' }],
    ['GET', `${base}/settings`],
    ['POST', `${base}/settings`, { name: 'Taken Over', portal_signup: '1' }],
    ['GET', `${base}/audit`],
  ];
}

// Posts as a browser would: from a page, which carries the CSRF token.
async function post(client, path, fields, opts) {
  await client.get('/workspaces');
  return client.post(path, fields, opts);
}

async function call(client, [method, path, body]) {
  if (method === 'GET') return client.get(path);
  await client.get('/workspaces'); // a page, for the CSRF token
  return client.post(path, body);
}

let ws;
let pendingId;
test.before(async () => {
  ws = await workspaceWithMembers();
  await invite(ws.admin, ws.slug, `pending-${ws.slug}@test.example`, 'agent');
  [[pendingId]] = sql(`SELECT id FROM invitations WHERE email = ${q(`pending-${ws.slug}@test.example`)}`);
});

test('outsiders get 404 on every admin page, the same as for a workspace that does not exist', async () => {
  const { outsider, users } = ws;
  const real = adminRoutes(ws.slug, users.agent.id, pendingId);
  const none = adminRoutes('no-such-workspace-here', users.agent.id, pendingId);
  for (let i = 0; i < real.length; i++) {
    const a = await call(outsider, real[i]);
    const b = await call(outsider, none[i]);
    assert.equal(a.status, 404, real[i].join(' '));
    assert.equal(b.status, 404, none[i].join(' '));
    assert.equal(a.body, b.body, real[i][1]);
  }
  assert.equal(roleOf(ws.slug, users.agent.id), 'agent');
  assert.equal(sql(`SELECT COUNT(*) FROM workspaces WHERE name = 'Taken Over'`)[0][0], '0');
});

test('agents and requesters get 403 on every admin page and change nothing', async () => {
  const { users } = ws;
  for (const who of ['agent', 'requester']) {
    for (const route of adminRoutes(ws.slug, users.requester.id, pendingId)) {
      const res = await call(ws[who], route);
      assert.equal(res.status, 403, `${who}: ${route.join(' ')}`);
      assert.match(res.body, /Your role in this workspace does not allow that/);
    }
  }
  assert.equal(roleOf(ws.slug, users.requester.id), 'requester');
  assert.equal(sql(`SELECT COUNT(*) FROM invitations WHERE email = 'someone@test.example'`)[0][0], '0');
  assert.equal(sql(`SELECT expires_at > UTC_TIMESTAMP() FROM invitations WHERE id = ${pendingId}`)[0][0], '1');
  assert.equal(sql(`SELECT name FROM workspaces WHERE slug = ${q(ws.slug)}`)[0][0], ws.wsName);
});

test('the admin sees members, pending invitations and the invite form', async () => {
  const { admin, users } = ws;
  const home = await admin.get(`/w/${ws.slug}/admin`);
  assert.equal(home.status, 303);
  assert.equal(home.headers.location, `/w/${ws.slug}/admin/members`);
  const res = await admin.get(`/w/${ws.slug}/admin/members`);
  assert.equal(res.status, 200);
  for (const role of ['admin', 'agent', 'requester']) {
    assert.ok(res.body.includes(`<td>${users[role].name}`), role);
    assert.ok(res.body.includes(`<td data-label="Email">${users[role].email}</td>`), role);
    const select = res.body.match(new RegExp(`id="role-${users[role].id}" name="role">([^]*?)</select>`))[1];
    assert.deepEqual([...select.matchAll(/<option value="(\w+)" selected>/g)].map((m) => m[1]), [role]);
  }
  assert.ok(!res.body.includes(users.outsider.email));
  assert.ok(res.body.includes(`pending-${ws.slug}@test.example`));
  assert.ok(res.body.includes(`action="/w/${ws.slug}/admin/members/invite"`));
  assert.match(res.body, /<a href="\/w\/[^"]+\/admin\/members"[^>]*>Members<\/a>/, 'the workspace nav links the admin pages');
  assert.equal((await admin.get(`/w/${ws.slug}/admin/settings`)).status, 200);
  assert.equal((await admin.get(`/w/${ws.slug}/admin/audit`)).status, 200);
});

test('the admin changes a role, and it is audited', async () => {
  const w = await workspaceWithMembers();
  const { admin, users } = w;
  await admin.get(`/w/${w.slug}/admin/members`);
  const res = await post(admin, `/w/${w.slug}/admin/members/${users.agent.id}/role`, { role: 'requester' },
    { headers: { 'user-agent': UA } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${w.slug}/admin/members`);
  assert.equal(roleOf(w.slug, users.agent.id), 'requester');
  assert.deepEqual(lastAudit(w.slug, 'member.role_change'),
    [String(users.admin.id), 'user', String(users.agent.id), admin.localAddress, UA]);
  const page = await admin.get(res.headers.location);
  assert.match(page.body, /The role was changed/);
  // The new role applies at once: the former agent's own list says so.
  const list = await w.agent.get('/workspaces');
  assert.match(list.body, /<span class="badge">requester<\/span>/);
  assert.equal((await w.agent.get(`/w/${w.slug}/admin/members`)).status, 403);
  // Promoted to admin, the members page opens.
  await post(admin, `/w/${w.slug}/admin/members/${users.requester.id}/role`, { role: 'admin' });
  assert.equal(roleOf(w.slug, users.requester.id), 'admin');
  assert.equal((await w.requester.get(`/w/${w.slug}/admin/members`)).status, 200);
  const bad = await post(admin, `/w/${w.slug}/admin/members/${users.agent.id}/role`, { role: 'owner' });
  assert.equal(bad.status, 400);
  assert.equal(roleOf(w.slug, users.agent.id), 'requester');
});

test('the admin removes a member, who then gets 404', async () => {
  const w = await workspaceWithMembers();
  const { admin, users } = w;
  assert.equal((await w.requester.get(`/w/${w.slug}`)).status, 303);
  await admin.get(`/w/${w.slug}/admin/members`);
  const res = await post(admin, `/w/${w.slug}/admin/members/${users.requester.id}/remove`, { confirm: '1' },
    { headers: { 'user-agent': UA } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${w.slug}/admin/members`);
  assert.equal(roleOf(w.slug, users.requester.id), null);
  assert.deepEqual(lastAudit(w.slug, 'member.remove'),
    [String(users.admin.id), 'user', String(users.requester.id), admin.localAddress, UA]);
  const gone = await w.requester.get(`/w/${w.slug}`);
  const never = await w.requester.get('/w/no-such-workspace-here');
  assert.equal(gone.status, 404);
  assert.equal(gone.body, never.body);
  assert.equal((await w.requester.get(`/w/${w.slug}/admin/audit`)).status, 404);
  const list = await w.requester.get('/workspaces');
  assert.ok(!list.body.includes(`/w/${w.slug}/tickets`));
  // Removing them again: not a member any more.
  const twice = await post(admin, `/w/${w.slug}/admin/members/${users.requester.id}/remove`, { confirm: '1' });
  assert.equal(twice.status, 404);
});

test('the last admin can be neither removed nor demoted (409); with another admin they can leave', async () => {
  const w = await workspaceWithMembers();
  const { admin, users } = w;
  await admin.get(`/w/${w.slug}/admin/members`);
  for (const role of ['agent', 'requester']) {
    const res = await post(admin, `/w/${w.slug}/admin/members/${users.admin.id}/role`, { role });
    assert.equal(res.status, 409);
    assert.match(res.body, /A workspace needs an admin/);
    assert.match(res.body, /only admin of the workspace/);
  }
  const rm = await post(admin, `/w/${w.slug}/admin/members/${users.admin.id}/remove`, { confirm: '1' });
  assert.equal(rm.status, 409);
  assert.equal(roleOf(w.slug, users.admin.id), 'admin');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${wsId(w.slug)}
    AND action IN ('member.role_change', 'member.remove')`)[0][0], '0');
  // Keeping the role is no change and always allowed.
  const same = await post(admin, `/w/${w.slug}/admin/members/${users.admin.id}/role`, { role: 'admin' });
  assert.equal(same.status, 303);

  // With a second admin, the first may step down, and then leave.
  await post(admin, `/w/${w.slug}/admin/members/${users.agent.id}/role`, { role: 'admin' });
  const down = await post(admin, `/w/${w.slug}/admin/members/${users.admin.id}/role`, { role: 'agent' });
  assert.equal(down.status, 303);
  assert.equal(down.headers.location, `/w/${w.slug}/tickets`);
  assert.equal(roleOf(w.slug, users.admin.id), 'agent');
  // Now the agent-turned-admin is the last one.
  await w.agent.get('/workspaces');
  const last = await post(w.agent, `/w/${w.slug}/admin/members/${users.agent.id}/remove`, { confirm: '1' });
  assert.equal(last.status, 409);
  await post(w.agent, `/w/${w.slug}/admin/members/${users.admin.id}/role`, { role: 'admin' });
  const leave = await post(w.agent, `/w/${w.slug}/admin/members/${users.agent.id}/remove`, { confirm: '1' });
  assert.equal(leave.status, 303);
  assert.equal(leave.headers.location, '/workspaces');
  assert.equal(roleOf(w.slug, users.agent.id), null);
  assert.equal(sql(`SELECT COUNT(*) FROM memberships WHERE workspace_id = ${wsId(w.slug)} AND role = 'admin'`)[0][0], '1');
});

test('two admins demoting each other at once leave one admin', async () => {
  const w = await workspaceWithMembers();
  const { admin, agent, users } = w;
  await admin.submit(`/w/${w.slug}/admin/members`, `/w/${w.slug}/admin/members/${users.agent.id}/role`, { role: 'admin' });
  await Promise.all([admin.get('/workspaces'), agent.get('/workspaces')]);
  const [a, b] = await Promise.all([
    post(admin, `/w/${w.slug}/admin/members/${users.agent.id}/role`, { role: 'requester' }),
    post(agent, `/w/${w.slug}/admin/members/${users.admin.id}/role`, { role: 'requester' }),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.ok(statuses[1] === 409 || statuses[1] === 403, `one is refused: ${statuses}`);
  assert.equal(statuses[0], 303);
  assert.equal(sql(`SELECT COUNT(*) FROM memberships WHERE workspace_id = ${wsId(w.slug)} AND role = 'admin'`)[0][0], '1');
});

test("another workspace's member or invitation id is 404, and so is a malformed id", async () => {
  const other = await workspaceWithMembers();
  const { admin } = ws;
  const otherInvite = await invite(other.admin, other.slug, `other-${other.slug}@test.example`, 'agent');
  assert.ok(otherInvite);
  const [[otherInviteId]] = sql(`SELECT id FROM invitations WHERE email = ${q(`other-${other.slug}@test.example`)}`);
  await admin.get(`/w/${ws.slug}/admin/members`);
  const base = `/w/${ws.slug}/admin`;
  for (const uid of [other.users.agent.id, other.users.admin.id]) {
    assert.equal((await post(admin, `${base}/members/${uid}/role`, { role: 'requester' })).status, 404);
    assert.equal((await post(admin, `${base}/members/${uid}/remove`, { confirm: '1' })).status, 404);
  }
  assert.equal((await post(admin, `${base}/invitations/${otherInviteId}/revoke`, { confirm: '1' })).status, 404);
  for (const bad of ['0', '-1', 'abc', '1e3', '99999999999999999999', '%20']) {
    assert.equal((await post(admin, `${base}/members/${bad}/role`, { role: 'agent' })).status, 404, bad);
    assert.equal((await post(admin, `${base}/members/${bad}/remove`, { confirm: '1' })).status, 404, bad);
    assert.equal((await post(admin, `${base}/invitations/${bad}/revoke`, { confirm: '1' })).status, 404, bad);
  }
  assert.equal(roleOf(other.slug, other.users.agent.id), 'agent');
  assert.equal(roleOf(other.slug, other.users.admin.id), 'admin');
  assert.equal(sql(`SELECT expires_at > UTC_TIMESTAMP() FROM invitations WHERE id = ${otherInviteId}`)[0][0], '1');
  // The outsider of this workspace has no membership to change here either.
  assert.equal((await post(admin, `${base}/members/${ws.users.outsider.id}/remove`, { confirm: '1' })).status, 404);
});

test('settings: the name and portal sign-up are saved, audited and validated', async () => {
  const w = await workspaceWithMembers();
  const { admin } = w;
  const page = await admin.get(`/w/${w.slug}/admin/settings`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(`value="${w.wsName}"`));
  assert.doesNotMatch(page.body, /name="portal_signup" value="1" checked/);
  const res = await post(admin, `/w/${w.slug}/admin/settings`, { name: 'Renamed Desk', portal_signup: '1' },
    { headers: { 'user-agent': UA } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `/w/${w.slug}/admin/settings`);
  assert.deepEqual(sql(`SELECT name, portal_signup FROM workspaces WHERE slug = ${q(w.slug)}`)[0], ['Renamed Desk', '1']);
  assert.deepEqual(lastAudit(w.slug, 'settings.update'),
    [String(w.users.admin.id), 'workspace', String(wsId(w.slug)), admin.localAddress, UA]);
  const saved = await admin.get(res.headers.location);
  assert.match(saved.body, /The settings were saved/);
  assert.match(saved.body, /name="portal_signup" value="1" checked/);
  assert.match(saved.body, /<strong>Renamed Desk<\/strong>/, 'the nav shows the new name');
  const bad = await post(admin, `/w/${w.slug}/admin/settings`, { name: '   ', portal_signup: '1' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /Name is required/);
  assert.match(bad.body, /name="portal_signup" value="1" checked/);
  const off = await post(admin, `/w/${w.slug}/admin/settings`, { name: 'Renamed Desk' });
  assert.equal(off.status, 303);
  assert.equal(sql(`SELECT portal_signup FROM workspaces WHERE slug = ${q(w.slug)}`)[0][0], '0');
});

test('every admin action writes an audit row that the audit page lists, newest first', async () => {
  const w = await workspaceWithMembers();
  const { admin, users } = w;
  const { client, user } = await newUser('audited');
  await admin.get(`/w/${w.slug}/admin/members`);
  const link = await invite(admin, w.slug, user.email, 'agent');
  await client.get(link);
  await post(client, link, {}, { headers: { 'user-agent': UA } });
  const page = await admin.get(`/w/${w.slug}/admin/audit`);
  assert.equal(page.status, 200);
  const rows = [...page.body.matchAll(/<tr>\s*<td class="nowrap"><time datetime="([^"]+)"[^>]*>[^<]+<\/time><\/td>\s*<td>([^]*?)<br><small class="muted"><code>([^<]+)<\/code><\/small><\/td>\s*<td data-label="Address">([^<]*)<\/td>\s*<td data-label="Device">([^<]*)<\/td>/g)]
    .map((m) => ({ time: m[1], what: m[2].replace(/<[^>]+>/g, ''), action: m[3], ip: m[4], device: m[5] }));
  assert.deepEqual(rows.map((r) => r.action), [
    'invitation.accept', 'member.invite', 'invitation.accept', 'member.invite',
    'invitation.accept', 'member.invite', 'workspace.create',
  ]);
  const top = rows[0];
  // In words (issue 11): the actor's name and what they did.
  assert.equal(top.what, `${user.name} accepted an invitation`);
  assert.equal(top.ip, client.localAddress);
  assert.equal(top.device, 'Unknown browser', 'the browser in words, never the whole header');
  assert.ok(!page.body.includes(UA));
  assert.match(top.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(rows[6].what, `${users.admin.name} created the workspace`);
  // Another workspace's rows and sign-ins (no workspace) are not listed.
  assert.ok(!page.body.includes('user.signup'));
  assert.ok(!page.body.includes(ws.users.admin.email));
});

test('the audit page shows 50 rows a page, keyed by ?before=ID', async () => {
  const w = await workspaceWithMembers();
  const id = wsId(w.slug);
  const values = Array.from({ length: 120 }, (_, i) =>
    `(${id}, NULL, 'test.row${i}', 'ticket', ${i + 1}, '10.0.0.${i % 250}', 'bulk', UTC_TIMESTAMP())`);
  sql(`INSERT INTO audit_log (workspace_id, actor_id, action, object_type, object_id, ip, user_agent, created_at)
    VALUES ${values.join(', ')}`);
  const total = Number(sql(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${id}`)[0][0]);
  const seen = [];
  let path = `/w/${w.slug}/admin/audit`;
  let pages = 0;
  while (path) {
    const res = await w.admin.get(path);
    assert.equal(res.status, 200);
    const actions = [...res.body.matchAll(/<small class="muted"><code>([^<]+)<\/code><\/small>/g)].map((m) => m[1]);
    const next = res.body.match(/href="(\/w\/[^"]+\/admin\/audit\?before=(\d+))"/);
    if (next) assert.equal(actions.length, 50);
    seen.push(...actions);
    path = next ? next[1] : null;
    if (pages > 0) assert.match(res.body, /Newest entries/);
    pages += 1;
    assert.ok(pages < 10);
  }
  assert.equal(pages, Math.ceil(total / 50));
  assert.equal(seen.length, total);
  const bulk = seen.filter((a) => a.startsWith('test.row'));
  assert.equal(new Set(bulk).size, 120, 'no row twice, none skipped');
  assert.equal(bulk[0], 'test.row119');
  assert.equal(bulk[119], 'test.row0');
  assert.match(
    (await w.admin.get(`/w/${w.slug}/admin/audit?before=${Number(sql(
      `SELECT MIN(id) FROM audit_log WHERE workspace_id = ${id}`)[0][0])}`)).body,
    /Nothing has been recorded yet/);
  // Rows without an actor, from an address, are "Someone"'s; an action
  // without words is shown by its name.
  const first = await w.admin.get(`/w/${w.slug}/admin/audit`);
  assert.match(first.body, /<td>Someone test\.row119 ticket 120<br><small class="muted"><code>test\.row119<\/code>/);
  for (const bad of ['abc', '0', '-5', '1.5']) {
    assert.equal((await w.admin.get(`/w/${w.slug}/admin/audit?before=${bad}`)).status, 400, bad);
  }
});

test('admin POSTs without a CSRF token are refused with 403', async () => {
  const w = await workspaceWithMembers();
  const { admin, users } = w;
  await admin.get(`/w/${w.slug}/admin/members`);
  for (const [method, path, body] of adminRoutes(w.slug, users.agent.id, 1)) {
    if (method !== 'POST') continue;
    const res = await admin.post(path, { ...body, csrf: '' });
    assert.equal(res.status, 403, path);
    assert.match(res.body, /expired or did not come from this site/);
  }
  // A token from another browser is refused too.
  const other = new Client();
  await other.get('/signin');
  const foreign = await admin.post(`/w/${w.slug}/admin/members/${users.agent.id}/remove`, { csrf: other.csrf(), confirm: '1' });
  assert.equal(foreign.status, 403);
  assert.equal(roleOf(w.slug, users.agent.id), 'agent');
  assert.equal(sql(`SELECT name FROM workspaces WHERE slug = ${q(w.slug)}`)[0][0], w.wsName);
});

test('an accepted invitation for a member keeps their role', async () => {
  const w = await workspaceWithMembers({ portal: true });
  const { client, user } = await newUser('both');
  const link = await invite(w.admin, w.slug, user.email, 'admin');
  await client.submit(`/w/${w.slug}/join`, `/w/${w.slug}/join`, {});
  await accept(client, link);
  assert.equal(roleOf(w.slug, Number(sql(`SELECT id FROM users WHERE email = ${q(user.email)}`)[0][0])), 'requester');
});
