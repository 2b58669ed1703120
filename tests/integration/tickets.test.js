// Tickets through nginx and MariaDB: opening, the thread (comments, notes,
// history), triage with conflict detection, the queue's filters, sorts,
// keyset pages and search, and what a requester must never see.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { workspaceWithMembers } = require('../lib/fixtures');
const { Client, signUp } = require('../lib/client');
const { sql, q } = require('../lib/db');

let W;	// one workspace with an admin, an agent, a requester and an outsider
test.before(async () => { W = await workspaceWithMembers(); });

const T = (path = '') => `/w/${W.slug}/tickets${path}`;

async function open(client, fields) {
  await client.get(T('/new'));
  const res = await client.post(T('/new'), fields);
  assert.equal(res.status, 303, res.body);
  return Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
}

async function triage(client, num, fields) {
  const page = await client.get(T(`/${num}`));
  const version = page.body.match(/name="version" value="(\d+)"/)[1];
  return client.post(T(`/${num}`), { version, status: 'open', priority: 'normal', assignee: 'none', tags: '', ...fields });
}

async function comment(client, num, body, internal = false) {
  await client.get(T(`/${num}`));
  return client.post(T(`/${num}/comments`), internal ? { body, internal: '1' } : { body });
}

// Ticket numbers listed on a queue page, in order.
const numbers = (html) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));

test('numbers count per workspace, from #1', async () => {
  const other = await workspaceWithMembers();
  await other.requester.get(`/w/${other.slug}/tickets/new`);
  const res = await other.requester.post(`/w/${other.slug}/tickets/new`, { subject: 'First', body: 'one' });
  assert.equal(res.headers.location, `/w/${other.slug}/tickets/1`);
});

test('a requester opens a ticket; fields they may not set are ignored', async () => {
  const num = await open(W.requester, { subject: 'Cannot log in', body: 'Since **Monday**.', status: 'closed', priority: 'urgent', assignee: String(W.users.agent.id), requester: W.users.admin.email });
  const page = await W.requester.get(T(`/${num}`));
  assert.equal(page.status, 200);
  assert.match(page.body, /Cannot log in/);
  assert.match(page.body, /Since <strong>Monday<\/strong>\./);
  const [[status, priority, assignee, requester]] = sql(`SELECT t.status, t.priority, COALESCE(t.assignee_id, 0), u.email FROM tickets t JOIN workspaces w ON w.id = t.workspace_id JOIN users u ON u.id = t.requester_id WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`);
  assert.deepEqual([status, priority, assignee, requester], ['1', '2', '0', W.users.requester.email]);
});

test('a refused new-ticket form keeps what was typed', async () => {
  await W.requester.get(T('/new'));
  const res = await W.requester.post(T('/new'), { subject: '', body: 'Body that stays' });
  assert.equal(res.status, 400);
  assert.match(res.body, /Subject is required/);
  assert.match(res.body, />Body that stays<\/textarea>/);
});

test('agents open tickets on behalf of a member, not of a stranger', async () => {
  const num = await open(W.agent, { subject: 'Phoned in', body: 'by phone', requester: W.users.requester.email });
  assert.equal((await W.requester.get(T(`/${num}`))).status, 200);
  await W.agent.get(T('/new'));
  const res = await W.agent.post(T('/new'), { subject: 'x', body: 'y', requester: W.users.outsider.email });
  assert.equal(res.status, 400);
  assert.match(res.body, /No member of this workspace has that email/);
});

test('the thread: public replies reach the requester, internal notes never do', async () => {
  const num = await open(W.requester, { subject: 'Refund for order 4411', body: 'Charged twice.' });
  assert.equal((await comment(W.agent, num, 'Looking into it for you.')).status, 303);
  assert.equal((await comment(W.agent, num, 'Customer is a known fraudster zebracorn', true)).status, 303);
  const agentView = await W.agent.get(T(`/${num}`));
  assert.match(agentView.body, /zebracorn/);
  assert.match(agentView.body, /internal note/);
  const reqView = await W.requester.get(T(`/${num}`));
  assert.match(reqView.body, /Looking into it for you/);
  assert.doesNotMatch(reqView.body, /zebracorn|internal note/);
  // Not in a search hit either.
  const hit = await W.requester.get(T('?q=zebracorn'));
  assert.deepEqual(numbers(hit.body), []);
  assert.deepEqual(numbers((await W.agent.get(T('?q=zebracorn'))).body), [num]);
});

