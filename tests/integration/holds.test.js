// Legal holds (issue 11), through the pages as an admin uses them: placing
// a hold on a ticket, a member's data or the whole workspace, with a
// reason; lifting it after a confirmation step; both audited; the ticket
// page tells admins (only) that a ticket is held; a workspace with an
// active hold cannot be deleted, and an admin cannot erase a requester
// whose data a hold covers. What a person's own erasure keeps under a
// hold is in erasure.test.js.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers } = require('../lib/fixtures');

const wsId = (slug) => Number(sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`)[0][0]);
const unescape = (s) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

async function openTicket(c, slug, subject) {
  await c.get(`/w/${slug}/tickets/new`);
  const res = await c.postMultipart(`/w/${slug}/tickets/new`, { subject, body: 'text' }, []);
  assert.equal(res.status, 303);
  return Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
}

async function place(W, fields) {
  return W.admin.submit(`/w/${W.slug}/admin/holds`, `/w/${W.slug}/admin/holds`, fields);
}

// The active holds of the workspace, as rows [scope, reason].
const active = (W) => sql(`SELECT scope, reason FROM legal_holds
  WHERE workspace_id = ${wsId(W.slug)} AND lifted_at IS NULL ORDER BY id`);

test('an admin places holds of each scope, each audited; the ticket page tells admins only', async () => {
  const W = await workspaceWithMembers();
  const num = await openTicket(W.requester, W.slug, 'Disputed invoice');
  const page = await W.admin.get(`/w/${W.slug}/admin/holds`);
  assert.equal(page.status, 200);
  assert.match(page.body, /No data of this workspace has ever been on hold/);
  assert.match(page.body, /href="\/w\/[^"]+\/admin\/holds"[^>]*>Legal holds<\/a>/, 'the admin navigation links it');

  let res = await place(W, { scope: 'ticket', ticket: String(num), reason: 'Invoice dispute <b>#4711</b>' });
  assert.equal(res.status, 303, res.body.slice(0, 500));
  assert.match(res.headers.location, /\/admin\/holds$/);
  res = await place(W, { scope: 'person', member: String(W.users.requester.id), reason: 'Court order 12/2026' });
  assert.equal(res.status, 303);
  res = await place(W, { scope: 'workspace', reason: 'Tax audit until 2030' });
  assert.equal(res.status, 303);
  assert.deepEqual(active(W), [['ticket', 'Invoice dispute <b>#4711</b>'], ['person', 'Court order 12/2026'],
    ['workspace', 'Tax audit until 2030']]);
  const [[tid]] = sql(`SELECT ticket_id = (SELECT id FROM tickets WHERE workspace_id = ${wsId(W.slug)}
    AND number = ${num}) FROM legal_holds WHERE scope = 'ticket' AND workspace_id = ${wsId(W.slug)}`);
  assert.equal(tid, '1', 'the hold is on the ticket of that number');
  const audits = sql(`SELECT action, object_type, actor_id FROM audit_log WHERE workspace_id = ${wsId(W.slug)}
    AND action LIKE 'hold.%' ORDER BY id`);
  assert.deepEqual(audits, [0, 1, 2].map(() => ['hold.place', 'hold', String(W.users.admin.id)]));

  const list = await W.admin.get(`/w/${W.slug}/admin/holds`);
  assert.match(list.body, /Invoice dispute &lt;b&gt;#4711&lt;\/b&gt;/, 'the reason is shown, escaped');
  assert.match(list.body, new RegExp(`${W.users.requester.name}&#39;s data|${W.users.requester.name}'s data`));
  assert.match(list.body, /the whole workspace/);

  // The ticket page: "On legal hold: <reason>" for the admin, both holds.
  const t = await W.admin.get(`/w/${W.slug}/tickets/${num}`);
  assert.equal(t.status, 200);
  assert.match(t.body, /On legal hold:<\/strong> Invoice dispute &lt;b&gt;#4711&lt;\/b&gt;/);
  assert.match(t.body, /On legal hold \(the whole workspace\):<\/strong> Tax audit until 2030/);
  for (const c of [W.agent, W.requester]) {
    const other = await c.get(`/w/${W.slug}/tickets/${num}`);
    assert.equal(other.status, 200);
    assert.doesNotMatch(other.body, /legal hold|Invoice dispute|Tax audit/i, 'not shown to agents or requesters');
  }
});

