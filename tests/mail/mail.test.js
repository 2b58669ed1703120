// Outgoing mail end to end: the real outbox_add (MIME composition and
// the outbox table) on a private stack's MariaDB, the real mailer, and a
// real SMTP server on loopback (aiosmtpd), whose received bytes are
// parsed with Python's email package.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startStack, stackDir } = require('../lib/stack');
const { sql } = require('../lib/db');
const {
  startSmtpd, mailConf, mailer, mailerProcess, enqueue, parse, until, run,
} = require('../lib/mail');

let stack;
let conf;		// outbox_add's config: the stack's
const servers = [];

test.before(async () => {
  stack = await startStack(stackDir(), { env: { STACK_MAIL: 'off' } });
  conf = path.join(stack.dir, 'helpdesk.conf');
});
test.after(async () => {
  for (const s of servers) await s.stop();
  if (stack) assert.deepEqual(await stack.stop(), []);
});
test.beforeEach(() => { sql('DELETE FROM outbox', stack.dir); });

async function smtpd(opts) {
  const s = await startSmtpd(opts);
  servers.push(s);
  return s;
}

// A mailer config that sends to port (plain SMTP on loopback).
function toPort(port, extra = {}) {
  return mailConf(stack.dir, { smtp_url: `smtp://127.0.0.1:${port}`, smtp_tls: 'none', ...extra });
}

function rows(where = '1') {
  return sql(`SELECT id, attempts, sent_at IS NOT NULL, failed_at IS NOT NULL,
    IFNULL(last_error, ''), claimed_by IS NOT NULL, next_attempt_at > NOW(), message_id
    FROM outbox WHERE ${where} ORDER BY id`, stack.dir).map((r) => ({
    id: Number(r[0]), attempts: Number(r[1]), sent: r[2] === '1', failed: r[3] === '1',
    error: r[4], claimed: r[5] === '1', later: r[6] === '1', msgid: r[7],
  }));
}

