// Mail in from a hosted mailbox: helpdesk-mailpoll (build/bin/mailpoll)
// against a real Dovecot on loopback (tools/imapd), with the database
// account and config the mailgate has (tools/mta conf; INSTALL,
// "Receiving mail"). Messages are put into the mailbox's Maildir as a
// delivery agent would; the poller stores each and only then moves it to
// imap_done or deletes it. With MariaDB stopped every message stays in
// INBOX, unmarked; polled again, each is stored once.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startStack, stackDir } = require('../lib/stack');
const { run, until } = require('../lib/mail');

const REPO = path.resolve(__dirname, '..', '..');
const MTA = path.join(REPO, 'tools', 'mta');
const IMAPD = path.join(REPO, 'tools', 'imapd');
const STACK = path.join(REPO, 'tools', 'stack');
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));
const skip = !fs.existsSync('/usr/sbin/dovecot') && 'needs Dovecot (tools/deps)';

const USER = 'desk';
const PASSWORD = `pw-${process.pid}-secret`;
const INBOUND = 'desk@in.test';
const dir = stackDir();
let stack;
let port;
let imap;	// Dovecot's directory
let box;	// the mailbox's Maildir
let conf;	// helpdesk-mailpoll's config
let slug;
let uid;	// owner of the Maildir (nobody as root)

test.before(async () => {
  if (skip) return;
  stack = await startStack(dir, { env: { STACK_MAIL: 'off' } });
  execFileSync(MTA, ['conf', dir]);
  port = Number(execFileSync('/usr/bin/python3', ['-c',
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])']).toString());
  imap = path.join(dir, 'imap');
  execFileSync(IMAPD, ['start', imap, String(port), USER, PASSWORD], { stdio: 'inherit' });
  box = path.join(imap, 'mail', USER);
  uid = fs.statSync(box).uid;
  slug = `imap-${process.pid}`;
  sql(`INSERT INTO workspaces (slug, name, portal_signup, inbound_address, created_at, updated_at)
    VALUES (${q(slug)}, 'IMAP', 1, ${q(INBOUND)}, NOW(), NOW())`);
  conf = path.join(dir, 'mailpoll.conf');
  fs.writeFileSync(conf, `${fs.readFileSync(path.join(dir, 'mailgate.conf'), 'utf8')}
imap_url = imap://127.0.0.1:${port}/INBOX
imap_user = ${USER}
imap_password = ${PASSWORD}
imap_recipient = ${INBOUND}
imap_done = Helpdesk/Done
`, { mode: 0o600 });
});

test.after(async () => {
  if (skip) return;
  execFileSync(IMAPD, ['stop', imap]);
  const crashes = stack ? await stack.stop() : [];
  assert.deepEqual(crashes, [], `the private stack (${dir}) logged a crash`);
});

const db = require('../lib/db');

const sql = (query) => db.sql(query, dir);
const { q } = db;

async function poll(env = {}) {
  const r = await run(path.join(BIN, 'mailpoll'), ['--once'], { env: { HELPDESK_CONFIG: conf, ...env } });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error/);
  return r;
}

let seq = 0;
// Delivers a message into INBOX (Maildir new/), as the mailbox's owner.
function deliver({ from = `Pat <pat-${process.pid}@example.org>`, subject, body = 'Hello.', msgid } = {}) {
  seq += 1;
  const id = msgid || `<imap-${process.pid}-${Date.now()}-${seq}@example.org>`;
  const raw = `From: ${from}\r\nTo: ${INBOUND}\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\n`
    + `Message-ID: ${id}\r\n\r\n${body}\r\n`;
  const f = path.join(box, 'new', `${Date.now()}.M${seq}P${process.pid}.test`);
  fs.writeFileSync(f, raw);
  fs.chownSync(f, uid, -1);
  return id;
}

// INBOX's messages, each { file, flags } (Maildir: cur/NAME:2,FLAGS).
function inbox(folder = '') {
  const d = folder ? path.join(box, `.${folder.replace(/\//g, '.')}`) : box;
  const out = [];
  for (const sub of ['new', 'cur']) {
    if (!fs.existsSync(path.join(d, sub))) continue;
    for (const f of fs.readdirSync(path.join(d, sub))) {
      out.push({ file: f, flags: (f.split(':2,')[1] || '') });
    }
  }
  return out;
}

const tickets = (subject) => sql(`SELECT t.number FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
  WHERE w.slug = ${q(slug)} AND t.subject LIKE ${q(`${subject}%`)}`);

