// Mail in (issue 12): the real helpdesk-mailgate (HD_BIN) reading
// messages on stdin against a private stack, as an MTA's pipe alias runs
// it, and what it made seen through the pages, the database and the mail
// the stack's mailer really sent. Routing: the workspace by its inbound
// address or our reply address; a reply only through a signed reference
// and a sender who may post there; agents only answering our mail to
// them; unknown senders as requesters where the portal allows; automatic
// mail and loops never notify; one message stored once, also delivered
// at the same time; the exit status 0 or 75, never another; every
// message of tests/mail/corpus; the ticket page in chromium. The test
// that stops MariaDB runs last: the web workers lose their links.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startStack, stackDir } = require('../lib/stack');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));
const REPLY_TO = 'reply+{token}@helpdesk.test';

const dir = stackDir();
let stack;
let H; // the helpers, loaded once they point at the private stack

test.before(async () => {
  stack = await startStack(dir, { env: { HELPDESK_MAIL_REPLY_TO: REPLY_TO } });
  process.env.BASE_URL = stack.base;
  process.env.HD_STACK_DIR = dir;
  H = {
    ...require('../lib/client'),
    ...require('../lib/db'),
    ...require('../lib/fixtures'),
    ...require('../lib/inbox'),
  };
});

test.after(async () => {
  const crashes = stack ? await stack.stop() : [];
  assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
});

// ---- helpers ---------------------------------------------------------------

let seq = 0;
const newId = () => { seq += 1; return `<m${process.pid}.${Date.now()}.${seq}@sender.example>`; };

// An RFC 5322 message with CRLF lines; headers null are left out.
function message({ from, to, subject = 'Printer on fire', text = 'It smokes.\n', headers = {}, body } = {}) {
  const id = newId();
  const h = {
    From: from, To: to, Subject: subject, Date: new Date().toUTCString(), 'Message-ID': id,
    'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8',
    'Content-Transfer-Encoding': '8bit', ...headers,
  };
  const head = Object.entries(h).filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${v}`).join('\r\n');
  const b = body !== undefined ? body : text.replace(/\r?\n/g, '\r\n');
  return { raw: `${head}\r\n\r\n${b}`, id };
}

// Runs the mailgate on raw: { code, line, outcome, ws, ticket, comment,
// quarantine, reason }.
function gate(raw, { rcpt, env = {}, args } = {}) {
  const r = spawnSync(path.join(BIN, 'mailgate'), args || (rcpt ? ['--recipient', rcpt] : []), {
    input: raw,
    env: {
      ...process.env, HELPDESK_CONFIG: path.join(dir, 'helpdesk.conf'),
      HELPDESK_MAIL_REPLY_TO: REPLY_TO, ...env,
    },
    encoding: 'utf8', timeout: 60000,
  });
  const m = r.stderr.match(/mailgate: (\w+) ws=(\d+) ticket=(\d+) comment=(\d+) quarantine=(\d+)(?: reason=(\w+))?/);
  const out = { code: r.status, line: r.stderr };
  if (m) {
    Object.assign(out, {
      outcome: m[1], ws: Number(m[2]), ticket: Number(m[3]), comment: Number(m[4]),
      quarantine: Number(m[5]), reason: m[6] || null,
    });
  }
  return out;
}

// Pipes a message and asserts it was stored (exit 0).
function deliver(msg, opts) {
  const r = gate(typeof msg === 'string' || Buffer.isBuffer(msg) ? msg : msg.raw, opts);
  assert.equal(r.code, 0, `mailgate exited ${r.code}: ${r.line}`);
  assert.ok(r.outcome, r.line);
  return r;
}

const one = (query) => H.sql(query)[0][0];
const count = (query) => Number(one(query));

// A workspace with members and an inbound address.
async function workspace(opts) {
  const ws = await H.workspaceWithMembers(opts);
  ws.inbound = `support-${ws.slug}@helpdesk.test`;
  H.sql(`UPDATE workspaces SET inbound_address = ${H.q(ws.inbound)} WHERE slug = ${H.q(ws.slug)}`);
  ws.id = Number(one(`SELECT id FROM workspaces WHERE slug = ${H.q(ws.slug)}`));
  return ws;
}

const ticketCount = (ws) => count(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${ws.id}`);
const ticketRow = (ws, num) => {
  const [r] = H.sql(`SELECT id, subject, requester_id, body_format, body FROM tickets
    WHERE workspace_id = ${ws.id} AND number = ${num}`);
  return { id: Number(r[0]), subject: r[1], requester: Number(r[2]), format: Number(r[3]), body: r[4] };
};
const commentsOf = (ticketId) => H.sql(`SELECT id, author_id, internal, body_format FROM comments
  WHERE ticket_id = ${ticketId} ORDER BY id`).map((r) => ({
  id: Number(r[0]), author: Number(r[1]), internal: r[2] === '1', format: Number(r[3]),
}));
// Ticket notifications reach the outbox when the mailer fans their
// events out (notify.h), moments after the change: this runs the real
// mailer's fan-out now (beside the stack's own mailer, which may hold an
// event in hand: then it waits for that one), so the outbox is complete.
function fanout() {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 200; i++) {
    if (count('SELECT COUNT(*) FROM notify_events WHERE next_attempt_at <= UTC_TIMESTAMP()') === 0) return;
    const r = spawnSync(path.join(BIN, 'mailer'), ['--fanout'], {
      // The mailer renders the mail: it needs the stack's reply address.
      env: { ...process.env, HELPDESK_CONFIG: path.join(dir, 'helpdesk.conf'), HELPDESK_MAIL_REPLY_TO: REPLY_TO },
      encoding: 'utf8', timeout: 60000,
    });
    assert.equal(r.status, 0, `mailer --fanout: ${r.stderr}`);
    Atomics.wait(pause, 0, 0, 50);
  }
  assert.fail('notification events were left');
}
// A count over the outbox, once every event is in it.
const outboxQ = (query) => { fanout(); return count(query); };
const outboxCount = () => outboxQ('SELECT COUNT(*) FROM outbox');