test('a refused hold keeps what was typed and places nothing', async () => {
  const W = await workspaceWithMembers();
  let res = await place(W, { scope: 'ticket', ticket: '999999', reason: 'Keep it' });
  assert.equal(res.status, 400);
  assert.match(unescape(res.body), /This workspace has no ticket with that number/);
  assert.match(res.body, /Keep it<\/textarea>/, 'the reason typed is kept');
  res = await place(W, { scope: 'ticket', ticket: '', reason: 'Keep it' });
  assert.equal(res.status, 400);
  assert.match(res.body, /Give the ticket&#39;s number|Give the ticket's number/);
  res = await place(W, { scope: 'workspace', reason: '' });
  assert.equal(res.status, 400);
  res = await place(W, { scope: 'workspace', reason: 'x'.repeat(501) });
  assert.equal(res.status, 400);
  res = await place(W, { scope: 'person', member: String(W.users.outsider.id), reason: 'Not a member' });
  assert.equal(res.status, 400);
  assert.match(res.body, /Choose a member of this workspace/);
  assert.match(res.body, /Not a member<\/textarea>/);
  res = await place(W, { scope: 'everything', reason: 'Bad scope' });
  assert.equal(res.status, 400);
  assert.deepEqual(active(W), []);
  // 500 characters are allowed.
  res = await place(W, { scope: 'workspace', reason: 'é'.repeat(500) });
  assert.equal(res.status, 303);
});

test('lifting a hold takes a confirmation step, is audited, and the hold stays listed as lifted', async () => {
  const W = await workspaceWithMembers();
  assert.equal((await place(W, { scope: 'workspace', reason: 'Litigation hold' })).status, 303);
  const [[id]] = sql(`SELECT id FROM legal_holds WHERE workspace_id = ${wsId(W.slug)}`);
  const confirm = await W.admin.get(`/w/${W.slug}/admin/holds/${id}/lift`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.body, /Litigation hold/);
  assert.match(confirm.body, /<button type="submit" class="danger">Lift hold<\/button>/);
  assert.deepEqual(active(W), [['workspace', 'Litigation hold']], 'the confirmation page lifts nothing');
  const res = await W.admin.post(`/w/${W.slug}/admin/holds/${id}/lift`, {});
  assert.equal(res.status, 303);
  assert.deepEqual(active(W), []);
  const [[by, lifted]] = sql(`SELECT lifted_by, lifted_at IS NOT NULL FROM legal_holds WHERE id = ${id}`);
  assert.deepEqual([by, lifted], [String(W.users.admin.id), '1']);
  assert.deepEqual(sql(`SELECT action, object_id FROM audit_log WHERE workspace_id = ${wsId(W.slug)}
    AND action LIKE 'hold.%' ORDER BY id`), [['hold.place', String(id)], ['hold.lift', String(id)]]);
  const list = await W.admin.get(`/w/${W.slug}/admin/holds`);
  assert.match(list.body, /Litigation hold/);
  assert.doesNotMatch(list.body, /\/lift"/, 'a lifted hold has no Lift link');
  // Lifted already, or another workspace's: 404.
  await W.admin.get(`/w/${W.slug}/admin/holds`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/holds/${id}/lift`, {})).status, 404);
  assert.equal((await W.admin.get(`/w/${W.slug}/admin/holds/${id}/lift`)).status, 404);
  const X = await workspaceWithMembers();
  assert.equal((await place(X, { scope: 'workspace', reason: 'Other' })).status, 303);
  const [[xid]] = sql(`SELECT id FROM legal_holds WHERE workspace_id = ${wsId(X.slug)}`);
  await W.admin.get(`/w/${W.slug}/admin/holds`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/holds/${xid}/lift`, {})).status, 404);
  assert.equal(active(X).length, 1);
});

