// What the stack's mail catcher received (tools/stack: aiosmtpd writing a
// Maildir in HD_STACK_DIR/mail/), read as a person's inbox: the messages
// to one address, parsed by Python's email package (tests/lib/mailparse.py).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parse, until } = require('./mail');
const { sql, q } = require('./db');

const DIR = process.env.HD_STACK_DIR;

function files() {
  const d = path.join(DIR, 'mail', 'new');
  return fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : [];
}

const parsed = new Map();

// Every message received so far whose To is addr, parsed, oldest first.
async function inbox(addr) {
  const want = addr.toLowerCase();
  const out = [];
  for (const f of files()) {
    const raw = fs.readFileSync(f, 'latin1').toLowerCase();
    if (!raw.includes(want)) continue;
    if (!parsed.has(f)) parsed.set(f, await parse(f));
    const m = parsed.get(f);
    if ((m.headers.To || '').toLowerCase().includes(`<${want}>`) ||
        (m.headers.To || '').toLowerCase() === want) out.push(m);
  }
  return out.sort((a, b) => new Date(a.headers.Date) - new Date(b.headers.Date));
}

// Waits until nothing of the outbox matching where (SQL over outbox) is
// left to send, so the catcher holds all of it.
async function delivered(where, ms = 20000) {
  await until(() => Number(sql(`SELECT COUNT(*) FROM outbox WHERE (${where})
    AND sent_at IS NULL AND failed_at IS NULL`)[0][0]) === 0, ms, `mail sent (${where})`);
}

// The text of a parsed message's part of type ('text/plain', 'text/html').
function part(m, type) {
  const p = m.parts.find((x) => x.type === type);
  return p ? p.text : '';
}

module.exports = { inbox, delivered, part, q };