test('a requester may not write internal notes or triage', async () => {
  const num = await open(W.requester, { subject: 'Sneaky', body: 'x' });
  const note = await comment(W.requester, num, 'pretend note', true);
  assert.equal(note.status, 403);
  await W.requester.get(T(`/${num}`));
  assert.doesNotMatch(W.requester.lastBody, /name="version"/, 'no triage form for requesters');
  const tri = await W.requester.post(T(`/${num}`), { version: '1', status: 'closed', priority: 'urgent', assignee: 'none', tags: '' });
  assert.equal(tri.status, 403);
  assert.equal(sql(`SELECT COUNT(*) FROM comments c JOIN tickets t ON t.id = c.ticket_id JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`)[0][0], '0');
});

test('changes of status, priority, assignee and tags are history events', async () => {
  const num = await open(W.requester, { subject: 'History please', body: 'x' });
  const res = await triage(W.agent, num, { status: 'pending', priority: 'high', assignee: String(W.users.agent.id), tags: 'Billing, vip billing' });
  assert.equal(res.status, 303);
  const page = (await W.agent.get(T(`/${num}`))).body;
  assert.match(page, /changed status from <em>new<\/em> to <em>pending<\/em>/);
  assert.match(page, /changed priority from <em>normal<\/em> to <em>high<\/em>/);
  assert.match(page, new RegExp(`changed assignee from <em>unassigned</em> to <em>${W.users.agent.name}</em>`));
  assert.match(page, /changed tags from <em>none<\/em> to <em>billing,vip<\/em>/);
  assert.match(page, new RegExp(`${W.users.agent.name} changed status`));
  // The requester sees the status change, not the internal triage.
  const req = (await W.requester.get(T(`/${num}`))).body;
  assert.match(req, /changed status from <em>new<\/em> to <em>pending<\/em>/);
  assert.doesNotMatch(req, /changed tags|changed priority|billing/);
  // A requester's reply reopens a pending ticket.
  await comment(W.requester, num, 'Here is the info');
  assert.match((await W.agent.get(T(`/${num}`))).body, /from <em>pending<\/em> to <em>open<\/em>/);
});

test('a triage form that fails its field checks is a 400 that keeps what was chosen, and changes nothing', async () => {
  const num = await open(W.requester, { subject: 'Checked triage', body: 'x' });
  const chosen = { status: 'pending', priority: 'high', assignee: String(W.users.agent.id) };
  // Tags past their 500 characters (words that tags_normalize alone
  // would have taken) and people copied on two lines: form_check refuses
  // both, and triage respects it.
  const cases = [
    [{ tags: `vip${' '.repeat(600)}billing` }, /Tags must be at most 500 characters\./],
    [{ tags: 'vip', cc: `${W.users.agent.email}\n${W.users.admin.email}` }, /Copied must be one line\./],
    [{ tags: 'vip', status: 'bogus' }, /Choose a status from the list\./],
    [{ tags: 'vip', priority: '' }, /Choose a priority from the list\./],
    [{ tags: 'vip', assignee: 'someone' }, /Choose an assignee from the list\./],
    [{ tags: 'vip', version: 'x' }, /The form was incomplete\. Reload the page\./],
  ];
  for (const [fields, message] of cases) {
    const res = await triage(W.agent, num, { ...chosen, ...fields });
    assert.equal(res.status, 400, `${JSON.stringify(fields)}: ${res.status}`);
    assert.match(res.body, message);
    if (!fields.priority && fields.priority !== '') assert.match(res.body, /<option value="high" selected>high<\/option>/, 'the priority chosen');
    if (!fields.status) assert.match(res.body, /<option value="pending" selected>pending<\/option>/, 'the status chosen');
  }
  const page = (await W.agent.get(T(`/${num}`))).body;
  assert.doesNotMatch(page, /changed (status|priority|tags|assignee)/, 'nothing was changed');
});