// The newest notification to email about ticket id: its Message-ID and
// Reply-To address (from the message as composed).
function notification(email, ticketId) {
  fanout();
  const rows = H.sql(`SELECT message_id, message FROM outbox WHERE to_addr = ${H.q(email)}
    AND ticket_id = ${ticketId} ORDER BY id DESC LIMIT 1`);
  assert.equal(rows.length, 1, `a notification to ${email} about ticket ${ticketId}`);
  const replyTo = (rows[0][1].match(/Reply-To: *<?([^\s>\\]+)>?/i) || [])[1];
  return { msgid: rows[0][0], replyTo };
}

// A new ticket by the workspace's requester, by mail; its number and id.
function mailTicket(ws, subject = 'Printer on fire') {
  const r = deliver(message({ from: `Req <${ws.users.requester.email}>`, to: ws.inbound, subject }));
  assert.equal(r.outcome, 'ticket', r.line);
  return { num: r.ticket, id: ticketRow(ws, r.ticket).id };
}

// ---- new tickets -------------------------------------------------------------

test('a known requester\'s mail opens a ticket in their name, as mail text, notifying agents', async () => {
  const ws = await workspace();
  const before = outboxCount();
  const msg = message({
    from: `"Rita Requester" <${ws.users.requester.email.toUpperCase()}>`, to: `Support <${ws.inbound}>`,
    subject: 'Re: Printer on fire', text: 'It smokes.\n\nOn Monday, Bob wrote:\n> is it on?\n',
  });
  const r = deliver(msg);
  assert.equal(r.outcome, 'ticket');
  assert.equal(r.ws, ws.id);
  assert.doesNotMatch(r.line, /@/, 'the log line names no address');
  const t = ticketRow(ws, r.ticket);
  assert.equal(t.requester, ws.users.requester.id);
  assert.equal(t.format, 1, 'stored as mail text');
  assert.equal(t.subject, 'Re: Printer on fire', 'the subject as written');
  // The same model as the web: an audit row by the sender, via mail.
  assert.equal(one(`SELECT CONCAT(actor_id, ' ', user_agent) FROM audit_log WHERE action = 'ticket.create'
    AND object_id = ${t.id}`), `${ws.users.requester.id} mail`);
  assert.ok(outboxCount() > before, 'agents are told of the new ticket');
  assert.equal(outboxQ(`SELECT COUNT(*) FROM outbox WHERE ticket_id = ${t.id} AND kind = 'ticket.new'
    AND to_addr = ${H.q(ws.users.agent.email)}`), 1);

  const page = await ws.agent.get(`/w/${ws.slug}/tickets/${r.ticket}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<span class="badge">via email<\/span>/);
  assert.match(page.body, /It smokes\./);
  assert.match(page.body, /<details/, 'the quoted part is folded, not lost');
  assert.match(page.body, /is it on\?/);
});

test('an empty subject is "(no subject)"; the same message twice makes one ticket', async () => {
  const ws = await workspace();
  const msg = message({ from: ws.users.requester.email, to: ws.inbound, subject: null });
  const first = deliver(msg);
  assert.equal(first.outcome, 'ticket');
  assert.equal(ticketRow(ws, first.ticket).subject, '(no subject)');
  const again = deliver(msg);
  assert.equal(again.outcome, 'duplicate', again.line);
  // An encoded word's line break is a space: a subject is one line.
  const nl = deliver(message({ from: ws.users.requester.email, to: ws.inbound, subject: '=?utf-8?b?Zmlyc3QKc2Vjb25k?=' }));
  assert.equal(ticketRow(ws, nl.ticket).subject, 'first second');
  assert.equal(count(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${ws.id} AND subject = '(no subject)'`), 1);
  assert.equal(count(`SELECT COUNT(*) FROM mail_seen WHERE workspace_id = ${ws.id}`), 2);
});

// Runs the mailgate on raw without waiting: resolves like gate().
function gateAsync(raw, env = {}) {
  const { spawn } = require('node:child_process');
  return new Promise((resolve) => {
    const p = spawn(path.join(BIN, 'mailgate'), [], {
      env: { ...process.env, HELPDESK_CONFIG: path.join(dir, 'helpdesk.conf'), HELPDESK_MAIL_REPLY_TO: REPLY_TO, ...env },
    });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => {
      const m = err.match(/mailgate: (\w+) ws=\d+ ticket=(\d+)/);
      resolve({ code, line: err, outcome: m && m[1], ticket: m && Number(m[2]) });
    });
    p.stdin.end(raw);
  });
}