test('holds are the admin\'s: 403 to agents and requesters, 404 to outsiders', async () => {
  const W = await workspaceWithMembers();
  assert.equal((await place(W, { scope: 'workspace', reason: 'Keep' })).status, 303);
  const [[id]] = sql(`SELECT id FROM legal_holds WHERE workspace_id = ${wsId(W.slug)}`);
  for (const [c, want] of [[W.agent, 403], [W.requester, 403], [W.outsider, 404]]) {
    await c.get('/workspaces');
    assert.equal((await c.get(`/w/${W.slug}/admin/holds`)).status, want);
    assert.equal((await c.post(`/w/${W.slug}/admin/holds`, { scope: 'workspace', reason: 'Mine' })).status, want);
    assert.equal((await c.get(`/w/${W.slug}/admin/holds/${id}/lift`)).status, want);
    assert.equal((await c.post(`/w/${W.slug}/admin/holds/${id}/lift`, {})).status, want);
  }
  assert.deepEqual(active(W), [['workspace', 'Keep']]);
});

test('a workspace with an active hold cannot be deleted; once lifted it can', async () => {
  const W = await workspaceWithMembers();
  const num = await openTicket(W.requester, W.slug, 'Held ticket');
  assert.equal((await place(W, { scope: 'ticket', ticket: String(num), reason: 'Pending lawsuit' })).status, 303);
  const page = await W.admin.get(`/w/${W.slug}/admin/delete`);
  assert.equal(page.status, 200);
  assert.match(page.body, /under a legal hold and cannot be deleted/);
  assert.match(page.body, /Pending lawsuit/);
  assert.doesNotMatch(page.body, /name="confirm_name"/, 'no form to delete');
  await W.admin.get(`/w/${W.slug}/admin/settings`);
  const res = await W.admin.post(`/w/${W.slug}/admin/delete`, { confirm_name: W.wsName });
  assert.equal(res.status, 409);
  assert.match(res.body, /cannot be deleted/);
  assert.equal(sql(`SELECT COUNT(*) FROM workspaces WHERE slug = ${q(W.slug)}`)[0][0], '1');
  assert.equal(sql(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${wsId(W.slug)}`)[0][0], '1');

  const [[id]] = sql(`SELECT id FROM legal_holds WHERE workspace_id = ${wsId(W.slug)}`);
  await W.admin.get(`/w/${W.slug}/admin/holds/${id}/lift`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/holds/${id}/lift`, {})).status, 303);
  const ok = await W.admin.submit(`/w/${W.slug}/admin/delete`, `/w/${W.slug}/admin/delete`, { confirm_name: W.wsName });
  assert.equal(ok.status, 303);
  assert.equal(sql(`SELECT COUNT(*) FROM workspaces WHERE slug = ${q(W.slug)}`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM legal_holds WHERE id = ${id}`)[0][0], '0', 'its holds go with it');
});

test('an admin cannot erase a requester whose data a hold covers: the page names the hold', async () => {
  const W = await workspaceWithMembers();
  const R = W.users.requester;
  const num = await openTicket(W.requester, W.slug, 'My complaint');
  // A hold on a ticket the requester opened covers them.
  assert.equal((await place(W, { scope: 'ticket', ticket: String(num), reason: 'Regulator inquiry 77' })).status, 303);
  const form = await W.admin.get(`/w/${W.slug}/admin/members/${R.id}/erase`);
  assert.equal(form.status, 200);
  assert.match(form.body, /under a legal hold \(ticket #\d+\):<\/strong> Regulator inquiry 77/);
  assert.doesNotMatch(form.body, /<button type="submit" class="danger">Erase data<\/button>/);
  const res = await W.admin.post(`/w/${W.slug}/admin/members/${R.id}/erase`, {});
  assert.equal(res.status, 409);
  assert.match(res.body, /Regulator inquiry 77/);
  assert.equal(sql(`SELECT COUNT(*) FROM memberships WHERE user_id = ${R.id} AND workspace_id = ${wsId(W.slug)}`)[0][0], '1');
  assert.equal(sql(`SELECT COUNT(*) FROM tickets WHERE requester_id = ${R.id}`)[0][0], '1');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${wsId(W.slug)} AND action = 'member.erase'`)[0][0], '0');

  // A hold on the person, and then none: the erasure goes ahead.
  const [[id]] = sql(`SELECT id FROM legal_holds WHERE workspace_id = ${wsId(W.slug)}`);
  await W.admin.get(`/w/${W.slug}/admin/holds`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/holds/${id}/lift`, {})).status, 303);
  assert.equal((await place(W, { scope: 'person', member: String(R.id), reason: 'Named in a claim' })).status, 303);
  await W.admin.get(`/w/${W.slug}/admin/members/${R.id}/erase`);
  const again = await W.admin.post(`/w/${W.slug}/admin/members/${R.id}/erase`, {});
  assert.equal(again.status, 409);
  assert.match(again.body, /Named in a claim/);
  const [[pid]] = sql(`SELECT id FROM legal_holds WHERE workspace_id = ${wsId(W.slug)} AND lifted_at IS NULL`);
  await W.admin.get(`/w/${W.slug}/admin/holds`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/holds/${pid}/lift`, {})).status, 303);
  const done = await W.admin.submit(`/w/${W.slug}/admin/members/${R.id}/erase`,
    `/w/${W.slug}/admin/members/${R.id}/erase`, {});
  assert.equal(done.status, 303);
});

