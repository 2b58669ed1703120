// Suspending a member (issue 11): an admin takes a member's access to one
// workspace away, nothing deleted, and gives it back. The refusal is the
// web core's (every R_WS page, one check), so every workspace page is
// tried here; the member's other workspaces are not affected.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, uniqueSlug } = require('../lib/fixtures');
const { fannedOut } = require('../lib/inbox');

const wsId = (slug) => Number(sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`)[0][0]);
const unescape = (s) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

async function openTicket(c, slug, subject, files = []) {
  await c.get(`/w/${slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${slug}/tickets/new`, { subject, body: 'text' }, files);
  assert.equal(res.status, 303);
  return Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
}

// Confirmed: the first step (no confirm=1) only asks (first-run.test.js).
async function suspend(W, uid, how = 'suspend') {
  await W.admin.get(`/w/${W.slug}/admin/members`);
  return W.admin.post(`/w/${W.slug}/admin/members/${uid}/${how}`, { confirm: '1' });
}

test('a suspended member gets 403 on every page of the workspace, keeps everything, and lifting restores access', async () => {
  const W = await workspaceWithMembers();
  const R = W.users.requester;
  const file = { name: 'files', filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('kept file') };
  const num = await openTicket(W.requester, W.slug, 'Suspended requester ticket', [file]);
  const [[att]] = sql(`SELECT a.id FROM attachments a JOIN tickets t ON t.id = a.ticket_id
    WHERE t.workspace_id = ${wsId(W.slug)} AND t.number = ${num}`);
  // A workspace of their own elsewhere.
  const other = uniqueSlug('sus');
  assert.equal((await W.requester.submit('/workspaces', '/workspaces', { name: `Other ${other}`, slug: other })).status, 303);

  const res = await suspend(W, R.id);
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /\/admin\/members$/);
  const members = await W.admin.get(`/w/${W.slug}/admin/members`);
  assert.match(members.body, new RegExp(`${R.name}</td>|${R.name} <span class="badge">suspended</span>`));
  assert.match(members.body, /Lift suspension/);

  const pages = ['', '/tickets', `/tickets/${num}`, '/tickets/new', `/attachments/${att}`, '/leave', '/admin/members'];
  for (const p of pages) {
    const page = await W.requester.get(`/w/${W.slug}${p}`);
    assert.equal(page.status, 403, `GET ${p}`);
    assert.match(unescape(page.body), new RegExp(`Your access to Workspace ${W.slug} is suspended`), p);
    assert.doesNotMatch(page.body, /class="ws-nav"/, 'no navigation into the workspace');
  }
  await W.requester.get('/workspaces');
  for (const p of [`/tickets/${num}/comments`, '/tickets/new', '/leave']) {
    assert.equal((await W.requester.post(`/w/${W.slug}${p}`, { body: 'x', subject: 'x' })).status, 403, `POST ${p}`);
  }
  // Nothing deleted: membership, role, ticket and file.
  assert.deepEqual(sql(`SELECT role, suspended_at IS NOT NULL, suspended_by FROM memberships
    WHERE workspace_id = ${wsId(W.slug)} AND user_id = ${R.id}`), [['requester', '1', String(W.users.admin.id)]]);
  assert.equal(sql(`SELECT COUNT(*) FROM tickets WHERE requester_id = ${R.id}`)[0][0], '1');
  assert.equal((await W.admin.get(`/w/${W.slug}/tickets/${num}`)).status, 200);
  assert.equal((await W.admin.get(`/w/${W.slug}/attachments/${att}`)).status, 200);
  // The list shows it; their own workspace is not affected.
  const list = await W.requester.get('/workspaces');
  assert.equal(list.status, 200);
  assert.match(list.body, /<span class="badge">suspended<\/span>/);
  assert.doesNotMatch(list.body, new RegExp(`href="/w/${W.slug}/tickets"`));
  assert.equal((await W.requester.get(`/w/${other}/tickets`)).status, 200);

  // No mail about the workspace reaches them meanwhile.
  const mails = () => Number(sql(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${q(R.email)}
    AND workspace_id = ${wsId(W.slug)} AND kind = 'ticket.reply'`)[0][0]);
  const before = mails();
  await W.agent.get(`/w/${W.slug}/tickets/${num}`);
  assert.equal((await W.agent.post(`/w/${W.slug}/tickets/${num}/comments`, { body: 'While suspended' })).status, 303);
  // Recipients are chosen when the mailer fans the reply's event out.
  await fannedOut(`workspace_id = ${wsId(W.slug)}`);
  assert.equal(mails(), before, 'no reply mail to a suspended member');

  const lift = await suspend(W, R.id, 'unsuspend');
  assert.equal(lift.status, 303);
  assert.match(lift.headers.location, /\/admin\/members$/);
  for (const p of ['/tickets', `/tickets/${num}`, `/attachments/${att}`]) {
    assert.equal((await W.requester.get(`/w/${W.slug}${p}`)).status, 200, `GET ${p} after lifting`);
  }
  await W.agent.get(`/w/${W.slug}/tickets/${num}`);
  assert.equal((await W.agent.post(`/w/${W.slug}/tickets/${num}/comments`, { body: 'After lifting' })).status, 303);
  await fannedOut(`workspace_id = ${wsId(W.slug)}`);
  assert.equal(mails(), before + 1, 'mail again once lifted');
  assert.deepEqual(sql(`SELECT action, object_type, object_id FROM audit_log WHERE workspace_id = ${wsId(W.slug)}
    AND action LIKE 'member.%suspend' ORDER BY id`),
  [['member.suspend', 'user', String(R.id)], ['member.unsuspend', 'user', String(R.id)]]);
});