test('one message delivered four times at once makes one ticket; two first mails of a new sender at once, one account', async () => {
  const ws = await workspace({ portal: true });
  const msg = message({ from: ws.users.requester.email, to: ws.inbound, subject: 'Four at once' });
  const runs = await Promise.all([1, 2, 3, 4].map(() => gateAsync(msg.raw)));
  assert.deepEqual(runs.map((r) => r.code), [0, 0, 0, 0], runs.map((r) => r.line).join(''));
  assert.deepEqual(runs.map((r) => r.outcome).sort(), ['duplicate', 'duplicate', 'duplicate', 'ticket']);
  assert.equal(ticketCount(ws), 1);

  // The workspace's row held for 2 s: the first mail makes the account
  // and waits there to number its ticket; the second waits on the new
  // account's key, then finds it taken, and its next try finds it.
  const c = H.conf(dir);
  const { spawn } = require('node:child_process');
  const hold = spawn('mariadb', [`--socket=${c.db_socket}`, `--user=${c.db_user}`, `--password=${c.db_password}`,
    c.db_name, '-e', `BEGIN; SELECT id FROM workspaces WHERE id = ${ws.id} FOR UPDATE; DO SLEEP(2); COMMIT;`]);
  const held = new Promise((resolve) => hold.on('close', resolve));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const email = H.uniqueEmail('twice');
  const two = await Promise.all(['First', 'Second'].map((subject) =>
    gateAsync(message({ from: email, to: ws.inbound, subject }).raw)));
  await held;
  assert.deepEqual(two.map((r) => `${r.code} ${r.outcome}`), ['0 ticket', '0 ticket'], two.map((r) => r.line).join(''));
  assert.equal(count(`SELECT COUNT(*) FROM users WHERE email = ${H.q(email)}`), 1);
  assert.equal(count(`SELECT COUNT(*) FROM tickets t JOIN users u ON u.id = t.requester_id
    WHERE u.email = ${H.q(email)}`), 2);
});

test('an unknown sender with the portal on: an account without a password, a ticket, a mail saying how to see it', async () => {
  const ws = await workspace({ portal: true });
  const email = H.uniqueEmail('stranger');
  const r = deliver(message({ from: `Sam Stranger <${email}>`, to: ws.inbound, subject: 'Hello there' }));
  assert.equal(r.outcome, 'ticket', r.line);
  const [u] = H.sql(`SELECT id, name, password_hash IS NULL, email_confirmed_at IS NULL FROM users
    WHERE email = ${H.q(email)}`);
  assert.deepEqual(u.slice(1), ['Sam Stranger', '1', '1']);
  assert.equal(one(`SELECT role FROM memberships WHERE workspace_id = ${ws.id} AND user_id = ${u[0]}`), 'requester');
  assert.equal(ticketRow(ws, r.ticket).requester, Number(u[0]));
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.signup' AND object_id = ${u[0]}
    AND user_agent = 'mail'`), 1);

  // Told, by mail, how to claim the account; then the reset flow.
  const told = await H.waitForMail(email, { subject: new RegExp(`\\[#${r.ticket}\\] Hello there`) });
  assert.match(told.text, /\/password\/forgot/);
  const c = new H.Client();
  assert.equal((await c.get(`/w/${ws.slug}/tickets/${r.ticket}`)).status, 303, 'signed out: sign in first');
  await c.submit('/password/forgot', '/password/forgot', { email });
  const reset = await H.waitForMail(email, { subject: /Reset your password/ });
  const link = H.linkIn(reset, '/password/reset/');
  await c.get(link.pathname);
  assert.equal((await c.post(link.pathname, { password: 'a brand new passphrase' })).status, 303);
  const page = await c.get(`/w/${ws.slug}/tickets/${r.ticket}`);
  assert.equal(page.status, 200, 'the new requester sees their ticket');
  assert.match(page.body, /Hello there/);
  assert.equal(one(`SELECT email_confirmed_at IS NOT NULL FROM users WHERE id = ${u[0]}`), '1');

  // A known account that is no member joins as a requester the same
  // way, and is sent no "received" mail: it has an account to sign in to.
  const out = ws.users.outsider;
  const before = outboxQ(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${H.q(out.email)}`);
  const o = deliver(message({ from: out.email, to: ws.inbound, subject: 'Me too' }));
  assert.equal(o.outcome, 'ticket', o.line);
  assert.equal(ticketRow(ws, o.ticket).requester, out.id);
  assert.equal(one(`SELECT role FROM memberships WHERE workspace_id = ${ws.id} AND user_id = ${out.id}`), 'requester');
  assert.equal(outboxQ(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${H.q(out.email)}`), before);
  assert.equal((await ws.outsider.get(`/w/${ws.slug}/tickets/${o.ticket}`)).status, 200);
});