test('two agents saving the same ticket: the second gets a conflict that keeps their choices', async () => {
  const num = await open(W.requester, { subject: 'Race', body: 'x' });
  const first = await W.agent.get(T(`/${num}`));
  const version = first.body.match(/name="version" value="(\d+)"/)[1];
  const csrfA = W.agent.csrf();
  await W.admin.get(T(`/${num}`));
  const adminVersion = W.admin.lastBody.match(/name="version" value="(\d+)"/)[1];
  assert.equal(adminVersion, version);
  const a = await W.admin.post(T(`/${num}`), { version, status: 'solved', priority: 'low', assignee: 'none', tags: 'admin-wins' });
  assert.equal(a.status, 303);
  const b = await W.agent.post(T(`/${num}`), { csrf: csrfA, version, status: 'pending', priority: 'urgent', assignee: 'none', tags: 'agent-typed' });
  assert.equal(b.status, 409);
  assert.match(b.body, /Someone else changed this ticket/);
  assert.match(b.body, /value="agent-typed"/);
  assert.match(b.body, /<option value="urgent" selected>/);
  const [[status, tags]] = sql(`SELECT t.status, t.tags FROM tickets t JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`);
  assert.deepEqual([status, tags], ['4', 'admin-wins'], 'the first save stands');
  // Saving again from the conflict page applies the choices.
  const again = await W.agent.post(T(`/${num}`), { version: b.body.match(/name="version" value="(\d+)"/)[1], status: 'pending', priority: 'urgent', assignee: 'none', tags: 'agent-typed' });
  assert.equal(again.status, 303);
});

test('markdown is rendered safely: no raw HTML, no javascript: links', async () => {
  const num = await open(W.requester, { subject: 'XSS <img src=x onerror=alert(1)>', body: 'hi <img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and [ok](https://example.org/)' });
  const page = (await W.agent.get(T(`/${num}`))).body;
  assert.doesNotMatch(page, /<img src=x/);
  assert.doesNotMatch(page, /href="javascript:/i);
  assert.match(page, /XSS &lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(page, /<a href="https:\/\/example.org\/">ok<\/a>/);
});

test('requesters see only their own tickets and those they are copied on', async () => {
  const mine = await open(W.requester, { subject: 'Mine only', body: 'x' });
  const other = new Client();
  const { email } = await signUp(other, { name: 'Other Requester' });
  sql(`INSERT INTO memberships (workspace_id, user_id, role, created_at) SELECT w.id, u.id, 'requester', UTC_TIMESTAMP() FROM workspaces w, users u WHERE w.slug = ${q(W.slug)} AND u.email = ${q(email)}`);
  assert.equal((await other.get(T(`/${mine}`))).status, 404);
  const list = await other.get(T());
  assert.doesNotMatch(list.body, /Mine only/);
  // None of theirs: the first-run step instead of counts, and no count
  // of others' tickets (first-run.test.js).
  assert.match(list.body, /Open your first request/, 'counts are only of their tickets: none');
  assert.doesNotMatch(list.body, /<span class="badge">[1-9]/);
  assert.deepEqual(numbers((await other.get(T('?q=mine'))).body), []);
  assert.deepEqual(numbers((await other.get(T(`?q=%23${mine}`))).body), []);
  // An agent copies them on: now they see it, and only they are added.
  const bad = await triage(W.agent, mine, { cc: `${email}, ${W.users.outsider.email}` });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /Only members of this workspace can be copied/);
  assert.equal((await triage(W.agent, mine, { cc: email.toUpperCase() })).status, 303);
  assert.match((await W.agent.get(T(`/${mine}`))).body, new RegExp(email.replace(/[.+]/g, '\\$&')));
  assert.equal((await other.get(T(`/${mine}`))).status, 200);
  assert.match((await other.get(T())).body, /Mine only/);
});

test('outsiders get 404 for tickets, including through their own workspace', async () => {
  const num = await open(W.requester, { subject: 'Private', body: 'x' });
  assert.equal((await W.outsider.get(T(`/${num}`))).status, 404);
  assert.equal((await W.outsider.get(T())).status, 404);
  const theirs = await workspaceWithMembers();
  // The outsider is an admin elsewhere; that slug with this number must
  // show their own ticket #num (if any), never ours.
  const res = await theirs.admin.get(`/w/${theirs.slug}/tickets/${num}`);
  assert.equal(res.status, 404);
  await theirs.admin.get(`/w/${theirs.slug}/tickets/${num}`);
  const post = await theirs.admin.post(`/w/${W.slug}/tickets/${num}/comments`, { body: 'hi' });
  assert.equal(post.status, 404);
});

test('queue filters, sorts and keyset pages', async () => {
  const ws = await workspaceWithMembers();
  const P = (p) => `/w/${ws.slug}/tickets${p}`;
  for (let i = 1; i <= 60; i++) {
    await ws.requester.get(P('/new'));
    await ws.requester.post(P('/new'), { subject: `Bulk ticket ${i}`, body: i % 2 ? 'odd printer' : 'even scanner' });
  }
  // Triage a few, an hour after the rest were last touched.
  sql(`UPDATE tickets t JOIN workspaces w ON w.id = t.workspace_id SET t.updated_at = t.updated_at - INTERVAL 1 HOUR WHERE w.slug = ${q(ws.slug)}`);
  const set = async (num, f) => {
    const page = await ws.agent.get(P(`/${num}`));
    const version = page.body.match(/name="version" value="(\d+)"/)[1];
    const r = await ws.agent.post(P(`/${num}`), { version, status: 'open', priority: 'normal', assignee: 'none', tags: '', ...f });
    assert.equal(r.status, 303);
  };
  await set(7, { priority: 'urgent', assignee: String(ws.users.agent.id), tags: 'hot' });
  await set(8, { priority: 'high', status: 'pending', tags: 'hot cold' });
  await set(9, { priority: 'low', status: 'solved' });

  // Walk every page, newest created first: all 60, once each, in order.
  let url = P('?sort=created');
  const seen = [];
  for (let pages = 0; url && pages < 10; pages++) {
    const res = await ws.agent.get(url);
    seen.push(...numbers(res.body));
    const next = res.body.match(/<a href="([^"]+)" rel="next">/);
    url = next ? next[1].replace(/&amp;/g, '&') : null;
  }
  assert.deepEqual(seen, Array.from({ length: 60 }, (_, i) => 60 - i));

  // Last updated first: the triaged ones lead.
  assert.deepEqual(numbers((await ws.agent.get(P(''))).body).slice(0, 3), [9, 8, 7]);
  // Priority: urgent, then high.
  assert.deepEqual(numbers((await ws.agent.get(P('?sort=priority'))).body).slice(0, 2), [7, 8]);
  // Filters, and filters kept on the next page.
  assert.deepEqual(numbers((await ws.agent.get(P('?status=pending'))).body), [8]);
  assert.deepEqual(numbers((await ws.agent.get(P('?priority=low'))).body), [9]);
  assert.deepEqual(numbers((await ws.agent.get(P('?assignee=me'))).body), [7]);
  assert.deepEqual(numbers((await ws.agent.get(P('?tag=hot&sort=created'))).body), [8, 7]);
  const unassigned = await ws.agent.get(P('?assignee=none&sort=created'));
  assert.equal(numbers(unassigned.body).length, 25);
  assert.match(unassigned.body, /rel="next"/);
  assert.match(unassigned.body.match(/<a href="([^"]+)" rel="next">/)[1], /assignee=none/);
  assert.deepEqual(numbers((await ws.agent.get(P(`?requester=${ws.users.requester.id}&status=solved`))).body), [9]);
  // Counts per status.
  const counts = (await ws.agent.get(P(''))).body;
  assert.match(counts, /new <span class="badge">57<\/span>/);
  assert.match(counts, /open <span class="badge">1<\/span>/);
  assert.match(counts, /pending <span class="badge">1<\/span>/);
  // A forged cursor is an empty page, not an error.
  assert.equal((await ws.agent.get(P('?after=1.2.3.4'))).status, 200);
  assert.equal((await ws.agent.get(P("?after=1' OR 1=1"))).status, 200);
});

