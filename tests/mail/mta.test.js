// Mail in through a real MTA: Debian's Postfix on loopback (tools/mta)
// pipes mail for in.test into the real helpdesk-mailgate, as INSTALL's
// "Receiving mail" sets it up: the pipe runs as nobody, reading only
// mailgate.conf, with a database account that may only read and write
// rows. A new sender's mail becomes a ticket they can see once they
// claim their account; a reply to a real notification (the stack's
// mailer, its catcher) lands on its ticket; with MariaDB stopped Postfix
// keeps the mail (the mailgate's 75) and delivers it once, when the
// database is back.
//
// Its own stack (tests/lib/stack.js, with the stack's mailer and mail
// catcher), and Postfix, which runs as root: skipped otherwise.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { startStack, stackDir } = require('../lib/stack');
const { until } = require('../lib/mail');

const REPO = path.resolve(__dirname, '..', '..');
const MTA = path.join(REPO, 'tools', 'mta');
const STACK = path.join(REPO, 'tools', 'stack');
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));
const skip = (process.getuid() !== 0 && 'Postfix runs as root')
  || (!fs.existsSync('/usr/lib/postfix/sbin/master') && 'needs Postfix (tools/deps)');

const dir = stackDir();
let stack;
let port;
let H; // the helpers, loaded once they point at the private stack
let W; // a workspace with members, its portal on, inbound address below
const INBOUND = 'help@in.test';

