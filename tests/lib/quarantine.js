// Quarantined mail made by SQL, as lib/domain/mailin.c stores it
// (sql/021-mail-in.sql): the row with what was parsed, and the message
// exactly as received in chunks of 512 KiB. For the tests of what
// admins, export, erasure and retention do with it.
'use strict';
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { sql, q, conf } = require('./db');

const CHUNK = 512 * 1024;

// As db.js's sql, with the statement on standard input: a chunk in hex
// is far past the kernel's limit on one argument (128 KiB).
function sqlIn(query) {
  const c = conf();
  execFileSync('mariadb', [`--socket=${c.db_socket}`, `--user=${c.db_user}`,
    `--password=${c.db_password}`, '--batch', c.db_name], { input: query, maxBuffer: 1 << 26 });
}

// A message shaped like real mail (a phone's, with a quoted reply).
function message({ from = 'Ann Example <ann@example.org>', to = 'support@example.org',
  subject = 'Printer trouble', body = 'The printer is on fire.\n', pad = 0 } = {}) {
  const id = `<${crypto.randomBytes(8).toString('hex')}@mail.example.org>`;
  const text = [
    `Return-Path: <${from.replace(/.*</, '').replace(/>.*/, '')}>`,
    'Received: from mail.example.org (mail.example.org [192.0.2.7])',
    '\tby mx.example.net (Postfix) with ESMTPS id 4Zb1x2;',
    '\tMon, 30 Nov 2026 09:14:03 +0000 (UTC)',
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'Date: Mon, 30 Nov 2026 10:14:01 +0100',
    `Message-ID: ${id}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    'X-Mailer: iPhone Mail (21A329)',
    '',
    body,
    'Sent from my iPhone',
    '',
  ].join('\r\n');
  // Padding (a long base64-looking tail) for messages over one chunk.
  const tail = pad > 0 ? `${crypto.randomBytes(Math.ceil(pad * 3 / 4)).toString('base64')
    .replace(/(.{76})/g, '$1\r\n').slice(0, pad)}\r\n` : '';
  return { raw: Buffer.from(text + tail, 'utf8'), messageId: id };
}

// Stores raw (a Buffer) in quarantine: returns the row's id. opts are
// columns: ws (workspace id or null), reason_code, reason, from_addr,
// from_name, subject, message_id, body_text (null: unparseable),
// reply_len, body_html, sender_id, age_days.
function quarantine(raw, opts = {}) {
  const o = {
    ws: null, reason_code: 'unknown_sender', reason: 'The sender may not open tickets here.',
    from_addr: '', from_name: '', subject: '', message_id: '', body_text: null, reply_len: 0,
    body_html: null, sender_id: null, age_days: 0, ...opts,
  };
  const nul = (v) => (v === null || v === undefined ? 'NULL' : q(v));
  const sha = crypto.createHash('sha256').update(raw).digest('hex');
  const [[id]] = sql(`INSERT INTO mail_quarantine (workspace_id, reason_code, reason,
      from_addr, from_name, subject, message_id, body_text, reply_len, body_html, sender_id,
      size, sha256, created_at)
    VALUES (${o.ws === null ? 'NULL' : Number(o.ws)}, ${q(o.reason_code)}, ${q(o.reason)},
      ${q(o.from_addr)}, ${q(o.from_name)}, ${q(o.subject)}, ${q(o.message_id)},
      ${nul(o.body_text)}, ${Number(o.reply_len)}, ${nul(o.body_html)},
      ${o.sender_id === null ? 'NULL' : Number(o.sender_id)}, ${raw.length}, X'${sha}',
      UTC_TIMESTAMP() - INTERVAL ${Number(o.age_days)} DAY);
    SELECT LAST_INSERT_ID();`);
  for (let seq = 0; seq * CHUNK < raw.length; seq++) {
    const part = raw.subarray(seq * CHUNK, (seq + 1) * CHUNK).toString('hex');
    sqlIn(`INSERT INTO mail_quarantine_chunks (quarantine_id, seq, data) VALUES (${id}, ${seq}, X'${part}')`);
  }
  sql(`INSERT INTO mail_seen (workspace_id, msgid_sha256, outcome, quarantine_id, created_at)
    VALUES (${o.ws === null ? 0 : Number(o.ws)}, X'${crypto.createHash('sha256').update(o.message_id || sha).digest('hex')}',
      'quarantine', ${id}, UTC_TIMESTAMP() - INTERVAL ${Number(o.age_days)} DAY)`);
  return Number(id);
}

module.exports = { message, quarantine, CHUNK };