test('search finds subjects, bodies and comments, and ticket numbers', async () => {
  const ws = await workspaceWithMembers();
  const P = (p) => `/w/${ws.slug}/tickets${p}`;
  const mk = async (subject, body) => {
    await ws.requester.get(P('/new'));
    const r = await ws.requester.post(P('/new'), { subject, body });
    return Number(r.headers.location.match(/(\d+)$/)[1]);
  };
  const a = await mk('Invoice mismatch', 'The total is wrong');
  const b = await mk('Password reset', 'Email never arrives');
  const c = await mk('Hello', 'General question');
  await ws.agent.get(P(`/${c}`));
  await ws.agent.post(P(`/${c}/comments`), { body: 'Try clearing the invoice cache' });
  assert.deepEqual(numbers((await ws.agent.get(P('?q=invoice'))).body).sort(), [a, c].sort());
  assert.deepEqual(numbers((await ws.agent.get(P('?q=arrives'))).body), [b]);
  assert.deepEqual(numbers((await ws.agent.get(P(`?q=%23${b}`))).body), [b]);
  assert.deepEqual(numbers((await ws.agent.get(P('?q=invoice+total'))).body), [a]);
  // Operators and quotes typed by a user are words, never SQL or syntax errors.
  for (const hostile of ['"', '+-*', "' OR 1=1 --", '(((', '@@', '%']) {
    const r = await ws.agent.get(P(`?q=${encodeURIComponent(hostile)}`));
    assert.equal(r.status, 200, hostile);
  }
});