test.before(async () => {
  if (skip) return;
  // Mail carries a reply address at the inbound domain, as INSTALL
  // suggests (support+{token}@); Postfix hands it to the same alias.
  stack = await startStack(dir, { env: { HELPDESK_EXTRA_CONF: 'mail_reply_to = help+{token}@in.test' } });
  process.env.BASE_URL = stack.base;
  process.env.HD_STACK_DIR = dir;
  H = {
    ...require('../lib/client'),
    ...require('../lib/db'),
    ...require('../lib/fixtures'),
    ...require('../lib/inbox'),
  };
  port = Number(execFileSync('/usr/bin/python3', ['-c',
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])']).toString());
  execFileSync(MTA, ['start', dir, String(port)], {
    env: { ...process.env, STACK_BIN: BIN, MTA_DOMAINS: 'in.test' }, stdio: 'inherit',
  });
  W = await H.workspaceWithMembers({ portal: true });
  H.sql(`UPDATE workspaces SET inbound_address = ${H.q(INBOUND)} WHERE slug = ${H.q(W.slug)}`);
});

test.after(async () => {
  if (skip) return;
  execFileSync(MTA, ['stop', dir]);
  const crashes = stack ? await stack.stop() : [];
  assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
});

// Submits raw (a string, CRLF lines) over SMTP to Postfix, as any MTA on
// the Internet would.
async function submit(from, rcpt, raw) {
  const py = 'import smtplib, sys\n'
    + 's = smtplib.SMTP("127.0.0.1", int(sys.argv[1]))\n'
    + 's.sendmail(sys.argv[2], [sys.argv[3]], sys.stdin.buffer.read())\n'
    + 's.quit()\n';
  execFileSync('/usr/bin/python3', ['-c', py, String(port), from, rcpt], { input: raw });
}

let seq = 0;
function message({ from, subject, body = 'Hello.', headers = {} }) {
  seq += 1;
  const h = {
    From: from, To: INBOUND, Subject: subject, Date: new Date().toUTCString(),
    'Message-ID': `<mta-${process.pid}-${Date.now()}-${seq}@example.org>`, ...headers,
  };
  return `${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}\r\n`;
}

const maillog = () => fs.readFileSync(path.join(dir, 'postfix', 'maillog'), 'utf8');
const queued = () => execFileSync(MTA, ['queue', dir]).toString().split('\n').filter(Boolean);
const ticketsWith = (subject) => H.sql(`SELECT t.number, t.requester_id, t.body_format FROM tickets t
  JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${H.q(W.slug)} AND t.subject = ${H.q(subject)}`);

test('the pipe\'s user reads mailgate.conf and not helpdesk.conf; its database account has rows only', { skip }, () => {
  const gate = fs.statSync(path.join(dir, 'mailgate.conf'));
  assert.equal(gate.mode & 0o777, 0o640);
  const conf = fs.readFileSync(path.join(dir, 'mailgate.conf'), 'utf8');
  const main = fs.readFileSync(path.join(dir, 'helpdesk.conf'), 'utf8');
  const secret = (t) => t.match(/^secret = (\S+)$/m)[1];
  assert.notEqual(secret(conf), secret(main), 'not the web\'s session and CSRF key');
  assert.match(conf, /^db_user = helpdesk_mail$/m);
  assert.equal(fs.statSync(path.join(dir, 'helpdesk.conf')).mode & 0o077, 0, 'helpdesk.conf stays private');
  // As the pipe's user (nobody, as local(8) runs the alias's command).
  const as = (file) => spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--init-groups', 'cat', file]).status;
  assert.equal(as(path.join(dir, 'mailgate.conf')), 0);
  assert.notEqual(as(path.join(dir, 'helpdesk.conf')), 0);
  // What the account itself is granted, asked with mailgate.conf's login.
  const pw = conf.match(/^db_password = (\S+)$/m)[1];
  const grants = execFileSync('mariadb', [`--socket=${path.join(dir, 'run', 'mysql.sock')}`, '--user=helpdesk_mail',
    `--password=${pw}`, '--batch', '--skip-column-names', '-e', 'SHOW GRANTS']).toString();
  assert.match(grants, /GRANT SELECT, INSERT, UPDATE, DELETE ON `helpdesk`\.\*/);
  assert.doesNotMatch(grants, /ALL PRIVILEGES|CREATE|DROP|ALTER/);
});

test('mail from a new sender through Postfix becomes a ticket they see once they claim their account', { skip }, async () => {
  const email = H.uniqueEmail('sender');
  const subject = `Printer on fire ${Date.now()}`;
  await submit(email, INBOUND, message({ from: `Sam Sender <${email}>`, subject, body: 'It is *on fire*.\r\n<script>x</script>' }));
  await until(() => ticketsWith(subject).length === 1, 20000, 'the ticket');
  const [[num, requester, format]] = ticketsWith(subject);
  assert.equal(format, '1', 'stored as mail text');
  assert.equal(H.sql(`SELECT email FROM users WHERE id = ${requester}`)[0][0], email);
  assert.match(maillog(), /relay=local, .*dsn=2\.0\.0, status=sent \(delivered to command: /);
  assert.deepEqual(queued(), []);

  // They claim the account with a reset link, sign in, and see it.
  const c = new H.Client();
  await c.submit('/password/forgot', '/password/forgot', { email });
  const mail = await H.waitForMail(email, { subject: /Reset your password/ });
  const link = H.linkIn(mail, '/password/reset/');
  await c.get(link.pathname);
  assert.equal((await c.post(link.pathname, { password: 'a brand new passphrase' })).status, 303);
  const page = await c.get(`/w/${W.slug}/tickets/${num}`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(subject));
  assert.ok(page.body.includes('It is *on fire*.'), 'the text as sent, not Markdown');
  assert.ok(!page.body.includes('<script>x'), 'escaped');
});

// The requester's ticket, an agent's public reply, and the notification
// the requester got for it (from the stack's mail catcher).
async function notified(subject) {
  await W.requester.get(`/w/${W.slug}/tickets/new`);
  const made = await W.requester.post(`/w/${W.slug}/tickets/new`, { subject, body: 'Every ten minutes.' });
  assert.equal(made.status, 303);
  const num = Number(made.headers.location.match(/\/tickets\/(\d+)$/)[1]);
  await W.agent.get(`/w/${W.slug}/tickets/${num}`);
  assert.equal((await W.agent.post(`/w/${W.slug}/tickets/${num}/comments`, { body: 'Which client version?' })).status, 303);
  const note = await H.waitForMail(W.users.requester.email, { subject: new RegExp(`Re: \\[#${num}\\]`) });
  return { num, note };
}

const comments = (num) => H.sql(`SELECT c.author_id, c.body FROM comments c JOIN tickets t ON t.id = c.ticket_id
  JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${H.q(W.slug)} AND t.number = ${num} ORDER BY c.id`);

test('a reply to a real notification, through Postfix, lands on its ticket as its requester', { skip }, async () => {
  const { num, note } = await notified(`VPN drops ${Date.now()}`);
  const mid = note.headers['Message-ID'];
  assert.match(mid, /^<hd\./);
  const replyTo = note.headers['Reply-To'];
  assert.match(replyTo, /^help\+t\d+-\d+-[0-9a-f]+@in\.test$/);
  // Answered to its Reply-To, threaded: the envelope recipient is the
  // reply address.
  await submit(W.users.requester.email, replyTo, message({
    from: `${W.users.requester.name} <${W.users.requester.email}>`,
    subject: `Re: ${note.headers.Subject}`,
    body: 'Version 4.2, on Linux.\r\n\r\nOn Monday, the helpdesk wrote:\r\n> Which client version?',
    headers: { To: replyTo, 'In-Reply-To': mid, References: `${note.headers.References || ''} ${mid}`.trim() },
  }));
  await until(() => comments(num).length === 2, 20000, 'the reply');
  const [author, body] = comments(num)[1];
  assert.equal(Number(author), W.users.requester.id);
  assert.match(body, /Version 4\.2, on Linux\./);
  assert.equal(ticketsWith(`Re: ${note.headers.Subject}`).length, 0, 'no new ticket');
});

test('a reply that lost its threading headers still lands by its reply address; sent to the inbound address it is a new ticket', { skip }, async () => {
  const { num, note } = await notified(`Printer jams ${Date.now()}`);
  const replyTo = note.headers['Reply-To'];
  await submit(W.users.requester.email, replyTo, message({
    from: W.users.requester.email, subject: 'Still jammed', body: 'No threading headers here.', headers: { To: replyTo },
  }));
  await until(() => comments(num).length === 2, 20000, 'the reply by address');
  assert.match(comments(num)[1][1], /No threading headers here\./);
  // The same words to the inbound address, without a reference: a new
  // ticket, not a guess.
  const subject = `Unthreaded ${Date.now()}`;
  await submit(W.users.requester.email, INBOUND, message({ from: W.users.requester.email, subject }));
  await until(() => ticketsWith(subject).length === 1, 20000, 'the new ticket');
  assert.equal(comments(num).length, 2);
});

test('MariaDB stopped: Postfix keeps the mail (75, deferred); back up and flushed: stored once, nothing doubled', { skip }, async () => {
  const email = W.users.requester.email;
  const subject = `While the database was down ${Date.now()}`;
  const raw = message({ from: email, subject, body: 'Stored once.' });
  const mid = raw.match(/^Message-ID: (.*)$/m)[1].trim();
  execFileSync(STACK, ['db-stop', dir]);
  try {
    await submit(email, INBOUND, raw);
    // The mailgate retries for a few seconds, then exits 75: local(8)
    // defers with its words, a 4.x.x status, and the queue keeps it.
    await until(() => new RegExp(`${mid.replace(/[.<>]/g, '\\$&')}`).test(maillog())
      && /status=deferred \(temporary failure\. Command output: .*mailgate: tempfail/.test(maillog()), 30000, 'a deferral');
    assert.match(maillog(), /dsn=4\.\d+\.\d+, status=deferred/);
    assert.equal(queued().length, 1, 'the message waits in the queue');
  } finally {
    execFileSync(STACK, ['db-start', dir]);
  }
  assert.equal(ticketsWith(subject).length, 0);
  execFileSync(MTA, ['flush', dir]);
  await until(() => ticketsWith(subject).length === 1 && queued().length === 0, 30000, 'the delivery');
  // The same message sent again changes nothing.
  const deliveries = () => (maillog().match(/delivered to command/g) || []).length;
  const before = deliveries();
  await submit(email, INBOUND, raw);
  await until(() => queued().length === 0 && deliveries() === before + 1, 20000, 'the second delivery');
  assert.equal(ticketsWith(subject).length, 1, 'exactly one ticket');
  const seen = H.sql(`SELECT COUNT(*) FROM mail_seen WHERE outcome = 'ticket' AND ticket_id = (SELECT t.id FROM tickets t
    JOIN workspaces w ON w.id = t.workspace_id WHERE w.slug = ${H.q(W.slug)} AND t.subject = ${H.q(subject)})`);
  assert.equal(seen[0][0], '1');
});