test('a person\'s export says which holds keep their data, and whether a workspace suspended them', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const path = require('node:path');
  const { execFileSync } = require('node:child_process');
  const W = await workspaceWithMembers();
  const R = W.users.requester;
  assert.equal((await place(W, { scope: 'person', member: String(R.id), reason: 'Claim 2026-19' })).status, 303);
  await W.admin.get(`/w/${W.slug}/admin/members`);
  assert.equal((await W.admin.post(`/w/${W.slug}/admin/members/${R.id}/suspend`, { confirm: '1' })).status, 303);
  await W.requester.get('/account');
  const res = await W.requester.post('/account/export', {});
  assert.equal(res.status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-holds-'));
  fs.writeFileSync(path.join(dir, 'a.zip'), res.raw);
  const json = JSON.parse(execFileSync('unzip', ['-p', 'a.zip', 'export.json'], { cwd: dir, encoding: 'utf8' }));
  fs.rmSync(dir, { recursive: true });
  assert.equal(json.legal_holds.length, 1);
  const [h] = json.legal_holds;
  assert.deepEqual([h.workspace, h.scope, h.reason], [W.wsName, 'person', 'Claim 2026-19']);
  assert.match(h.placed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(!JSON.stringify(h).includes(W.users.admin.name), 'who placed it is not said');
  const m = json.memberships.find((x) => x.workspace === W.slug);
  assert.match(m.suspended_at, /^\d{4}-\d\d-\d\dT/);

  // The workspace's export has every hold, and who is suspended.
  await W.admin.get(`/w/${W.slug}/tickets`);
  const ws = await W.admin.post(`/w/${W.slug}/admin/export`, {});
  assert.equal(ws.status, 200);
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-holds-'));
  fs.writeFileSync(path.join(dir2, 'a.zip'), ws.raw);
  const all = JSON.parse(execFileSync('unzip', ['-p', 'a.zip', 'export.json'], { cwd: dir2, encoding: 'utf8' }));
  fs.rmSync(dir2, { recursive: true });
  assert.deepEqual(all.legal_holds.map((x) => [x.scope, x.person_id, x.reason, x.placed_by, x.lifted_at]),
    [['person', R.id, 'Claim 2026-19', W.users.admin.name, null]]);
  assert.match(all.members.find((x) => x.id === R.id).suspended_at, /^\d{4}-/);
  assert.equal(all.members.find((x) => x.id === W.users.agent.id).suspended_at, null);
});