test('each message becomes a ticket and is then moved to imap_done; the password is never logged', { skip }, async () => {
  const subject = `From the mailbox ${Date.now()}`;
  for (const n of [1, 2, 3]) deliver({ subject: `${subject} #${n}` });
  const r = await poll();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tickets(subject).length, 3);
  assert.deepEqual(inbox(), [], 'INBOX is empty');
  assert.equal(inbox('Helpdesk/Done').length, 3, 'moved to Helpdesk/Done');
  assert.equal((r.stderr.match(/stored: ticket/g) || []).length, 3);
  assert.ok(!r.stderr.includes(PASSWORD));
  // Polled again: nothing new, nothing doubled.
  const again = await poll();
  assert.equal(again.code, 0);
  assert.equal(tickets(subject).length, 3);
});

test('imap_done = delete: stored, then deleted and expunged', { skip }, async () => {
  const subject = `Deleted after ${Date.now()}`;
  deliver({ subject });
  const done = inbox('Helpdesk/Done').length;
  const r = await poll({ HELPDESK_IMAP_DONE: 'delete' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tickets(subject).length, 1);
  assert.deepEqual(inbox(), []);
  assert.equal(inbox('Helpdesk/Done').length, done);
});

test('MariaDB stopped: every message stays in INBOX, unmarked; back up: each stored once', { skip }, async () => {
  const subject = `While the database was down ${Date.now()}`;
  for (const n of [1, 2]) deliver({ subject: `${subject} #${n}` });
  execFileSync(STACK, ['db-stop', dir]);
  let r;
  try {
    r = await poll();
  } finally {
    execFileSync(STACK, ['db-start', dir]);
  }
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /not stored \(the database is unavailable\): left in the mailbox/);
  const left = inbox();
  assert.equal(left.length, 2, 'both still in INBOX');
  for (const m of left) assert.doesNotMatch(m.flags, /[ST]/, `${m.file}: neither \\Seen nor \\Deleted`);
  assert.equal(tickets(subject).length, 0);

  r = await poll();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tickets(subject).length, 2);
  assert.deepEqual(inbox(), []);
  r = await poll();
  assert.equal(tickets(subject).length, 2, 'nothing doubled');
});

test('the same message twice in the mailbox (a redelivery) is one ticket, and both leave INBOX', { skip }, async () => {
  const subject = `Twice ${Date.now()}`;
  const id = deliver({ subject });
  deliver({ subject, msgid: id });
  const r = await poll();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tickets(subject).length, 1);
  assert.match(r.stderr, /stored: duplicate/);
  assert.deepEqual(inbox(), []);
});

test('a message already read by a person is taken too, and a read one left keeps its \\Seen', { skip }, async () => {
  const subject = `Read by someone ${Date.now()}`;
  deliver({ subject });
  // A person opened it in their mail reader: Maildir's S flag.
  const [f] = fs.readdirSync(path.join(box, 'new'));
  fs.renameSync(path.join(box, 'new', f), path.join(box, 'cur', `${f}:2,S`));
  execFileSync(STACK, ['db-stop', dir]);
  let r;
  try {
    r = await poll();
  } finally {
    execFileSync(STACK, ['db-start', dir]);
  }
  assert.equal(r.code, 75);
  const [m] = inbox();
  assert.match(m.flags, /S/, 'still read');
  r = await poll();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tickets(subject).length, 1);
});

test('as a service it polls every imap_poll_seconds, and SIGTERM stops it cleanly', { skip }, async () => {
  const { spawn } = require('node:child_process');
  const child = spawn(path.join(BIN, 'mailpoll'), [], {
    env: { ...process.env, HELPDESK_CONFIG: conf, HELPDESK_IMAP_POLL_SECONDS: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  const subject = `While it runs ${Date.now()}`;
  try {
    await until(() => /mailpoll: started/.test(log), 10000, 'the start');
    deliver({ subject });
    await until(() => tickets(subject).length === 1, 20000, 'the next poll');
    await until(() => inbox().length === 0, 10000, 'the move');
  } finally {
    child.kill('SIGTERM');
  }
  const t0 = Date.now();
  assert.deepEqual(await exited, { code: 0, sig: null });
  assert.ok(Date.now() - t0 < 3000, 'it stops at once when idle');
  assert.match(log, /mailpoll: stopped/);
  assert.doesNotMatch(log, /AddressSanitizer|LeakSanitizer|runtime error/);
});

test('config: imap:// only to a loopback address; a wrong password fails without a word of it', { skip }, async () => {
  let r = await poll({ HELPDESK_IMAP_URL: 'imap://mail.example.org/INBOX' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /imap:\/\/ \(without TLS\) is allowed only for a server on a loopback address/);
  r = await poll({ HELPDESK_IMAP_DONE: '"; DELETE' });
  assert.equal(r.code, 1);
  deliver({ subject: 'Never taken with a wrong password' });
  r = await poll({ HELPDESK_IMAP_PASSWORD: 'not-the-password' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Login denied/);
  assert.ok(!r.stderr.includes('not-the-password'));
  assert.equal(inbox().length, 1);
});