test('an unknown sender, or a known one who is no member, with the portal off: quarantined, nobody made', async () => {
  const ws = await workspace();
  const email = H.uniqueEmail('stranger');
  const r = deliver(message({ from: email, to: ws.inbound }));
  assert.equal(r.outcome, 'quarantine');
  assert.equal(r.reason, 'sender_not_allowed');
  assert.equal(count(`SELECT COUNT(*) FROM users WHERE email = ${H.q(email)}`), 0);
  const out = deliver(message({ from: ws.users.outsider.email, to: ws.inbound }));
  assert.equal(out.reason, 'sender_not_allowed');
  assert.equal(one(`SELECT CONCAT(workspace_id, ' ', sender_id, ' ', reason_code) FROM mail_quarantine
    WHERE id = ${out.quarantine}`), `${ws.id} ${ws.users.outsider.id} sender_not_allowed`);
  assert.equal(one(`SELECT reason FROM mail_quarantine WHERE id = ${out.quarantine}`), 'The sender may not write '
    + 'here: they are no member, and the workspace\'s portal does not let people sign up.');
  assert.equal(ticketCount(ws), 0);
  assert.equal(count(`SELECT COUNT(*) FROM memberships WHERE workspace_id = ${ws.id}
    AND user_id = ${ws.users.outsider.id}`), 0);
  // A member whose access is suspended neither.
  H.sql(`UPDATE memberships SET suspended_at = UTC_TIMESTAMP() WHERE workspace_id = ${ws.id}
    AND user_id = ${ws.users.requester.id}`);
  const sus = deliver(message({ from: ws.users.requester.email, to: ws.inbound }));
  assert.equal(sus.reason, 'sender_not_allowed');
  assert.match(one(`SELECT reason FROM mail_quarantine WHERE id = ${sus.quarantine}`), /suspended/);
  assert.equal(ticketCount(ws), 0);
});

test('mail to no workspace\'s address is quarantined without a workspace, kept whole', async () => {
  const msg = message({ from: H.uniqueEmail('x'), to: 'nobody-here@helpdesk.test', text: 'x'.repeat(700000) });
  const r = deliver(msg);
  assert.equal(r.reason, 'no_workspace');
  const [row] = H.sql(`SELECT workspace_id IS NULL, size, LOWER(HEX(sha256)) FROM mail_quarantine WHERE id = ${r.quarantine}`);
  assert.equal(row[0], '1');
  assert.equal(Number(row[1]), Buffer.byteLength(msg.raw));
  const crypto = require('node:crypto');
  assert.equal(row[2], crypto.createHash('sha256').update(msg.raw).digest('hex'));
  // 512 KiB chunks that add up to the message.
  const chunks = H.sql(`SELECT seq, LENGTH(data), LOWER(HEX(SHA2(data, 256))) FROM mail_quarantine_chunks
    WHERE quarantine_id = ${r.quarantine} ORDER BY seq`);
  assert.deepEqual(chunks.map((c) => Number(c[1])), [524288, Buffer.byteLength(msg.raw) - 524288]);
});

test('a message past mail_max_bytes is kept whole in the quarantine, unread', async () => {
  const ws = await workspace();
  const msg = message({ from: ws.users.requester.email, to: ws.inbound, text: 'y'.repeat(70000) });
  const r = deliver(msg, { rcpt: ws.inbound, env: { HELPDESK_MAIL_MAX_BYTES: '65536' } });
  assert.equal(r.reason, 'too_large');
  assert.equal(r.ws, ws.id, 'the envelope recipient names the workspace');
  assert.equal(one(`SELECT SUM(LENGTH(data)) FROM mail_quarantine_chunks WHERE quarantine_id = ${r.quarantine}`),
    String(Buffer.byteLength(msg.raw)));
  assert.equal(ticketCount(ws), 0);
});

test('a body past 4 MB is kept whole in the quarantine, not cut', async () => {
  const ws = await workspace();
  const msg = message({ from: ws.users.requester.email, to: ws.inbound, text: 'word '.repeat(900000) });
  const r = deliver(msg);
  assert.equal(r.reason, 'body_too_large', r.line);
  assert.equal(one(`SELECT CONCAT(body_text IS NULL, ' ', size) FROM mail_quarantine WHERE id = ${r.quarantine}`),
    `1 ${Buffer.byteLength(msg.raw)}`);
  assert.equal(ticketCount(ws), 0);
});

// ---- replies -----------------------------------------------------------------

async function webReply(client, ws, num, body) {
  await client.get(`/w/${ws.slug}/tickets/${num}`);
  const res = await client.postMultipart(`/w/${ws.slug}/tickets/${num}/comments`, { body, internal: '0' });
  assert.equal(res.status, 303, `reply saved (got ${res.status})`);
}

test('a reply to a notification lands on its ticket as the requester\'s reply', async () => {
  const ws = await workspace();
  const t = mailTicket(ws);
  await webReply(ws.agent, ws, t.num, 'Have you tried turning it off?');
  const n = notification(ws.users.requester.email, t.id);
  fanout();
  const before = Number(one('SELECT COALESCE(MAX(id), 0) FROM outbox'));
  const r = deliver(message({
    from: ws.users.requester.email, to: ws.inbound, subject: `Re: [#${t.num}] Printer on fire`,
    text: 'Yes, twice.\n', headers: { 'In-Reply-To': n.msgid, References: n.msgid },
  }));
  assert.equal(r.outcome, 'reply', r.line);
  assert.equal(r.ticket, t.num);
  const cs = commentsOf(t.id);
  assert.deepEqual(cs[cs.length - 1], { id: r.comment, author: ws.users.requester.id, internal: false, format: 1 });
  // Told as a reply on the web is (notify.h): the requester is the
  // actor, so nobody here; never the sender themselves.
  assert.equal(outboxQ(`SELECT COUNT(*) FROM outbox WHERE ticket_id = ${t.id} AND id > ${before}
    AND to_addr = ${H.q(ws.users.requester.email)}`), 0);
  assert.equal(ticketCount(ws), 1);
});