test('an admin cannot suspend themselves, and a suspended admin does not count as the workspace\'s admin', async () => {
  const W = await workspaceWithMembers();
  const A = W.users.admin;
  const self = await suspend(W, A.id);
  assert.equal(self.status, 409);
  assert.match(unescape(self.body), /You cannot suspend yourself/);
  assert.equal(sql(`SELECT suspended_at IS NULL FROM memberships WHERE user_id = ${A.id}`)[0][0], '1');

  // A second admin, suspended: the first is now the only one who can act,
  // so they may not step down.
  await W.admin.get(`/w/${W.slug}/admin/members`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/members/${W.users.agent.id}/role`, { role: 'admin' })).status, 303);
  assert.equal((await suspend(W, W.users.agent.id)).status, 303);
  assert.equal((await W.agent.get(`/w/${W.slug}/admin/members`)).status, 403, 'the suspended admin is refused');
  await W.admin.get(`/w/${W.slug}/admin/members`);
  const demote = await W.admin.post(`/w/${W.slug}/admin/members/${A.id}/role`, { role: 'agent' });
  assert.equal(demote.status, 409);
  assert.match(demote.body, /A workspace needs an admin/);
  // Lifted, the other admin may suspend the first.
  assert.equal((await suspend(W, W.users.agent.id, 'unsuspend')).status, 303);
  await W.agent.get(`/w/${W.slug}/admin/members`);
  assert.equal((await W.agent.post(`/w/${W.slug}/admin/members/${A.id}/suspend`, { confirm: '1' })).status, 303);
  // And now the remaining active admin is the last: their suspension by
  // anyone is refused (the only one who could try is themselves).
  await W.agent.get(`/w/${W.slug}/admin/members`);
  assert.equal((await W.agent.post(`/w/${W.slug}/admin/members/${W.users.agent.id}/suspend`, {})).status, 409);
  assert.equal((await W.agent.post(`/w/${W.slug}/admin/members/${W.users.agent.id}/role`, { role: 'agent' })).status, 409);
});

test('suspending a member of another workspace, or no one, is 404; only admins may suspend', async () => {
  const W = await workspaceWithMembers();
  const X = await workspaceWithMembers();
  assert.equal((await suspend(W, X.users.requester.id)).status, 404);
  assert.equal((await suspend(W, 999999999)).status, 404);
  assert.equal(sql(`SELECT suspended_at IS NULL FROM memberships WHERE user_id = ${X.users.requester.id}`)[0][0], '1');
  for (const [c, want] of [[W.agent, 403], [W.requester, 403], [W.outsider, 404]]) {
    await c.get('/workspaces');
    for (const how of ['suspend', 'unsuspend']) {
      assert.equal((await c.post(`/w/${W.slug}/admin/members/${W.users.agent.id}/${how}`, { confirm: '1' })).status, want);
    }
  }
  assert.equal(sql(`SELECT COUNT(*) FROM memberships WHERE workspace_id = ${wsId(W.slug)}
    AND suspended_at IS NOT NULL`)[0][0], '0');
  // Suspended, a member cannot come back in through the portal either:
  // joining keeps the membership as it is.
  await suspend(W, W.users.requester.id);
  await W.requester.get('/workspaces');
  assert.equal((await W.requester.post(`/w/${W.slug}/join`, {})).status, 303);
  assert.equal((await W.requester.get(`/w/${W.slug}/tickets`)).status, 403);
});
