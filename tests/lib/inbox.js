// What a stack's mailer really sent: tools/stack runs a mail catcher
// (Debian's aiosmtpd) that writes each message it receives as a file of
// the Maildir DIR/mail/new/. A test waits for the mail to an address,
// parses it with Python's email package (tests/lib/mailparse.py) and
// follows its links with the test client, as a person would.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parse, until } = require('./mail');
const { sql, q } = require('./db');

// The Maildir of the stack in dir (HD_STACK_DIR by default).
function maildir(dir = process.env.HD_STACK_DIR) {
  return dir ? path.join(dir, 'mail', 'new') : null;
}

// file -> its To: (lower case, raw), and its parse once wanted.
const seen = new Map();

// Every message to address so far, oldest first, parsed: { file,
// headers, parts, text, html }. Files are read raw first and only the
// ones whose To: names the address are parsed.
async function mailsTo(address, dir = process.env.HD_STACK_DIR) {
  const box = maildir(dir);
  if (!box || !fs.existsSync(box)) return [];
  const want = String(address).toLowerCase();
  const files = fs.readdirSync(box).map((f) => path.join(box, f))
    .map((f) => ({ f, t: fs.statSync(f).mtimeMs })).sort((a, b) => a.t - b.t || (a.f < b.f ? -1 : 1));
  const out = [];
  for (const { f } of files) {
    if (!seen.has(f)) {
      const raw = fs.readFileSync(f, 'latin1');
      const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
      seen.set(f, { to: (head.match(/^To:(.*)$/mi) || [null, ''])[1].trim().toLowerCase() });
    }
    const s = seen.get(f);
    if (!s.to.includes(`<${want}>`) && s.to !== want) continue;
    if (!s.mail) {
      const m = await parse(f);
      m.file = f;
      m.text = (m.parts.find((p) => p.type === 'text/plain') || {}).text || '';
      m.html = (m.parts.find((p) => p.type === 'text/html') || {}).text || '';
      s.mail = m;
    }
    out.push(s.mail);
  }
  return out;
}

// Waits for the count-th message to address (1: the first) whose subject
// matches, and returns it.
async function waitForMail(address, { subject = /./, count = 1, dir, ms = 20000 } = {}) {
  let found;
  await until(async () => {
    const all = (await mailsTo(address, dir)).filter((m) => subject.test(m.headers.Subject || ''));
    found = all[count - 1];
    return !!found;
  }, ms, `mail ${count} to ${address} (${subject})`);
  return found;
}

// The first absolute link in a mail's text part whose path starts with
// prefix ("/email/confirm/"), as a URL.
function linkIn(mail, prefix) {
  const re = /https?:\/\/[^\s<>"]+/g;
  for (const m of mail.text.matchAll(re)) {
    const u = new URL(m[0]);
    if (u.pathname.startsWith(prefix)) return u;
  }
  return null;
}

// Every message received so far to addr, parsed, oldest first.
const inbox = (addr) => mailsTo(addr);

// Waits until the mailer has fanned out every notification event
// (notify.h) matching where (SQL over notify_events: ticket_id,
// workspace_id), so the outbox holds their mail.
async function fannedOut(where = '1', ms = 20000) {
  await until(() => Number(sql(`SELECT COUNT(*) FROM notify_events WHERE (${where})`)[0][0]) === 0,
    ms, `notifications fanned out (${where})`);
}

// Waits until nothing of the outbox matching where (SQL over outbox) is
// left to send, so the catcher holds all of it: first the events that
// become outbox rows (by the same where, or all of them for a where on
// the outbox's own columns).
async function delivered(where, ms = 20000) {
  await fannedOut(/to_addr|kind/.test(where) ? '1' : where, ms);
  await until(() => Number(sql(`SELECT COUNT(*) FROM outbox WHERE (${where})
    AND sent_at IS NULL AND failed_at IS NULL`)[0][0]) === 0, ms, `mail sent (${where})`);
}

// The text of a parsed message's part of type ('text/plain', 'text/html').
function part(m, type) {
  const p = m.parts.find((x) => x.type === type);
  return p ? p.text : '';
}

module.exports = { maildir, mailsTo, waitForMail, linkIn, inbox, fannedOut, delivered, part, q };