test('a new sender who wrote in is answered by mail before claiming the account, and their answer lands on the ticket', async () => {
  const ws = await workspace({ portal: true });
  const email = H.uniqueEmail('writer');
  const r = deliver(message({ from: `Wanda Writer <${email}>`, to: ws.inbound, subject: 'Cannot log in' }));
  assert.equal(r.outcome, 'ticket', r.line);
  const t = { num: r.ticket, id: ticketRow(ws, r.ticket).id };
  assert.equal(one(`SELECT password_hash IS NULL AND email_confirmed_at IS NULL FROM users
    WHERE email = ${H.q(email)}`), '1', 'unclaimed: no password, address unconfirmed');
  await webReply(ws.agent, ws, t.num, 'Which browser do you use?');
  assert.equal(outboxQ(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${H.q(email)} AND ticket_id = ${t.id}
    AND kind = 'ticket.reply'`), 1, 'the agent\'s reply is mailed to the new sender');
  const n = notification(email, t.id);
  const answer = deliver(message({
    from: email, to: ws.inbound, subject: `Re: [#${t.num}] Cannot log in`,
    text: 'Firefox.\n', headers: { 'In-Reply-To': n.msgid, References: n.msgid },
  }));
  assert.equal(answer.outcome, 'reply', answer.line);
  assert.equal(answer.ticket, t.num);
  assert.equal(ticketCount(ws), 1);
});

test('a reply through the reply address (no references) lands on its ticket', async () => {
  const ws = await workspace();
  const t = mailTicket(ws);
  await webReply(ws.agent, ws, t.num, 'Which printer?');
  const n = notification(ws.users.requester.email, t.id);
  assert.match(n.replyTo, /^reply\+t\d+-\d+-[0-9a-f]+@helpdesk\.test$/);
  const r = deliver(message({ from: ws.users.requester.email, to: n.replyTo, subject: 'the one on floor 3' }),
    { rcpt: n.replyTo });
  assert.equal(r.outcome, 'reply', r.line);
  assert.equal(r.ticket, t.num);
  // A token changed by one digit is no reference: the message has no
  // workspace then.
  const bad = n.replyTo.replace(/-([0-9a-f])/g, (m, d) => `-${d === '0' ? '1' : '0'}`);
  const f = deliver(message({ from: ws.users.requester.email, to: bad }), { rcpt: bad });
  assert.equal(f.reason, 'no_workspace');
});

test('an agent\'s mail posts as them only when it answers mail we sent to them', async () => {
  const ws = await workspace();
  const t = mailTicket(ws);
  // The new-ticket notification went to the agent.
  const toAgent = notification(ws.users.agent.email, t.id);
  const r = deliver(message({
    from: ws.users.agent.email, to: ws.inbound, subject: 'Re: it', text: 'On my way.\n',
    headers: { 'In-Reply-To': toAgent.msgid },
  }));
  assert.equal(r.outcome, 'reply', r.line);
  const cs = commentsOf(t.id);
  assert.equal(cs[cs.length - 1].author, ws.users.agent.id);

  // A forged From of the agent with a reference sent to the requester.
  await webReply(ws.agent, ws, t.num, 'Anything else?');
  const toRequester = notification(ws.users.requester.email, t.id);
  const n = commentsOf(t.id).length;
  const forged = deliver(message({
    from: ws.users.agent.email, to: ws.inbound, text: 'Refund approved!\n',
    headers: { 'In-Reply-To': toRequester.msgid, References: toRequester.msgid },
  }));
  assert.equal(forged.outcome, 'quarantine');
  assert.equal(forged.reason, 'unverified_agent');
  assert.equal(commentsOf(t.id).length, n, 'nothing posted as the agent');
  // Nor does an agent's mail without a reference open a ticket as them.
  const plain = deliver(message({ from: ws.users.admin.email, to: ws.inbound }));
  assert.equal(plain.reason, 'unverified_agent');
  // Once the outbox row is gone (retention), the agent's reply is kept
  // aside, never posted as them.
  H.sql(`DELETE FROM outbox WHERE message_id = ${H.q(toAgent.msgid)}`);
  const late = deliver(message({
    from: ws.users.agent.email, to: ws.inbound, headers: { 'In-Reply-To': toAgent.msgid },
  }));
  assert.equal(late.reason, 'unverified_agent');
});