async function add(m) {
  const r = await enqueue(conf, m);
  assert.equal(r.code, 0, `outbox_add: ${r.stdout}${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => Number(l.replace(/^id /, '')));
}

test('a message arrives whole: headers, MIME alternatives, encoded words, QP lines', async () => {
  const s = await smtpd();
  const subject = 'Grüße aus Köln – your ticket about the “broken printer” on the third floor is answered';
  const text = `Hello Zoë,\n\n${'a long line of text, '.repeat(12)}end\nFrom the desk\n.\ntrailing spaces   \n= sign and 100% done\n`;
  const html = '<p>Hello Zo&euml;, &lt;b&gt; stays text</p>\n';
  const [id] = await add({ to: 'zoe@example.org', name: 'Zoë "Z" O\'Brien', subject, text, html });
  const r = await mailer(toPort(s.port));
  assert.equal(r.code, 0, r.stderr);
  const got = s.messages();
  assert.equal(got.length, 1);
  assert.deepEqual(got[0].meta.rcpt_tos, ['zoe@example.org']);
  assert.equal(got[0].meta.mail_from, 'helpdesk@helpdesk.test');
  const m = await parse(got[0].file);
  assert.deepEqual(m.defects, []);
  assert.equal(m.bare_lf, false);
  assert.ok(m.longest_line <= 78, `a line of ${m.longest_line} bytes`);
  assert.equal(m.headers.Subject, subject);
  assert.match(m.raw_headers.Subject, /^=\?UTF-8\?B\?/);
  assert.equal(m.headers.To, '"Zoë \\"Z\\" O\'Brien" <zoe@example.org>');
  assert.equal(m.headers.From, 'Helpdesk <helpdesk@helpdesk.test>');
  assert.equal(m.headers['Auto-Submitted'], 'auto-generated');
  assert.equal(m.headers['MIME-Version'], '1.0');
  assert.ok(Math.abs(Date.parse(m.headers.Date) - Date.now()) < 120000, m.headers.Date);
  assert.match(m.headers['Message-ID'], /^<hd\.0\.0\.[0-9a-f]{16}\.[0-9a-f]{32}@127\.0\.0\.1>$/);
  assert.equal(m.headers['In-Reply-To'], undefined);
  assert.equal(m.content_type, 'multipart/alternative');
  assert.deepEqual(m.parts.map((p) => [p.type, p.charset, p.cte]), [
    ['text/plain', 'utf-8', 'quoted-printable'], ['text/html', 'utf-8', 'quoted-printable']]);
  // Decoded in canonical form (CRLF), the text is what was given.
  assert.equal(m.parts[0].text.replace(/\r\n/g, '\n'), text);
  assert.equal(m.parts[1].text.replace(/\r\n/g, '\n'), html);
  // Transports cannot mangle it: no line starts with "From " or ".".
  assert.doesNotMatch(got[0].raw.toString('latin1'), /\r\n(From |\.)/);
  const [row] = rows();
  assert.deepEqual([row.id, row.sent, row.attempts, row.msgid], [id, true, 1, m.headers['Message-ID']]);
  assert.match(r.stderr, new RegExp(`mail ${id} sent`));
  assert.doesNotMatch(r.stderr, /zoe@|Grüße|Hello/);
});

test('a ticket\'s mails thread: signed Message-IDs, In-Reply-To, References, Reply-To', async () => {
  const s = await smtpd();
  sql(`INSERT INTO workspaces (slug, name, created_at, updated_at) VALUES ('mailtest', 'M', NOW(), NOW())`, stack.dir);
  const ws = Number(sql(`SELECT id FROM workspaces WHERE slug = 'mailtest'`, stack.dir)[0][0]);
  for (const n of [1, 2]) {
    sql(`INSERT INTO tickets (workspace_id, number, subject, body, requester_id, created_at, updated_at,
      public_updated_at) VALUES (${ws}, ${n}, 's', 'b', 1, NOW(), NOW(), NOW())`, stack.dir);
  }
  const [t1, t2] = sql(`SELECT id FROM tickets WHERE workspace_id = ${ws} ORDER BY number`, stack.dir).map((r) => Number(r[0]));
  const env = { HELPDESK_MAIL_REPLY_TO: 'support+{token}@example.org' };
  await add({ ws, ticket: t1, subject: 'one', env });
  await add({ ws, ticket: t1, subject: 'two', env });
  await add({ ws, ticket: t2, subject: 'three', env });
  assert.equal((await mailer(toPort(s.port))).code, 0);
  const got = s.messages();
  assert.equal(got.length, 3);
  const ms = {};
  for (const g of got) { const m = await parse(g.file); ms[m.headers.Subject] = m.headers; }
  const thread = (t) => new RegExp(`^<hd\\.${ws}\\.${t}\\.thread\\.[0-9a-f]{32}@127\\.0\\.0\\.1>$`);
  assert.match(ms.one['In-Reply-To'], thread(t1));
  assert.equal(ms.one['In-Reply-To'], ms.two['In-Reply-To']);
  assert.equal(ms.one.References, ms.one['In-Reply-To']);
  assert.equal(ms.two.References, ms.one['In-Reply-To']);
  assert.match(ms.three.References, thread(t2));
  assert.notEqual(ms.three.References, ms.one.References);
  assert.notEqual(ms.one['Message-ID'], ms.two['Message-ID']);
  assert.match(ms.one['Message-ID'], new RegExp(`^<hd\\.${ws}\\.${t1}\\.[0-9a-f]{16}\\.`));
  assert.match(ms.one['Reply-To'], new RegExp(`^support\\+t${ws}-${t1}-[0-9a-f]{20}@example\\.org$`));
  assert.notEqual(ms.one['Reply-To'], ms.three['Reply-To']);
  // The signature is the server's: the same reference under another
  // mail_secret makes other ids.
  const other = mailConf(stack.dir, { mail_secret: 'ab'.repeat(32) });
  const r = await enqueue(other, { ws, ticket: t1, subject: 'four' });
  assert.equal(r.code, 0);
  const id = Number(r.stdout.trim().replace(/^id /, ''));
  const [[mid]] = sql(`SELECT message_id FROM outbox WHERE id = ${id}`, stack.dir);
  assert.equal(mid.split('.')[3].length, 16);
  assert.notEqual(mid.split('.').slice(4).join('.'), ms.one['Message-ID'].split('.').slice(4).join('.'));
});

test('header injection is refused: CR/LF in subject, name or address, and address tricks', async () => {
  const cases = [
    { subject: 'Hi\r\nBcc: victim@example.org' },
    { subject: 'Hi\nBcc: victim@example.org' },
    { name: 'Ann\r\nBcc: victim@example.org' },
    { to: 'ann@example.org\r\nBcc: victim@example.org' },
    { to: 'ann@example.org, victim@example.org' },
    { to: '"Evil" <victim@example.org>' },
    { to: 'ann@example.org>\r\nX: y' },
    { to: 'no-at-sign.example.org' },
    { to: 'ann@localhost' },
    { kind: 'Bad Kind' },
  ];
  for (const c of cases) {
    const r = await enqueue(conf, c);
    assert.equal(r.code, 3, `${JSON.stringify(c)}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^refused: /);
  }
  assert.equal(rows().length, 0);
});

test('a message and the change it belongs to commit together or not at all', async () => {
  const s = await smtpd();
  const r = await enqueue(conf, { rollback: true, count: 2 });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim().split('\n').length, 2);
  assert.equal(rows().length, 0);
  assert.equal((await mailer(toPort(s.port))).code, 0);
  assert.equal(s.messages().length, 0);
});

