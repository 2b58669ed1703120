// Every cell of the permission matrix (docs/permissions.md) through HTTP:
// each row is an action, each column a seat, each cell the status that
// seat must get. "other" is a requester who did not open the ticket;
// "outsider" is signed in but not a member.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { workspaceWithMembers, invite, accept, newUser } = require('../lib/fixtures');

const SEATS = ['admin', 'agent', 'requester', 'other', 'outsider'];

let W;
let S;	// the workspace's path prefix
const ctx = {};

async function member(role) {
  const u = await newUser(role);
  await accept(u.client, await invite(W.admin, W.slug, u.user.email, role));
  u.user.id = Number(require('../lib/db').sql(`SELECT id FROM users WHERE email = '${u.user.email}'`)[0][0]);
  return u;
}

test.before(async () => {
  W = await workspaceWithMembers();
  S = `/w/${W.slug}`;
  W.other = (await member('requester')).client;
  // The requester's ticket with a file, a public reply and a note with a file.
  const file = { name: 'files', filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('opening file') };
  await W.requester.get(`${S}/tickets/new`);
  const t = await W.requester.postMultipart(`${S}/tickets/new`, { subject: 'Matrix ticket', body: 'x' }, [file]);
  ctx.num = Number(t.headers.location.match(/(\d+)$/)[1]);
  await W.agent.get(`${S}/tickets/${ctx.num}`);
  await W.agent.postMultipart(`${S}/tickets/${ctx.num}/comments`, { body: 'note with file', internal: '1' },
    [{ ...file, filename: 'note.txt', data: Buffer.from('note file') }]);
  const page = (await W.agent.get(`${S}/tickets/${ctx.num}`)).body;
  ctx.openingFile = page.match(/href="(\/w\/[^"]+\/attachments\/\d+)">a\.txt</)[1];
  ctx.noteFile = page.match(/href="(\/w\/[^"]+\/attachments\/\d+)">note\.txt</)[1];
});

// An active hold of the workspace to lift (a new one for the seat that
// lifts it, so the others meet a live hold).
async function holdId(fresh = false) {
  const { sql } = require('../lib/db');
  if (fresh || !ctx.hold) {
    await W.admin.get(`${S}/admin/holds`);
    const res = await W.admin.post(`${S}/admin/holds`, { scope: 'workspace', reason: 'lift me' });
    assert.equal(res.status, 303);
    const id = Number(sql(`SELECT MAX(h.id) FROM legal_holds h JOIN workspaces w
      ON w.id = h.workspace_id WHERE w.slug = '${W.slug}'`)[0][0]);
    if (fresh) return id;
    ctx.hold = id;
  }
  return ctx.hold;
}

// The client of a seat.
const seat = (name) => W[name];

// Visits a page of the workspace the seat can see (for a CSRF token of
// its session; an outsider's comes from its own pages) and posts.
async function post(client, path, fields) {
  await client.get('/account');
  return client.post(path, fields);
}

const triageFields = () => ({ version: '1', status: 'open', priority: 'normal', assignee: 'none', tags: '', cc: '' });