test('a forged reference, or another workspace\'s valid one, never reaches that ticket: a new ticket here', async () => {
  const a = await workspace();
  const b = await workspace();
  const ta = mailTicket(a);
  const tb = mailTicket(b);
  const nb = notification(b.users.agent.email, tb.id);
  const na = notification(a.users.agent.email, ta.id);
  // A guessed signature on a's own ticket.
  const guessed = na.msgid.replace(/\.([0-9a-f]{32})@/, (m, s) => `.${s.slice(0, 31)}${s[31] === '0' ? '1' : '0'}@`);
  const g = deliver(message({ from: a.users.requester.email, to: a.inbound, headers: { 'In-Reply-To': guessed } }));
  assert.equal(g.outcome, 'ticket', g.line);
  assert.notEqual(g.ticket, ta.num);
  // b's valid reference, sent to a's address by a's requester.
  const cross = deliver(message({
    from: a.users.requester.email, to: a.inbound, headers: { 'In-Reply-To': nb.msgid, References: nb.msgid },
  }));
  assert.equal(cross.outcome, 'ticket', cross.line);
  assert.equal(cross.ws, a.id);
  assert.equal(commentsOf(tb.id).length, 0, 'b\'s ticket is untouched');
  assert.equal(ticketCount(b), 1);
  // A valid reference to a's ticket from a member of a who is not on
  // that ticket (b's requester, made a requester of a too): their own
  // new ticket.
  H.sql(`INSERT INTO memberships (workspace_id, user_id, role, created_at)
    VALUES (${a.id}, ${b.users.requester.id}, 'requester', UTC_TIMESTAMP())`);
  const other = deliver(message({
    from: b.users.requester.email, to: a.inbound, headers: { 'In-Reply-To': na.msgid },
  }));
  assert.equal(other.outcome, 'ticket', other.line);
  assert.equal(ticketRow(a, other.ticket).requester, b.users.requester.id);
  assert.equal(commentsOf(ta.id).length, 0, 'a\'s ticket is untouched');
});

// ---- automatic mail ----------------------------------------------------------

test('auto-replies, bounces, list mail and our own mail: quarantined, no ticket, no reply, nobody notified', async () => {
  const ws = await workspace({ portal: true });
  const t = mailTicket(ws);
  await webReply(ws.agent, ws, t.num, 'Any news?');
  const n = notification(ws.users.requester.email, t.id);
  const ref = { 'In-Reply-To': n.msgid, References: n.msgid };
  const before = outboxCount();
  const cases = [
    ['automatic', message({ from: ws.users.requester.email, to: ws.inbound, subject: 'Out of office', headers: { ...ref, 'Auto-Submitted': 'auto-replied' } })],
    ['automatic', message({ from: ws.users.requester.email, to: ws.inbound, headers: { ...ref, Precedence: 'bulk' } })],
    ['automatic', message({ from: ws.users.requester.email, to: ws.inbound, headers: { 'List-Id': '<list.example.org>' } })],
    ['automatic', message({
      from: 'MAILER-DAEMON@mx.example.org', to: ws.inbound, subject: 'Undelivered Mail Returned to Sender',
      headers: { 'Return-Path': '<>', ...ref },
    })],
    ['loop', message({ from: ws.users.requester.email, to: ws.inbound, headers: { 'X-Loop': 'helpdesk@helpdesk.test' } })],
    ['loop', message({ from: 'Helpdesk <helpdesk@helpdesk.test>', to: ws.inbound })],
    ['loop', message({ from: ws.inbound.toUpperCase(), to: ws.inbound })],
  ];
  for (const [reason, msg] of cases) {
    const r = deliver(msg);
    assert.equal(r.outcome, 'quarantine', r.line);
    assert.equal(r.reason, reason, r.line);
  }
  // Our own Message-ID arriving as a new message (a loop through a
  // forwarder).
  const ours = message({ from: H.uniqueEmail('fwd'), to: ws.inbound, headers: { 'Message-ID': n.msgid } });
  assert.equal(deliver(ours).reason, 'loop');
  assert.equal(outboxCount(), before, 'no notification from automatic mail');
  assert.equal(ticketCount(ws), 1, 'no new ticket');
  assert.equal(commentsOf(t.id).length, 1, 'no reply');
});

// ---- what a mail shows -----------------------------------------------------------

