// Notifications, invitations by mail and the admins' list of undelivered
// mail, read from the stack's real mail catcher (tests/lib/inbox.js): who
// is told of what (counted, and no one else), threading, absolute links,
// opting out, a note that reaches no mail, and a rolled-back reply that
// sends nothing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { workspaceWithMembers, invite, accept } = require('../lib/fixtures');
const { Client, signUp, uniqueEmail, BASE } = require('../lib/client');
const { sql, q, conf } = require('../lib/db');
const { inbox, delivered, fannedOut, part } = require('../lib/inbox');

const DIR = process.env.HD_STACK_DIR;
const skip = !DIR && 'needs HD_STACK_DIR (the stack\'s mail catcher)';
const base = () => conf().base_url.replace(/\/+$/, '');

let W;
test.before(async () => { if (DIR) W = await workspaceWithMembers(); });

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

const ticketId = (num) => Number(sql(`SELECT t.id FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
  WHERE w.slug = ${q(W.slug)} AND t.number = ${num}`)[0][0]);

// The mails of one ticket (by its unique subject) in each member's inbox.
async function mailsAbout(subject) {
  const out = {};
  for (const role of ['admin', 'agent', 'requester', 'outsider']) {
    out[role] = (await inbox(W.users[role].email)).filter((m) => m.headers.Subject.includes(subject));
  }
  return out;
}
const kinds = (list) => list.map((m) => m.headers.Subject.replace(/\[#\d+\] .*?(?= \(|$)/, '#'));

test('each kind reaches exactly the right people, threaded, with absolute links', { skip }, async () => {
  const subject = `Printer on fire ${Date.now()}`;
  const num = await open(W.requester, { subject, body: 'It is **really** on fire.' });
  const id = ticketId(num);
  await delivered(`ticket_id = ${id}`);
  let got = await mailsAbout(subject);
  // New ticket: every agent and admin, never the requester who opened it.
  assert.deepEqual([got.admin.length, got.agent.length, got.requester.length, got.outsider.length], [1, 1, 0, 0]);
  const fresh = got.agent[0];
  assert.equal(fresh.headers.Subject, `[#${num}] ${subject}`);
  assert.match(part(fresh, 'text/html'), /<strong>really<\/strong>/, 'the description as stored, rendered');
  assert.ok(part(fresh, 'text/plain').includes('It is **really** on fire.'));

  // Copy the admin; the agent replies publicly: requester and admin, not the agent.
  assert.equal((await triage(W.agent, num, { cc: W.users.admin.email })).status, 303);
  assert.equal((await comment(W.agent, num, 'We sent the *fire brigade*.')).status, 303);
  await delivered(`ticket_id = ${id}`);
  got = await mailsAbout(subject);
  assert.deepEqual([got.admin.length, got.agent.length, got.requester.length, got.outsider.length], [2, 1, 1, 0]);
  const reply = got.requester[0];
  assert.equal(reply.headers.Subject, `Re: [#${num}] ${subject}`);
  assert.match(part(reply, 'text/html'), /<em>fire brigade<\/em>/);
  assert.ok(part(reply, 'text/plain').includes('We sent the *fire brigade*.'));
  const link = `${base()}/w/${W.slug}/tickets/${num}`;
  assert.ok(part(reply, 'text/plain').includes(link), 'an absolute link to the ticket');
  assert.ok(part(reply, 'text/html').includes(`href="${link}"`));
  assert.ok(part(reply, 'text/plain').includes(`${base()}/account#notifications`), 'how to turn it off');
  assert.match(part(reply, 'text/plain'), /because you opened this ticket/);
  assert.match(part(got.admin[1], 'text/plain'), /because you are copied on this ticket/);

  // Assigned to the admin: the admin; assigning oneself: nobody.
  assert.equal((await triage(W.agent, num, { cc: W.users.admin.email, assignee: String(W.users.admin.id) })).status, 303);
  assert.equal((await triage(W.agent, num, { cc: W.users.admin.email, assignee: String(W.users.agent.id) })).status, 303);
  // Solved: the requester.
  assert.equal((await triage(W.agent, num, { cc: W.users.admin.email, assignee: String(W.users.agent.id), status: 'solved' })).status, 303);
  await delivered(`ticket_id = ${id}`);
  got = await mailsAbout(subject);
  assert.deepEqual(kinds(got.admin), ['#', 'Re: #', '# (assigned to you)']);
  assert.deepEqual(kinds(got.agent), ['#']);
  assert.deepEqual(kinds(got.requester), ['Re: #', '# (solved)']);
  assert.equal(got.outsider.length, 0);

  // Threading: distinct ids, one shared root in In-Reply-To and References.
  const [a, b] = got.requester;
  assert.notEqual(a.headers['Message-ID'], b.headers['Message-ID']);
  assert.match(a.headers['In-Reply-To'], /^<hd\.\d+\.\d+\.thread\.[0-9a-f]+@/);
  assert.equal(a.headers['In-Reply-To'], b.headers['In-Reply-To']);
  assert.equal(a.headers.References, b.headers.References);
  assert.equal(a.headers['In-Reply-To'], got.admin[2].headers['In-Reply-To']);
  assert.equal(a.headers['Auto-Submitted'], 'auto-generated');
});

test('a note never reaches a requester, nor anyone by mail', { skip }, async () => {
  const subject = `Secret note ticket ${Date.now()}`;
  const secret = `internal-only-${Date.now()}`;
  const num = await open(W.requester, { subject, body: 'Hello.' });
  assert.equal((await comment(W.agent, num, `Agents only: ${secret}`, true)).status, 303);
  assert.equal((await comment(W.agent, num, 'A public answer.')).status, 303);
  assert.equal((await comment(W.admin, num, `More notes: ${secret}`, true)).status, 303);
  assert.equal((await triage(W.agent, num, { status: 'solved' })).status, 303);
  await delivered(`ticket_id = ${ticketId(num)}`);
  const got = await mailsAbout(subject);
  const all = [...got.admin, ...got.agent, ...got.requester, ...got.outsider];
  assert.ok(got.requester.length >= 2, 'the requester got the reply and the solved mail');
  for (const m of all) {
    assert.ok(!JSON.stringify(m).includes(secret), `no note in "${m.headers.Subject}"`);
  }
  // Nor in the outbox, whatever it holds.
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE ticket_id = ${ticketId(num)}
    AND LOCATE(${q(secret)}, message) > 0`)[0][0], '0');
});

test('turning a kind off on the account page stops that kind, and only that', { skip }, async () => {
  const page = await W.requester.get('/account');
  assert.match(page.body, /id="notifications"/);
  assert.match(page.body, /name="reply" value="1" checked/);
  const off = await W.requester.post('/account/notifications', { ticket_new: '1', assigned: '1', solved: '1' });
  assert.equal(off.status, 303);
  const again = await W.requester.get('/account');
  assert.doesNotMatch(again.body, /name="reply" value="1" checked/);
  assert.match(again.body, /name="solved" value="1" checked/);

  const subject = `Opted out ${Date.now()}`;
  const num = await open(W.requester, { subject, body: 'Hi.' });
  assert.equal((await comment(W.agent, num, 'A reply nobody is mailed.')).status, 303);
  assert.equal((await triage(W.agent, num, { status: 'solved' })).status, 303);
  await delivered(`ticket_id = ${ticketId(num)}`);
  const got = await mailsAbout(subject);
  assert.deepEqual(kinds(got.requester), ['# (solved)']);
  // Back on: the default again.
  assert.equal((await W.requester.submit('/account', '/account/notifications', { ticket_new: '1', reply: '1', assigned: '1', solved: '1' })).status, 303);
  assert.equal(sql(`SELECT COUNT(*) FROM notification_prefs WHERE user_id = ${W.users.requester.id}`)[0][0], '0');
});

test('the workspace setting sends new tickets to one address, or to nobody', { skip }, async () => {
  const S = `/w/${W.slug}/admin/settings`;
  const shared = uniqueEmail('team');
  const bad = await W.admin.submit(S, S, { name: W.wsName, new_ticket_to: 'address', new_ticket_address: 'not an address' });
  assert.equal(bad.status, 400);
  assert.ok(bad.body.includes('value="not an address"'), 'the form keeps what was typed');
  assert.equal((await W.admin.submit(S, S, { name: W.wsName, new_ticket_to: 'address', new_ticket_address: shared })).status, 303);
  const s1 = `To the team ${Date.now()}`;
  const n1 = await open(W.requester, { subject: s1, body: 'x' });
  // The setting applies when the mailer fans the ticket's event out
  // (notify.h), moments later: each ticket's before the next change.
  await fannedOut(`ticket_id = ${ticketId(n1)}`);
  assert.equal((await W.admin.submit(S, S, { name: W.wsName, new_ticket_to: 'off' })).status, 303);
  const s2 = `To nobody ${Date.now()}`;
  const n2 = await open(W.requester, { subject: s2, body: 'x' });
  await fannedOut(`ticket_id = ${ticketId(n2)}`);
  // A form without the choice (older pages) leaves it as it is.
  assert.equal((await W.admin.submit(S, S, { name: W.wsName })).status, 303);
  assert.equal(sql(`SELECT CONCAT('[', new_ticket_mail, ']') FROM workspaces WHERE slug = ${q(W.slug)}`)[0][0], '[]');
  assert.equal((await W.admin.submit(S, S, { name: W.wsName, new_ticket_to: 'agents' })).status, 303);
  await delivered(`ticket_id IN (${ticketId(n1)}, ${ticketId(n2)})`);
  const team = (await inbox(shared));
  assert.deepEqual(team.map((m) => m.headers.Subject), [`[#${n1}] ${s1}`]);
  assert.match(part(team[0], 'text/plain'), /settings of this workspace send mail about new tickets/);
  for (const s of [s1, s2]) {
    const got = await mailsAbout(s);
    assert.deepEqual([got.admin.length, got.agent.length], [0, 0], s);
  }
});

test('an invitation is mailed with its absolute link, which accepting works through', { skip }, async () => {
  const email = uniqueEmail('invited');
  const path = await invite(W.admin, W.slug, email, 'agent');
  // The admin's page shows it once, absolute, from base_url.
  assert.ok(W.admin.lastBody.includes(`value="${base()}${path}"`));
  await delivered(`to_addr = ${q(email)}`);
  const mails = await inbox(email);
  assert.equal(mails.length, 1);
  assert.match(mails[0].headers.Subject, /^Invitation to /);
  const text = part(mails[0], 'text/plain');
  const link = text.match(/(https?:\/\/\S+\/invite\/[0-9a-f]{64})/)[1];
  assert.equal(link, `${base()}${path}`);
  assert.ok(part(mails[0], 'text/html').includes(`href="${link}"`));
  // The invited person follows the mail's link.
  const c = new Client();
  assert.equal((await signUp(c, { name: 'Invited Ida', email })).res.status, 303);
  await accept(c, new URL(link).pathname);
  assert.equal(sql(`SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id
    JOIN workspaces w ON w.id = m.workspace_id WHERE u.email = ${q(email)} AND w.slug = ${q(W.slug)}`)[0][0], 'agent');
});

test('undelivered mail shows on its workspace\'s admin page, and no other', { skip }, async () => {
  const other = await workspaceWithMembers();
  const wsId = (slug) => sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`)[0][0];
  const mark = `failed-${Date.now()}`;
  // A message given up after its retries, as the mailer leaves one.
  sql(`INSERT INTO outbox (workspace_id, kind, to_addr, subject, message_id, message, created_at,
    next_attempt_at, attempts, failed_at, last_error) VALUES (${wsId(W.slug)}, 'ticket.reply',
    'gone@test.example', ${q(`Subject ${mark}`)}, ${q(`<${mark}@test>`)}, 'x', NOW() - INTERVAL 2 DAY,
    NOW(), 12, NOW(), ${q(`550 5.1.1 mailbox unavailable ${mark}`)})`);
  const mine = await W.admin.get(`/w/${W.slug}/admin/mail`);
  assert.equal(mine.status, 200);
  assert.ok(mine.body.includes(`Subject ${mark}`));
  assert.ok(mine.body.includes(`550 5.1.1 mailbox unavailable ${mark}`));
  assert.ok(mine.body.includes('gone@test.example'));
  const theirs = await other.admin.get(`/w/${other.slug}/admin/mail`);
  assert.equal(theirs.status, 200);
  assert.ok(!theirs.body.includes(mark));
  assert.match(theirs.body, /Every message was delivered\./);
  // Other roles and outsiders: as for the audit log.
  assert.equal((await W.agent.get(`/w/${W.slug}/admin/mail`)).status, 403);
  assert.equal((await W.outsider.get(`/w/${W.slug}/admin/mail`)).status, 404);
  assert.equal((await W.admin.get(`/w/${W.slug}/admin/mail?before=x`)).status, 400);
});

test('a reply whose transaction fails sends nothing', { skip }, async () => {
  const subject = `Rolled back ${Date.now()}`;
  const num = await open(W.requester, { subject, body: 'x' });
  const text = `Never committed ${Date.now()}`;
  // The agent's audit row fails (NULL in a NOT NULL column), after the
  // comment and its mail were written in the same transaction.
  const trig = `hd_fail_${process.pid}`;
  sql(`CREATE TRIGGER ${trig} BEFORE INSERT ON audit_log FOR EACH ROW
    SET NEW.action = IF(NEW.actor_id = ${W.users.agent.id} AND NEW.action = 'comment.create',
      NULL, NEW.action)`);
  let res;
  try {
    res = await comment(W.agent, num, text);
  } finally {
    sql(`DROP TRIGGER ${trig}`);
  }
  assert.equal(res.status, 503);
  assert.equal(sql(`SELECT COUNT(*) FROM comments WHERE body = ${q(text)}`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE ticket_id = ${ticketId(num)} AND kind = 'ticket.reply'`)[0][0], '0');
  // A later reply is mailed as usual: the catcher is seen working.
  assert.equal((await comment(W.agent, num, 'The one that counts.')).status, 303);
  await delivered(`ticket_id = ${ticketId(num)}`);
  const got = await mailsAbout(subject);
  assert.equal(got.requester.length, 1);
  assert.ok(!JSON.stringify(got).includes(text));
});