const rows = [
  ['open the workspace', (c) => c.get(S), [303, 303, 303, 303, 404]],
  ['see the queue', (c) => c.get(`${S}/tickets`), [200, 200, 200, 200, 404]],
  ['see the new-ticket form', (c) => c.get(`${S}/tickets/new`), [200, 200, 200, 200, 404]],
  ['open a ticket', (c) => post(c, `${S}/tickets/new`, { subject: 'm', body: 'm' }), [303, 303, 303, 303, 404]],
  ["see the requester's ticket", (c) => c.get(`${S}/tickets/${ctx.num}`), [200, 200, 200, 404, 404]],
  ['reply publicly', (c) => post(c, `${S}/tickets/${ctx.num}/comments`, { body: 'hi' }), [303, 303, 303, 404, 404]],
  ['write an internal note', (c) => post(c, `${S}/tickets/${ctx.num}/comments`, { body: 'n', internal: '1' }), [303, 303, 403, 404, 404]],
  ['triage (status, priority, assignee, tags, cc)', async (c) => {
    const page = await c.get(`${S}/tickets/${ctx.num}`);
    const v = page.body.match(/name="version" value="(\d+)"/);
    if (!v) await c.get('/account');
    return c.post(`${S}/tickets/${ctx.num}`, { ...triageFields(), version: v ? v[1] : '1' });
  }, [303, 303, 403, 403, 404]],
  ['download a file of the opening message', (c) => c.get(ctx.openingFile), [200, 200, 200, 404, 404]],
  ['download a file of an internal note', (c) => c.get(ctx.noteFile), [200, 200, 404, 404, 404]],
  ['see members', (c) => c.get(`${S}/admin/members`), [200, 403, 403, 403, 404]],
  ['invite', (c) => post(c, `${S}/admin/members/invite`, { email: `m${crypto.randomUUID()}@test.example`, role: 'agent' }), [200, 403, 403, 403, 404]],
  ['change a role', async (c, name) => {
    const target = name === 'admin' ? await member('requester') : ctx.target || (ctx.target = await member('requester'));
    return post(c, `${S}/admin/members/${target.user.id}/role`, { role: 'agent' });
  }, [303, 403, 403, 403, 404]],
  ['remove a member', async (c, name) => {
    const target = name === 'admin' ? await member('requester') : ctx.target || (ctx.target = await member('requester'));
    return post(c, `${S}/admin/members/${target.user.id}/remove`, { confirm: '1' });
  }, [303, 403, 403, 403, 404]],
  ['see settings', (c) => c.get(`${S}/admin/settings`), [200, 403, 403, 403, 404]],
  ['change settings', (c) => post(c, `${S}/admin/settings`, { name: W.wsName }), [303, 403, 403, 403, 404]],
  ['read the audit log', (c) => c.get(`${S}/admin/audit`), [200, 403, 403, 403, 404]],
  ['export the audit log', (c) => post(c, `${S}/admin/audit/export`, { format: 'csv' }), [200, 403, 403, 403, 404]],
  ['see usage', (c) => c.get(`${S}/admin/usage`), [200, 403, 403, 403, 404]],
  ['see the leave page', (c) => c.get(`${S}/leave`), [200, 200, 200, 200, 404]],
  ["see the erase page of a requester", async (c) => {
    const target = ctx.eraseTarget || (ctx.eraseTarget = await member('requester'));
    return c.get(`${S}/admin/members/${target.user.id}/erase`);
  }, [200, 403, 403, 403, 404]],
  ["erase a requester's data", async (c, name) => {
    const target = name === 'admin' ? await member('requester') : ctx.eraseTarget || (ctx.eraseTarget = await member('requester'));
    return post(c, `${S}/admin/members/${target.user.id}/erase`, {});
  }, [303, 403, 403, 403, 404]],
  ['suspend a member', async (c, name) => {
    const target = name === 'admin' ? await member('requester') : ctx.target || (ctx.target = await member('requester'));
    return post(c, `${S}/admin/members/${target.user.id}/suspend`, { confirm: '1' });
  }, [303, 403, 403, 403, 404]],
  ["lift a member's suspension", async (c, name) => {
    const target = name === 'admin' ? await member('requester') : ctx.target || (ctx.target = await member('requester'));
    return post(c, `${S}/admin/members/${target.user.id}/unsuspend`, { confirm: '1' });
  }, [303, 403, 403, 403, 404]],
  ['see the delete-workspace page', (c) => c.get(`${S}/admin/delete`), [200, 403, 403, 403, 404]],
  // The admin's answer is the refusal of a wrong name: the matrix's
  // workspace must stay.
  ['delete the workspace (name mistyped)', (c) => post(c, `${S}/admin/delete`, { confirm_name: 'not it' }), [400, 403, 403, 403, 404]],
  // Holds last: a workspace with an active hold cannot be deleted.
  ['see the legal holds', (c) => c.get(`${S}/admin/holds`), [200, 403, 403, 403, 404]],
  ['place a legal hold', (c) => post(c, `${S}/admin/holds`, { scope: 'ticket', ticket: String(ctx.num), reason: 'matrix' }), [303, 403, 403, 403, 404]],
  ['see the lift step of a hold', async (c) => c.get(`${S}/admin/holds/${await holdId()}/lift`), [200, 403, 403, 403, 404]],
  ['lift a legal hold', async (c, name) => post(c, `${S}/admin/holds/${await holdId(name === 'admin')}/lift`, {}), [303, 403, 403, 403, 404]],
];

for (const [action, run, expected] of rows) {
  for (let i = 0; i < SEATS.length; i++) {
    const name = SEATS[i];
    test(`${name}: ${action} -> ${expected[i]}`, async () => {
      const res = await run(seat(name), name);
      assert.equal(res.status, expected[i], res.body.slice(0, 300));
    });
  }
}

test('a nonexistent workspace looks exactly like one you are not in', async () => {
  const a = await W.outsider.get(`${S}/tickets`);
  const b = await W.outsider.get(`/w/no-such-${Date.now()}/tickets`);
  assert.equal(a.status, 404);
  assert.equal(b.status, 404);
  const strip = (s) => s.replace(/value="[0-9a-f]{64}"/g, '');
  assert.equal(strip(a.body), strip(b.body));
});
