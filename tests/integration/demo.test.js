// The demo loader (tools/demo.c, `make run`): run against the test stack,
// it makes a support desk that looks real (issue 13): varied tickets over
// weeks, threads with notes and mail, a few attachments, both agents; the
// printed sign-ins work, and a second run changes nothing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const { Client } = require('../lib/client');
const { sql } = require('../lib/db');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));
const WS = "(SELECT id FROM workspaces WHERE slug = 'acme')";

function demo() {
  return execFileSync(path.join(BIN, 'demo'), [], {
    encoding: 'utf8',
    env: { ...process.env, HELPDESK_CONFIG: path.join(process.env.HD_STACK_DIR, 'helpdesk.conf') },
  });
}

function one(query) {
  return sql(query)[0];
}

let printed;
test.before(() => {
  printed = demo();
});

test('prints the sign-ins, and each of them signs in with the demo password', async () => {
  for (const email of ['admin@demo.example', 'agent@demo.example', 'requester@demo.example',
    'linus@demo.example']) {
    assert.match(printed, new RegExp(email.replace(/\./g, '\\.')));
    const res = await new Client().submit('/signin', '/signin', { email, password: 'demo-password' });
    assert.equal(res.status, 303, email);
    assert.equal(res.headers.location, '/', email);
  }
});

test('forty to sixty tickets, no subject twice, no two opened at the same time', () => {
  const [n, subjects, times] = one(`SELECT COUNT(*), COUNT(DISTINCT subject),
    COUNT(DISTINCT created_at) FROM tickets WHERE workspace_id = ${WS}`).map(Number);
  assert.ok(n >= 40 && n <= 60, `${n} tickets`);
  assert.equal(subjects, n);
  assert.equal(times, n);
});

test('spread over weeks in the past, numbered in the order they were opened', () => {
  const [days, future, late] = one(`SELECT
    DATEDIFF(UTC_TIMESTAMP(), MIN(created_at)),
    SUM(updated_at > UTC_TIMESTAMP() OR public_updated_at > updated_at),
    SUM(updated_at < created_at)
    FROM tickets WHERE workspace_id = ${WS}`).map(Number);
  assert.ok(days >= 28, `oldest ticket ${days} days old`);
  assert.equal(future, 0);
  assert.equal(late, 0);
  const order = sql(`SELECT number FROM tickets WHERE workspace_id = ${WS}
    ORDER BY created_at`).map((r) => Number(r[0]));
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
  // Recent ones too: the queue's top is today's work.
  assert.ok(Number(one(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${WS}
    AND created_at > UTC_TIMESTAMP() - INTERVAL 1 DAY`)[0]) >= 3);
});

test('every status and priority, both agents, tags', () => {
  const statuses = sql(`SELECT DISTINCT status FROM tickets WHERE workspace_id = ${WS}`);
  const priorities = sql(`SELECT DISTINCT priority FROM tickets WHERE workspace_id = ${WS}`);
  assert.equal(statuses.length, 5);
  assert.equal(priorities.length, 4);
  const agents = sql(`SELECT u.email, COUNT(*) FROM tickets t JOIN users u ON u.id = t.assignee_id
    JOIN memberships m ON m.user_id = u.id AND m.workspace_id = t.workspace_id
    WHERE t.workspace_id = ${WS} AND m.role = 'agent' GROUP BY u.email`);
  assert.ok(agents.length >= 2, JSON.stringify(agents));
  for (const [, count] of agents) assert.ok(Number(count) >= 5);
  assert.ok(Number(one(`SELECT COUNT(DISTINCT tag) FROM ticket_tags WHERE workspace_id = ${WS}`)[0]) >= 10);
});

test('threads: replies after their ticket opened, in order, with notes and mail', () => {
  const [comments, before, same, notes] = one(`SELECT COUNT(*),
    SUM(c.created_at < t.created_at OR c.created_at > UTC_TIMESTAMP()),
    COUNT(*) - COUNT(DISTINCT c.created_at), SUM(c.internal)
    FROM comments c JOIN tickets t ON t.id = c.ticket_id WHERE t.workspace_id = ${WS}`).map(Number);
  assert.ok(comments >= 60, `${comments} comments`);
  assert.equal(before, 0);
  assert.equal(same, 0);
  assert.ok(notes >= 8, `${notes} notes`);
  // Comment ids (the order written) follow their times within a ticket.
  const out = one(`SELECT COUNT(*) FROM comments a JOIN comments b
    ON b.ticket_id = a.ticket_id AND b.id > a.id AND b.created_at < a.created_at
    WHERE a.workspace_id = ${WS}`);
  assert.equal(Number(out[0]), 0);
  const [byMail, repliesByMail] = one(`SELECT
    (SELECT COUNT(*) FROM tickets WHERE workspace_id = ${WS} AND body_format = 1),
    (SELECT COUNT(*) FROM comments WHERE workspace_id = ${WS} AND body_format = 1)`).map(Number);
  assert.ok(byMail >= 3 && repliesByMail >= 2, `${byMail} tickets, ${repliesByMail} replies by mail`);
  // The audit trail says when, as for anything the pages do.
  const [created, atOpen] = one(`SELECT COUNT(*), SUM(a.created_at = t.created_at)
    FROM audit_log a JOIN tickets t ON t.id = a.object_id
    WHERE a.workspace_id = ${WS} AND a.action = 'ticket.create'`).map(Number);
  assert.equal(created, Number(one(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${WS}`)[0]));
  assert.equal(atOpen, created);
});

test('a log, a CSV and a screenshot that is a real PNG, each at its message\'s time', async () => {
  const files = sql(`SELECT a.id, a.filename, a.content_type,
    a.created_at = COALESCE(c.created_at, t.created_at)
    FROM attachments a JOIN tickets t ON t.id = a.ticket_id
    LEFT JOIN comments c ON c.id = a.comment_id WHERE a.workspace_id = ${WS}`);
  const types = files.map((f) => f[2]).sort();
  assert.ok(types.includes('text/plain') && types.includes('text/csv') && types.includes('image/png'),
    types.join());
  for (const f of files) assert.equal(f[3], '1', `${f[1]} at its message's time`);

  const agent = new Client();
  await agent.submit('/signin', '/signin', { email: 'agent@demo.example', password: 'demo-password' });
  const png = files.find((f) => f[2] === 'image/png');
  const res = await agent.get(`/w/acme/attachments/${png[0]}`);
  assert.equal(res.status, 200);
  const b = res.raw;
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Walk the chunks: IHDR, IDAT that inflates to one filter byte and
  // three bytes a pixel per row, IEND.
  let off = 8;
  const chunks = {};
  while (off < b.length) {
    const len = b.readUInt32BE(off);
    chunks[b.toString('latin1', off + 4, off + 8)] = b.subarray(off + 8, off + 8 + len);
    off += 12 + len;
  }
  assert.equal(off, b.length);
  const w = chunks.IHDR.readUInt32BE(0);
  const h = chunks.IHDR.readUInt32BE(4);
  assert.equal(zlib.inflateSync(chunks.IDAT).length, h * (1 + w * 3));
  assert.ok('IEND' in chunks);
});

test('a second run changes nothing', () => {
  const count = () => one(`SELECT (SELECT COUNT(*) FROM tickets WHERE workspace_id = ${WS}),
    (SELECT COUNT(*) FROM comments WHERE workspace_id = ${WS})`).join();
  const before = count();
  demo();
  assert.equal(count(), before);
});