test('hostile HTML mail is shown sanitised: no script, no handlers, no javascript: links', async () => {
  const ws = await workspace();
  const html = '<html><head><style>body{display:none}</style><script>alert(1)</script></head><body>'
    + '<p onclick="alert(2)">Hello <b>there</b></p><img src="https://evil.example/t.gif" onerror="alert(3)">'
    + '<a href="javascript:alert(4)">click</a><iframe src="https://evil.example"></iframe>'
    + '<form action="https://evil.example"><input name="pw"></form><svg onload="alert(5)"></svg></body></html>';
  const r = deliver(message({
    from: ws.users.requester.email, to: ws.inbound, subject: 'HTML only',
    headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html,
  }));
  assert.equal(r.outcome, 'ticket', r.line);
  assert.equal(ticketRow(ws, r.ticket).format, 2, 'HTML kept, sanitised');
  const page = await ws.agent.get(`/w/${ws.slug}/tickets/${r.ticket}`);
  assert.equal(page.status, 200);
  const main = page.body.match(/<article class="msg" id="opening">[\s\S]*?<\/article>/)[0];
  assert.match(main, /Hello <b>there<\/b>/);
  for (const bad of [/<script/i, /alert\(/, /onclick|onerror|onload/i, /javascript:/i, /<iframe/i, /<form/i,
    /evil\.example/, /<style/i]) {
    assert.doesNotMatch(main, bad);
  }
});

test('plain text with a <script> and a Markdown link trick is shown inert and escaped', async () => {
  const ws = await workspace();
  const text = 'Hi <script>alert(1)</script> **not bold**\n[click me](javascript:alert(2)) and ![x](https://evil.example/x.png)\n'
    + '<img src=x onerror=alert(3)> see https://example.org/docs?a=1&b=2\n';
  const r = deliver(message({ from: ws.users.requester.email, to: ws.inbound, text }));
  const page = await ws.agent.get(`/w/${ws.slug}/tickets/${r.ticket}`);
  const main = page.body.match(/<article class="msg" id="opening">[\s\S]*?<\/article>/)[0];
  assert.match(main, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(main, /\[click me\]\(javascript:alert\(2\)\)/, 'the Markdown is shown as typed');
  assert.doesNotMatch(main, /<script|<img|href="javascript/i);
  assert.match(main, /href="https:\/\/example\.org\/docs\?a=1&amp;b=2"/, 'a bare address is a link');
  assert.match(main, /\*\*not bold\*\*/);
  // Shown the same where the stored HTML was cleared (erasure and
  // retention do): rendered again as mail text, never as Markdown.
  H.sql(`UPDATE tickets SET body_html = NULL WHERE workspace_id = ${ws.id} AND number = ${r.ticket}`);
  const again = (await ws.agent.get(`/w/${ws.slug}/tickets/${r.ticket}`)).body
    .match(/<article class="msg" id="opening">[\s\S]*?<\/article>/)[0];
  assert.match(again, /\*\*not bold\*\*/);
  assert.doesNotMatch(again, /<strong>not bold|<script|<img|href="javascript/i);
  assert.match(again, /\[click me\]\(javascript:alert\(2\)\)/);
});

test('attachments land on the ticket, byte for byte', async () => {
  const ws = await workspace();
  const bytes = Buffer.alloc(300000);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7919) % 251;
  const b64 = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  const body = [
    '--B1', 'Content-Type: text/plain; charset=utf-8', '', 'See the photo.', '',
    '--B1', 'Content-Type: application/octet-stream; name="..\\\\secret/../dump.bin"',
    'Content-Disposition: attachment; filename="..\\\\secret/../dump.bin"', 'Content-Transfer-Encoding: base64', '',
    b64, '--B1--', '',
  ].join('\r\n');
  const r = deliver(message({
    from: ws.users.requester.email, to: ws.inbound, subject: 'With a file',
    headers: { 'Content-Type': 'multipart/mixed; boundary="B1"' }, body,
  }));
  assert.equal(r.outcome, 'ticket', r.line);
  const t = ticketRow(ws, r.ticket);
  const [[id, name]] = H.sql(`SELECT id, filename FROM attachments WHERE ticket_id = ${t.id}`);
  assert.doesNotMatch(name, /[/\\]/, `a normalised name: ${name}`);
  const got = await ws.agent.get(`/w/${ws.slug}/attachments/${id}`);
  assert.equal(got.status, 200);
  assert.ok(Buffer.compare(got.raw, bytes) === 0, 'the same bytes');
});

test('a file past max_file quarantines the whole message, never drops the file', async () => {
  const ws = await workspace();
  const body = [
    '--B2', 'Content-Type: text/plain', '', 'Big one.', '',
    '--B2', 'Content-Type: application/pdf', 'Content-Disposition: attachment; filename="big.pdf"',
    'Content-Transfer-Encoding: base64', '', Buffer.alloc(3000, 1).toString('base64'), '--B2--', '',
  ].join('\r\n');
  const r = deliver(message({
    from: ws.users.requester.email, to: ws.inbound, headers: { 'Content-Type': 'multipart/mixed; boundary="B2"' }, body,
  }), { env: { HELPDESK_MAX_FILE: '2000' } });
  assert.equal(r.reason, 'file_too_large', r.line);
  assert.match(one(`SELECT reason FROM mail_quarantine WHERE id = ${r.quarantine}`), /big\.pdf/);
  assert.equal(ticketCount(ws), 0);
});

test('a pipe alias written wrong, or an empty message, never bounces: 75 or stored', () => {
  assert.equal(gate('x', { args: ['--bogus'] }).code, 75);
  const noconf = gate('x', { env: { HELPDESK_CONFIG: path.join(dir, 'no-such.conf') } });
  assert.equal(noconf.code, 75, noconf.line);
  const r = gate('', { rcpt: 'nobody@helpdesk.test' });
  assert.equal(r.code, 0, r.line);
  assert.equal(r.outcome, 'quarantine');
});

test('retention keeps a mail-made account while its ticket lives', async () => {
  const ws = await workspace({ portal: true });
  const email = H.uniqueEmail('kept');
  const r = deliver(message({ from: email, to: ws.inbound }));
  assert.equal(r.outcome, 'ticket');
  const uid = one(`SELECT id FROM users WHERE email = ${H.q(email)}`);
  H.sql(`UPDATE users SET created_at = created_at - INTERVAL 400 DAY WHERE id = ${uid}`);
  const run = spawnSync(path.join(BIN, 'retention'), [], {
    env: { ...process.env, HELPDESK_CONFIG: path.join(dir, 'helpdesk.conf'), HELPDESK_RETENTION_UNCONFIRMED_DAYS: '30' },
    encoding: 'utf8', timeout: 120000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(one(`SELECT CONCAT(email, ' ', deleted_at IS NULL) FROM users WHERE id = ${uid}`), `${email} 1`);
});

test('a mail\'s long links, words, wide tables and preformatted text fit the ticket page at 390 and 1280 px', async () => {
  const { launch, shots, contextAs } = require('../lib/browser');
  const ws = await workspace();
  const text = `Log: https://example.org/${'long/path/'.repeat(20)}end\n${'A'.repeat(120)}\n\nOn Monday, Bob wrote:\n> turn it off?\n`;
  const t = deliver(message({ from: ws.users.requester.email, to: ws.inbound, text }));
  const html = `<p>Hi</p><table><tr><td>${'wide cell '.repeat(40)}</td><td>second</td></tr></table><pre>${'x'.repeat(300)}</pre>`;
  deliver(message({
    from: ws.users.requester.email, to: ws.inbound, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html,
  }));
  const { browser, close } = await launch();
  try {
    for (const [num, name] of [[t.ticket, 'mail-text'], [t.ticket + 1, 'mail-html']]) {
      const ctx = await contextAs(browser, stack.base, ws.agent);
      const page = await ctx.newPage();
      assert.equal((await page.goto(`${stack.base}/w/${ws.slug}/tickets/${num}`)).status(), 200);
      await shots(page, `mailgate-${name}`);
      await ctx.close();
    }
  } finally {
    await close();
  }
});

// ---- the corpus of tests/mail/corpus (the mail-parse part's) -------------------

// What becomes of each corpus message sent to its workspace's address,
// where it is not a ticket: by its .expect (refused, auto, x-loop), or
// named here.
const CORPUS_NOT_TICKET = {};

test('every corpus message is stored (exit 0): machines\' mail quarantined and silent, the rest tickets whose pages show', async () => {
  const fs = require('node:fs');
  const ws = await workspace({ portal: true });
  H.sql(`UPDATE workspaces SET inbound_address = 'help@acme.test' WHERE id = ${ws.id}`);
  const cdir = path.join(__dirname, 'corpus');
  const names = fs.readdirSync(cdir).filter((f) => f.endsWith('.eml')).map((f) => f.slice(0, -4)).sort();
  assert.ok(names.length >= 30, `a corpus of ${names.length}`);
  const want = {};
  const got = {};
  const made = {};
  for (const name of names) {
    const expect = fs.readFileSync(path.join(cdir, `${name}.expect`), 'utf8');
    want[name] = CORPUS_NOT_TICKET[name] || 'ticket';
    if (/^refused: yes/m.test(expect)) want[name] = 'unparseable';
    else if (/^auto: (?!none)/m.test(expect)) want[name] = 'automatic';
    else if (/^x-loop: helpdesk@acme\.test/m.test(expect)) want[name] = 'loop';
    const before = outboxCount();
    const r = deliver(fs.readFileSync(path.join(cdir, `${name}.eml`)),
      { rcpt: 'help@acme.test', env: { HELPDESK_MAIL_FROM: 'helpdesk@acme.test' } });
    got[name] = r.reason || r.outcome;
    if (r.outcome === 'ticket') made[name] = r.ticket;
    else assert.equal(outboxCount(), before, `${name}: nobody told`);
  }
  assert.deepEqual(got, want);
  for (const [name, num] of Object.entries(made)) {
    const page = await ws.admin.get(`/w/${ws.slug}/tickets/${num}`);
    assert.equal(page.status, 200, name);
    const opening = page.body.match(/<article class="msg" id="opening">[\s\S]*?<\/article>/)[0];
    // Whatever the text says, no tag runs anything.
    for (const tag of opening.match(/<[a-z][^>]*>/gi)) {
      assert.doesNotMatch(tag, /^<(script|style|iframe|object|embed|form)|\son[a-z]+\s*=|(javascript|data):/i, `${name}: ${tag}`);
    }
  }
});

test('a mail with more files than a ticket takes is kept whole in the quarantine', async () => {
  const ws = await workspace();
  const parts = ['--B3', 'Content-Type: text/plain', '', 'Many.', ''];
  for (let i = 0; i < 70; i += 1) {
    parts.push('--B3', 'Content-Type: text/plain', `Content-Disposition: attachment; filename="f${i}.txt"`, '', `file ${i}`, '');
  }
  parts.push('--B3--', '');
  const r = deliver(message({
    from: ws.users.requester.email, to: ws.inbound, headers: { 'Content-Type': 'multipart/mixed; boundary="B3"' },
    body: parts.join('\r\n'),
  }));
  assert.equal(r.reason, 'too_many_files', r.line);
  assert.equal(ticketCount(ws), 0);
});

// ---- the database away (last: the web workers lose their links) ---------------

test('the database stopped: 75 and nothing stored; back: 0 and one ticket; again: a duplicate', async () => {
  const ws = await workspace();
  const msg = message({ from: ws.users.requester.email, to: ws.inbound, subject: 'During the outage' });
  const STACK = path.join(REPO, 'tools', 'stack');
  const stop = spawnSync(STACK, ['db-stop', dir], { encoding: 'utf8', timeout: 120000 });
  assert.equal(stop.status, 0, stop.stderr);
  let down;
  try {
    down = gate(msg.raw);
  } finally {
    const start = spawnSync(STACK, ['db-start', dir], { encoding: 'utf8', timeout: 120000 });
    assert.equal(start.status, 0, start.stderr);
  }
  assert.equal(down.code, 75, down.line);
  assert.match(down.line, /tempfail/);
  const up = deliver(msg);
  assert.equal(up.outcome, 'ticket');
  const again = deliver(msg);
  assert.equal(again.outcome, 'duplicate');
  assert.equal(count(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${ws.id} AND subject = 'During the outage'`), 1);
});