test('relay down, then refusing, then up: mail waits and arrives once, none lost', async () => {
  await add({ count: 3, subject: 'wait' });
  // Nobody listens on the port yet.
  const port = (await smtpd()).port + 0;
  await servers.pop().stop();
  const c = toPort(port);
  let r = await mailer(c);
  assert.equal(r.code, 0, r.stderr);
  let rs = rows();
  assert.deepEqual(rs.map((x) => [x.sent, x.failed, x.attempts, x.later, x.claimed]),
    Array(3).fill([false, false, 1, true, false]));
  for (const x of rs) assert.match(x.error, /connect/i);
  assert.match(r.stderr, /attempt 1 failed, next in 60s/);
  // Up, but answering 451 to the first two: not due yet, then due.
  const s = await smtpd({ port, refuse: 2 });
  r = await mailer(c);
  assert.equal(s.messages().length, 0, 'a retry before its time');
  sql('UPDATE outbox SET next_attempt_at = NOW()', stack.dir);
  r = await mailer(c);
  rs = rows();
  assert.equal(rs.filter((x) => x.sent).length, 1);
  for (const x of rs.filter((y) => !y.sent)) {
    assert.match(x.error, /451|try again/);
    assert.equal(x.attempts, 2);
    assert.equal(x.later, true);
  }
  sql('UPDATE outbox SET next_attempt_at = NOW()', stack.dir);
  r = await mailer(c);
  assert.equal(r.code, 0);
  const subjects = (await Promise.all(s.messages().map((g) => parse(g.file)))).map((m) => m.headers.Subject);
  assert.deepEqual(subjects.sort(), ['wait #1', 'wait #2', 'wait #3']);
  assert.ok(rows().every((x) => x.sent && !x.failed));
  assert.equal(sql('SELECT COUNT(*) FROM outbox WHERE attempts = 3', stack.dir)[0][0], '2');
});

test('a mailer killed mid-batch loses nothing; a message sent twice keeps its Message-ID', async () => {
  const s = await smtpd({ delay: 0.3 });
  await add({ count: 8, subject: 'batch' });
  const c = toPort(s.port);
  const m = mailerProcess(c);
  await until(() => s.messages().length >= 2, 15000, 'two messages');
  m.kill('SIGKILL');
  assert.equal((await m.exited).sig, 'SIGKILL');
  const unsent = rows().filter((x) => !x.sent);
  assert.ok(unsent.length >= 1, 'the batch was not finished');
  assert.ok(unsent.every((x) => x.claimed), 'the rest stays claimed by the dead mailer');
  // Its claim holds until the lease runs out: nobody sends them meanwhile.
  const before = s.messages().length;
  await new Promise((res) => setTimeout(res, 500));
  assert.equal((await mailer(c)).code, 0);
  assert.ok(s.messages().length <= before + 1);
  sql('UPDATE outbox SET claimed_until = NOW() - INTERVAL 1 SECOND WHERE claimed_by IS NOT NULL', stack.dir);
  const r = await mailer(c);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(rows().every((x) => x.sent), 'every message sent');
  const got = await Promise.all(s.messages().map((g) => parse(g.file)));
  const bySubject = {};
  for (const g of got) (bySubject[g.headers.Subject] ||= []).push(g.headers['Message-ID']);
  assert.deepEqual(Object.keys(bySubject).sort(), [...Array(8)].map((_, i) => `batch #${i + 1}`).sort());
  const twice = Object.values(bySubject).filter((ids) => ids.length > 1);
  assert.ok(twice.length <= 1, `sent twice: ${JSON.stringify(twice)}`);
  for (const ids of twice) assert.equal(new Set(ids).size, 1, 'a second copy has the same Message-ID');
});

test('SIGTERM finishes the message in hand and gives the rest of the batch back', async () => {
  const s = await smtpd({ delay: 0.3 });
  await add({ count: 5, subject: 'term' });
  const m = mailerProcess(toPort(s.port));
  await until(() => s.messages().length >= 1, 15000, 'a message');
  m.kill('SIGTERM');
  const { code } = await m.exited;
  assert.equal(code, 0, m.log);
  assert.match(m.log, /mailer: stopped/);
  const rs = rows();
  assert.ok(rs.every((x) => !x.claimed), 'nothing left claimed');
  assert.equal(rs.filter((x) => x.sent).length, s.messages().length);
  assert.equal(sql('SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts <> 0', stack.dir)[0][0], '0');
  assert.equal((await mailer(toPort(s.port))).code, 0);
  assert.equal(s.messages().length, 5);
});