test('Markdown is rendered once when written, and again only when the kept HTML is cleared', async () => {
  const num = await open(W.requester, { subject: 'Kept HTML', body: 'Some *emphasis* here' });
  await comment(W.agent, num, 'A **bold** reply');
  const where = `FROM tickets t JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`;
  assert.match(sql(`SELECT t.body_html ${where}`)[0][0], /<em>emphasis<\/em>/);
  assert.match(sql(`SELECT c.body_html FROM comments c WHERE c.ticket_id = (SELECT t.id ${where})`)[0][0], /<strong>bold<\/strong>/);
  // The page shows the kept HTML, not a fresh rendering of the text...
  sql(`UPDATE tickets t JOIN workspaces w ON w.id = t.workspace_id SET t.body_html = '<p>kept copy</p>' WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`);
  assert.match((await W.agent.get(T(`/${num}`))).body, /<p>kept copy<\/p>/);
  // ...and renders the text again once it is cleared.
  sql(`UPDATE tickets t JOIN workspaces w ON w.id = t.workspace_id SET t.body_html = NULL WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`);
  sql(`UPDATE comments SET body_html = NULL WHERE ticket_id = (SELECT t.id ${where})`);
  const page = (await W.agent.get(T(`/${num}`))).body;
  assert.match(page, /Some <em>emphasis<\/em> here/);
  assert.match(page, /A <strong>bold<\/strong> reply/);
});

// Issue 7, item 8: ten thousand levels of nesting were stored, and 100 KB
// of '>' became 2.7 MB of HTML kept and sent on every view.
test('Markdown past the nesting or size limits is a 400 that names the limit and keeps the text', async () => {
  const num = await open(W.requester, { subject: 'Limits', body: 'Fine' });
  const where = `FROM comments c JOIN tickets t ON t.id = c.ticket_id JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`;
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cases = [
    ['>'.repeat(10000) + ' deep', /Reply can nest quotes and lists at most 16 deep\./],
    ['- '.repeat(10000) + 'deep', /Reply can nest quotes and lists at most 16 deep\./],
    ['!['.repeat(10000) + 'a' + '](b)'.repeat(10000), /Reply can nest links, images and emphasis at most 16 deep\./],
    ['>'.repeat(100000), /Reply can nest quotes and lists at most 16 deep\./],
    ['>>>>>>>>>>>>>>>>x\n\n'.repeat(5000).trim(), /Reply is too large once formatted \(more than 1 MB of HTML\)/],
    // Issue 13: cmark-gfm fills each table row up to the header's
    // columns; 11,000 columns over 26,000 one-letter lines (96 KB) would
    // be 286 million cells. Refused within markdown.c's memory budget.
    [`${'|a'.repeat(11000)}|\n${'|-'.repeat(11000)}|\n${'x\n'.repeat(26000)}`.trim(),
      /Reply is too large once formatted \(more than 1 MB of HTML\)/],
  ];
  for (const [body, message] of cases) {
    const t0 = Date.now();
    const res = await comment(W.requester, num, body);
    assert.ok(Date.now() - t0 < 5000, `${body.slice(0, 20)}... answered in ${Date.now() - t0} ms`);
    assert.equal(res.status, 400, `${body.slice(0, 20)}...: ${res.status}`);
    assert.match(res.body, message);
    assert.ok(res.body.includes(`>${esc(body)}</textarea>`), 'the reply form keeps what was typed');
  }
  assert.equal(sql(`SELECT COUNT(*) ${where}`)[0][0], '0', 'nothing was stored');
  // Sixteen levels are ordinary Markdown.
  const ok = await comment(W.requester, num, '>'.repeat(16) + ' sixteen');
  assert.equal(ok.status, 303);
  assert.equal((sql(`SELECT c.body_html ${where}`)[0][0].match(/<blockquote>/g) || []).length, 16);

  await W.requester.get(T('/new'));
  const res = await W.requester.post(T('/new'), { subject: 'Deep', body: '- '.repeat(10000) + 'x' });
  assert.equal(res.status, 400);
  assert.match(res.body, /Description can nest quotes and lists at most 16 deep\./);
  assert.ok(res.body.includes(`>${'- '.repeat(10000)}x</textarea>`), 'the new-ticket form keeps what was typed');
});