test('a message older than mail_give_up_after is given up with the error kept', async () => {
  const [id] = await add({ subject: 'old' });
  sql(`UPDATE outbox SET created_at = NOW() - INTERVAL 3 DAY WHERE id = ${id}`, stack.dir);
  const port = (await smtpd()).port;
  await servers.pop().stop();
  const c = toPort(port);
  const r = await mailer(c);
  assert.equal(r.code, 0);
  assert.match(r.stderr, new RegExp(`mail ${id} given up after 1 attempts`));
  const [row] = rows();
  assert.deepEqual([row.sent, row.failed, row.claimed], [false, true, false]);
  assert.match(row.error, /connect/i);
  const s = await smtpd({ port });
  sql('UPDATE outbox SET next_attempt_at = NOW()', stack.dir);
  assert.equal((await mailer(c)).code, 0);
  assert.equal(s.messages().length, 0, 'a given-up message is not sent');
});

// A self-signed certificate for 127.0.0.1 that the test trusts.
async function certificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdtls.'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const r = await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert]);
  assert.equal(r.code, 0, r.stderr);
  return { cert, key };
}

test('STARTTLS with AUTH to a relay whose certificate is trusted through smtp_ca_file', async () => {
  const { cert, key } = await certificate();
  const password = 'pw-' + Math.random().toString(36).slice(2);
  const s = await smtpd({ tls: [cert, key], auth: `mailer:${password}` });
  await add({ subject: 'secure' });
  const tls = { smtp_url: `smtp://127.0.0.1:${s.port}`, smtp_tls: 'required', smtp_user: 'mailer', smtp_password: password };
  // Not trusted: nothing is sent, the error is kept.
  let r = await mailer(mailConf(stack.dir, tls));
  assert.equal(s.messages().length, 0);
  let [row] = rows();
  assert.equal(row.sent, false);
  assert.match(row.error, /certificate|SSL/i);
  // Trusted: sent under TLS, after AUTH.
  sql('UPDATE outbox SET next_attempt_at = NOW()', stack.dir);
  r = await mailer(mailConf(stack.dir, { ...tls, smtp_ca_file: cert }));
  assert.equal(r.code, 0, r.stderr);
  const got = s.messages();
  assert.equal(got.length, 1);
  assert.equal(got[0].meta.tls, true);
  assert.equal(got[0].meta.auth, 'mailer');
  [row] = rows();
  assert.equal(row.sent, true);
  assert.doesNotMatch(r.stderr, new RegExp(password));
});

test('smtp_tls = required never sends in the clear to a relay without STARTTLS', async () => {
  const s = await smtpd();
  await add({ subject: 'clear' });
  const r = await mailer(mailConf(stack.dir, { smtp_url: `smtp://127.0.0.1:${s.port}`, smtp_tls: 'required' }));
  assert.equal(r.code, 0);
  assert.equal(s.messages().length, 0);
  const [row] = rows();
  assert.equal(row.sent, false);
  assert.match(row.error, /SSL|TLS|STARTTLS/i);
});

test('start-up refuses smtp_tls = none off loopback, and a missing base_url or mail_from', async () => {
  let r = await mailer(mailConf(stack.dir, { smtp_url: 'smtp://192.0.2.1:25', smtp_tls: 'none' }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /smtp_tls = none is allowed only for a relay on a loopback address/);
  r = await mailer(mailConf(stack.dir, { base_url: '' }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /base_url/);
  r = await mailer(mailConf(stack.dir, { base_url: 'http://helpdesk.example.org' }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /base_url/);
  r = await mailer(mailConf(stack.dir, { mail_from: '' }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /mail_from/);
  r = await mailer(mailConf(stack.dir, { smtp_url: 'http://127.0.0.1:25' }));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /smtp_url/);
});

test('the sendmail transport pipes the message to sendmail -i -f FROM -- TO', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdsendmail.'));
  const fake = path.join(dir, 'sendmail');
  // Stands in for the system's sendmail (not our code): keeps what it got.
  fs.writeFileSync(fake, '#!/bin/sh\nprintf "%s\\n" "$@" > "$OUT/args"\ncat > "$OUT/message"\n', { mode: 0o755 });
  await add({ to: 'bob@example.org', subject: 'piped' });
  const r = await mailer(mailConf(stack.dir, { mail_transport: 'sendmail', sendmail_path: fake }),
    ['--once'], { OUT: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'args'), 'utf8').trim().split('\n'),
    ['-i', '-f', 'helpdesk@helpdesk.test', '--', 'bob@example.org']);
  const msg = fs.readFileSync(path.join(dir, 'message'), 'latin1');
  assert.match(msg, /^Date: /);
  assert.match(msg, /\nSubject: piped\n/);
  assert.doesNotMatch(msg, /\r/);
  assert.equal(rows()[0].sent, true);
});
