// Retention (issue 11): the real helpdesk-retention against the stack's
// database. Rows are aged by UPDATE; each test shows the program removes
// exactly what it should and no more, in batches (retention_batch = 10,
// fewer than the rows aged), that --dry-run changes nothing, that a
// second pass does nothing, that ticket_counts stay equal to a fresh
// COUNT(*), that a workspace's settings apply to it alone, and that held
// tickets, people and workspaces are skipped.
//
// Other suites share this stack and run alongside: the program's
// defaults are set so that only rows aged past ten years (which only this
// file makes) are the install's to purge, and the ticket steps apply only
// to workspaces whose settings this file chose.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { workspaceWithMembers, invite } = require('../lib/fixtures');
const { Client, signUp, uniqueEmail } = require('../lib/client');
const { sql, q } = require('../lib/db');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));
const DIR = process.env.HD_STACK_DIR;
const AGED = 4000;	// days: past every bound (3650)
const SAFE = {
  retention_batch: 10,
  retention_audit_days: 3650,
  retention_invitations_days: 3650,
  retention_sessions_days: 3650,
  retention_signin_failures_days: 3650,
  retention_tokens_days: 3650,
  retention_rate_counts_days: 3650,
  retention_outbox_days: 3650,
  retention_unconfirmed_days: 3650,
  retention_quarantine_days: 3650,
  retention_mail_seen_days: 3650,
};
const RETAINED = '[removed after the retention period]';

// Runs the program with the stack's config and SAFE (and extra) on top;
// resolves { 'SLUG KIND': n } from its lines.
function retention(args = [], extra = {}) {
  const base = fs.readFileSync(path.join(DIR, 'helpdesk.conf'), 'utf8');
  const lines = Object.entries({ ...SAFE, ...extra }).map(([k, v]) => `${k} = ${v}`);
  const conf = path.join(DIR, `retention-${process.pid}.conf`);
  fs.writeFileSync(conf, `${base}\n${lines.join('\n')}\n`, { mode: 0o600 });
  const r = spawnSync(path.join(BIN, 'retention'), args, {
    env: { ...process.env, HELPDESK_CONFIG: conf }, encoding: 'utf8', timeout: 120000,
  });
  assert.equal(r.status, 0, `retention exited ${r.status}: ${r.stderr}`);
  const out = {};
  for (const line of r.stdout.split('\n')) {
    const f = line.split('\t');
    if (f.length === 3) out[`${f[0]} ${f[1]}`] = Number(f[2]);
  }
  out.raw = r.stdout;
  return out;
}

const one = (query) => sql(query)[0][0];
const wsId = (slug) => one(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`);

// ticket_counts as kept equal COUNT(*) per status, for the workspace.
function countsRight(slug) {
  const ws = wsId(slug);
  const kept = sql(`SELECT status, n FROM ticket_counts WHERE workspace_id = ${ws} AND n <> 0 ORDER BY status`);
  const real = sql(`SELECT status, COUNT(*) FROM tickets WHERE workspace_id = ${ws} GROUP BY status ORDER BY status`);
  assert.deepEqual(kept, real, `ticket_counts of ${slug}`);
}

// A whole snapshot of a workspace's tickets: what must not change.
const snapshot = (slug) => sql(`SELECT number, status, subject, requester_id, version, updated_at,
  COALESCE(anonymised_at, '') FROM tickets WHERE workspace_id = ${wsId(slug)} ORDER BY number`);

async function open(client, slug, subject, files) {
  await client.get(`/w/${slug}/tickets/new`);
  const fields = { subject, body: `About ${subject}, from me.` };
  const res = files ? await client.postMultipart(`/w/${slug}/tickets/new`, fields, files)
    : await client.post(`/w/${slug}/tickets/new`, fields);
  assert.equal(res.status, 303, res.body);
  return Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
}

async function setStatus(agent, slug, num, status) {
  const page = await agent.get(`/w/${slug}/tickets/${num}`);
  const version = page.body.match(/name="version" value="(\d+)"/)[1];
  const res = await agent.post(`/w/${slug}/tickets/${num}`,
    { version, status, priority: 'normal', assignee: 'none', tags: 'kept-tag' });
  assert.equal(res.status, 303, res.body);
}

async function reply(client, slug, num, body, internal) {
  await client.get(`/w/${slug}/tickets/${num}`);
  const res = await client.post(`/w/${slug}/tickets/${num}/comments`, internal ? { body, internal: '1' } : { body });
  assert.equal(res.status, 303, res.body);
}

async function settings(W, fields) {
  return W.admin.submit(`/w/${W.slug}/admin/settings`, `/w/${W.slug}/admin/settings`,
    { name: W.wsName, ...fields });
}

const ageTickets = (slug, days, where) => sql(`UPDATE tickets SET updated_at = updated_at - INTERVAL ${days} DAY
  WHERE workspace_id = ${wsId(slug)} AND ${where}`);

let A; let B;
test.before(async () => { [A, B] = await Promise.all([workspaceWithMembers(), workspaceWithMembers()]); });

test('the settings page keeps a workspace\'s retention within bounds; empty is the default', async () => {
  const page = await A.admin.get(`/w/${A.slug}/admin/settings`);
  assert.match(page.body, /How long things are kept/);
  assert.match(page.body, /Keep the activity log for \(30 to 3650; default 365\)/);

  const bad = await settings(A, { retain_audit_days: '5', retain_closed_days: 'ten' });
  assert.equal(bad.status, 400);
  assert.match(bad.body, /Days of activity log must be a whole number from 30 to 3650/);
  assert.match(bad.body, /value="ten"/, 'what was typed is kept');
  assert.deepEqual(sql(`SELECT retain_audit_days IS NULL, retain_closed_days IS NULL FROM workspaces WHERE slug = ${q(A.slug)}`), [['1', '1']]);

  const ok = await settings(A, {
    retain_close_solved_days: '5', retain_closed_days: '', retain_closed_action: 'anonymise',
    retain_audit_days: '30', retain_usage_days: '', retain_invitations_days: '1',
  });
  assert.equal(ok.status, 303, ok.body);
  assert.deepEqual(sql(`SELECT retain_close_solved_days, COALESCE(retain_closed_days, 'default'), retain_closed_action,
    retain_audit_days, COALESCE(retain_usage_days, 'default'), retain_invitations_days FROM workspaces WHERE slug = ${q(A.slug)}`),
  [['5', 'default', 'anonymise', '30', 'default', '1']]);
  const again = await A.admin.get(`/w/${A.slug}/admin/settings`);
  assert.match(again.body, /name="retain_close_solved_days" inputmode="numeric" maxlength="5" value="5"/);
  assert.match(again.body, /value="anonymise" checked/);
  // An older form without the fields leaves them as they are.
  assert.equal((await settings(A, {})).status, 303);
  assert.equal(one(`SELECT retain_close_solved_days FROM workspaces WHERE slug = ${q(A.slug)}`), '5');
  // Agents cannot change them.
  assert.equal((await A.agent.get(`/w/${A.slug}/admin/settings`)).status, 403);
});

test('solved tickets close after the workspace\'s days, in batches, skipping a held ticket; B keeps its own', async () => {
  // A: 23 solved tickets, 22 of them untouched for 6 days (A closes after
  // 5), #1 under a ticket hold. B (no choice: the default, never) ages its
  // own too.
  const nums = [];
  for (let i = 0; i < 23; i++) nums.push(await open(A.requester, A.slug, `Solved ${i}`));
  for (const n of nums) await setStatus(A.agent, A.slug, n, 'solved');
  const bnums = [await open(B.requester, B.slug, 'B solved one'), await open(B.requester, B.slug, 'B solved two')];
  for (const n of bnums) await setStatus(B.agent, B.slug, n, 'solved');
  ageTickets(A.slug, 6, `number <= ${nums[21]}`);
  ageTickets(B.slug, 6, '1 = 1');
  const held = one(`SELECT id FROM tickets WHERE workspace_id = ${wsId(A.slug)} AND number = ${nums[0]}`);
  sql(`INSERT INTO legal_holds (workspace_id, scope, ticket_id, reason, placed_at)
       VALUES (${wsId(A.slug)}, 'ticket', ${held}, 'A dispute', UTC_TIMESTAMP())`);
  countsRight(A.slug);

  const beforeA = snapshot(A.slug); const beforeB = snapshot(B.slug);
  const dry = retention(['--dry-run']);
  assert.match(dry.raw, /^# dry run/);
  assert.equal(dry[`${A.slug} close`], 21);
  assert.equal(dry[`${B.slug} close`], 0);
  assert.deepEqual(snapshot(A.slug), beforeA, '--dry-run changed nothing');
  assert.deepEqual(snapshot(B.slug), beforeB);

  const run = retention();
  assert.equal(run[`${A.slug} close`], 21, 'three batches of at most 10');
  assert.equal(run[`${B.slug} close`], 0);
  const st = sql(`SELECT number, status FROM tickets WHERE workspace_id = ${wsId(A.slug)} ORDER BY number`);
  for (const [n, s] of st) {
    const want = Number(n) === nums[0] || Number(n) === nums[22] ? '4' : '5';
    assert.equal(s, want, `#${n}`);
  }
  assert.deepEqual(snapshot(B.slug), beforeB, 'B is untouched');
  // History and audit name the program.
  assert.equal(one(`SELECT COUNT(*) FROM ticket_events WHERE workspace_id = ${wsId(A.slug)} AND field = 'status'
    AND old_value = 'solved' AND new_value = 'closed' AND actor_id IS NULL`), '21');
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${wsId(A.slug)} AND action = 'ticket.close'
    AND user_agent = 'retention' AND actor_id IS NULL`), '21');
  countsRight(A.slug); countsRight(B.slug);

  const snap = snapshot(A.slug);
  const second = retention();
  assert.equal(second[`${A.slug} close`], 0, 'a second pass does nothing');
  assert.deepEqual(snapshot(A.slug), snap);
});

test('closed tickets are anonymised: text, files, mail and people gone; number, status and counts kept', async () => {
  assert.equal((await settings(A, { retain_closed_days: '10', retain_closed_action: 'anonymise' })).status, 303);
  const secret = `Gizmo${process.pid}`;
  const file = { name: 'files', filename: 'invoice.txt', contentType: 'text/plain', data: Buffer.from(`bytes of ${secret}`) };
  const gone = await open(A.requester, A.slug, `Private ${secret}`, [file]);
  const kept = await open(A.requester, A.slug, `Recent ${secret}`);
  await reply(A.requester, A.slug, gone, `My address is 1 ${secret} Street`);
  await reply(A.agent, A.slug, gone, `Internal: ${secret} again`, true);
  for (const n of [gone, kept]) await setStatus(A.agent, A.slug, n, 'closed');
  const ws = wsId(A.slug);
  const id = one(`SELECT id FROM tickets WHERE workspace_id = ${ws} AND number = ${gone}`);
  const sha = one(`SELECT HEX(sha256) FROM attachments WHERE ticket_id = ${id}`);
  ageTickets(A.slug, 11, `number = ${gone}`);
  // The file is older than the day's grace of unreferenced files.
  sql(`UPDATE blobs SET created_at = created_at - INTERVAL 2 DAY WHERE workspace_id = ${ws} AND sha256 = UNHEX('${sha}')`);
  const before = snapshot(A.slug);

  const dry = retention(['--dry-run']);
  assert.equal(dry[`${A.slug} anonymise`], 1);
  assert.equal(dry[`${A.slug} files`], 0, 'its file is still referenced');
  assert.deepEqual(snapshot(A.slug), before);

  const run = retention();
  assert.equal(run[`${A.slug} anonymise`], 1);
  assert.equal(run[`${A.slug} files`], 1, 'the file no attachment references any more');
  const [[subject, body, status, requester, anon]] = sql(`SELECT t.subject, t.body, t.status, u.name,
    t.anonymised_at IS NOT NULL FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.id = ${id}`);
  assert.deepEqual([subject, body, status, requester, anon], [RETAINED, RETAINED, '5', 'Deleted user', '1']);
  assert.deepEqual(sql(`SELECT DISTINCT c.body, u.name FROM comments c JOIN users u ON u.id = c.author_id WHERE c.ticket_id = ${id}`),
    [[RETAINED, 'Deleted user']]);
  assert.equal(one(`SELECT COUNT(*) FROM attachments WHERE ticket_id = ${id}`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM blobs WHERE workspace_id = ${ws} AND sha256 = UNHEX('${sha}')`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM blob_chunks WHERE workspace_id = ${ws} AND sha256 = UNHEX('${sha}')`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM outbox WHERE ticket_id = ${id}`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM ticket_cc WHERE ticket_id = ${id}`), '0');
  assert.equal(one(`SELECT tags FROM tickets WHERE id = ${id}`), 'kept-tag');
  // The text is nowhere in the workspace's tickets but in the recent one.
  assert.equal(one(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${ws} AND (subject LIKE '%${secret}%' OR body LIKE '%${secret}%')`), '1');
  assert.equal(one(`SELECT COUNT(*) FROM comments WHERE workspace_id = ${ws} AND body LIKE '%${secret}%'`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${ws} AND action = 'ticket.anonymise' AND object_id = ${id}`), '1');
  // The search index holds the replacement's words only, filed under the
  // ticket's week (sql/029), and search finds the recent ticket alone.
  assert.equal(one(`SELECT COUNT(*) FROM search_words WHERE ticket_id = ${id} AND word LIKE '%${secret.toLowerCase()}%'`), '0');
  assert.ok(Number(one(`SELECT COUNT(*) FROM search_words WHERE ticket_id = ${id}`)) > 0, 'the replacement is indexed');
  assert.equal(one(`SELECT COUNT(*) FROM search_words w JOIN tickets t ON t.id = w.ticket_id
    WHERE w.ticket_id = ${id} AND w.bucket <> TO_DAYS(t.updated_at) DIV 7`), '0');
  const found = await A.agent.get(`/w/${A.slug}/tickets?q=${secret}`);
  assert.deepEqual([...found.body.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1])), [kept]);
  // The page still opens for the agent, with the removed text.
  const page = await A.agent.get(`/w/${A.slug}/tickets/${gone}`);
  assert.equal(page.status, 200);
  assert.ok(!page.body.includes(secret));
  countsRight(A.slug);

  const snap = snapshot(A.slug);
  const second = retention();
  assert.equal(second[`${A.slug} anonymise`], 0);
  assert.equal(second[`${A.slug} files`], 0);
  assert.deepEqual(snapshot(A.slug), snap, 'idempotent');
});

test('closed tickets are deleted where the workspace chose it, except under a person or workspace hold', async () => {
  assert.equal((await settings(B, { retain_closed_days: '10', retain_closed_action: 'delete' })).status, 303);
  const byReq = [await open(B.requester, B.slug, 'Held one'), await open(B.requester, B.slug, 'Held two')];
  const byAdmin = [];
  for (let i = 0; i < 12; i++) byAdmin.push(await open(B.admin, B.slug, `Old ${i}`));
  await reply(B.agent, B.slug, byAdmin[0], 'A reply that goes too');
  for (const n of [...byReq, ...byAdmin]) await setStatus(B.agent, B.slug, n, 'closed');
  const ws = wsId(B.slug);
  ageTickets(B.slug, 11, `number IN (${[...byReq, ...byAdmin].join(',')})`);
  const person = sql(`INSERT INTO legal_holds (workspace_id, scope, user_id, reason, placed_at)
    VALUES (${ws}, 'person', ${B.users.requester.id}, 'Claim', UTC_TIMESTAMP()); SELECT LAST_INSERT_ID()`)[0][0];
  const firstId = one(`SELECT id FROM tickets WHERE workspace_id = ${ws} AND number = ${byAdmin[0]}`);
  // The held person also wrote on a ticket someone else opened (as one
  // copied on it would): their data there is held too.
  const wroteOn = one(`SELECT id FROM tickets WHERE workspace_id = ${ws} AND number = ${byAdmin[1]}`);
  sql(`INSERT INTO comments (ticket_id, workspace_id, author_id, body, internal, created_at)
       VALUES (${wroteOn}, ${ws}, ${B.users.requester.id}, 'Held words', 0, UTC_TIMESTAMP() - INTERVAL 11 DAY)`);
  countsRight(B.slug);

  const dry = retention(['--dry-run']);
  assert.equal(dry[`${B.slug} delete`], 11);
  const run = retention();
  assert.equal(run[`${B.slug} delete`], 11, 'in two batches');
  const left = sql(`SELECT number FROM tickets WHERE workspace_id = ${ws} AND number IN (${[...byReq, ...byAdmin].join(',')}) ORDER BY number`).map((r) => Number(r[0]));
  assert.deepEqual(left, [...byReq, byAdmin[1]].sort((x, y) => x - y),
    'the held person\'s tickets stay, and the one they wrote on');
  assert.equal(one(`SELECT COUNT(*) FROM comments WHERE ticket_id = ${firstId}`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ${firstId}`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${ws} AND action = 'ticket.delete' AND user_agent = 'retention'`), '11');
  assert.equal((await B.agent.get(`/w/${B.slug}/tickets/${byAdmin[0]}`)).status, 404);
  countsRight(B.slug);
  // A (anonymise) kept all of its tickets.
  assert.equal(one(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${wsId(A.slug)}`), '25');

  // The person's hold lifted, the whole workspace held: still nothing.
  sql(`UPDATE legal_holds SET lifted_at = UTC_TIMESTAMP() WHERE id = ${person};
       INSERT INTO legal_holds (workspace_id, scope, reason, placed_at) VALUES (${ws}, 'workspace', 'Audit', UTC_TIMESTAMP())`);
  assert.equal(retention()[`${B.slug} delete`], 0);
  assert.equal(one(`SELECT COUNT(*) FROM tickets WHERE workspace_id = ${ws} AND number IN (${[...byReq, byAdmin[1]].join(',')})`), '3');
  // Lifted: they go.
  sql(`UPDATE legal_holds SET lifted_at = UTC_TIMESTAMP() WHERE workspace_id = ${ws}`);
  assert.equal(retention()[`${B.slug} delete`], 3);
  countsRight(B.slug);
  assert.equal(retention()[`${B.slug} delete`], 0);
});

test('audit rows and invitations follow each workspace\'s days', async () => {
  // The page posts every field: those left empty go back to the default.
  assert.equal((await settings(A, { retain_closed_days: '10', retain_closed_action: 'anonymise',
    retain_audit_days: '30', retain_invitations_days: '1' })).status, 303);
  await invite(A.admin, A.slug, uniqueEmail('inv'), 'agent');
  await invite(B.admin, B.slug, uniqueEmail('inv'), 'agent');
  const a = wsId(A.slug); const b = wsId(B.slug);
  sql(`UPDATE invitations SET expires_at = UTC_TIMESTAMP() - INTERVAL 3 DAY WHERE workspace_id IN (${a}, ${b}) AND accepted_at IS NULL`);
  sql(`UPDATE audit_log SET created_at = created_at - INTERVAL 40 DAY WHERE workspace_id IN (${a}, ${b})`);
  const oldA = Number(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${a}`));
  const oldB = Number(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${b}`));
  const invB = one(`SELECT COUNT(*) FROM invitations WHERE workspace_id = ${b}`);
  assert.ok(oldA > 10);

  const dry = retention(['--dry-run']);
  assert.equal(dry[`${A.slug} audit`], oldA);
  assert.equal(dry[`${A.slug} invitations`], 1, 'the expired one (accepted ones are a day old)');
  assert.equal(dry[`${B.slug} audit`], 0);
  assert.equal(dry[`${B.slug} invitations`], 0);

  const run = retention();
  assert.equal(run[`${A.slug} audit`], oldA, 'in batches of 10');
  assert.equal(run[`${A.slug} invitations`], 1);
  // What is left of A's log: the pass's own rows saying what it purged.
  assert.deepEqual(sql(`SELECT action, object_type, user_agent FROM audit_log WHERE workspace_id = ${a} ORDER BY id`),
    [['retention.purge', 'audit', 'retention'], ['retention.purge', 'invitations', 'retention']]);
  assert.equal(Number(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id = ${b}`)), oldB, 'B keeps its year');
  assert.equal(one(`SELECT COUNT(*) FROM invitations WHERE workspace_id = ${b}`), invB);
  const second = retention();
  assert.equal(second[`${A.slug} audit`], 0);
  assert.equal(second[`${A.slug} invitations`], 0);
});

test('the install\'s own data: sessions, failures, links, limiter, mail, unconfirmed accounts, audit of no workspace', async () => {
  const u = new Client(); const other = new Client();
  const { email, password } = await signUp(u, { name: 'Retained Person' });
  await other.submit('/signin', '/signin', { email, password });
  const uid = one(`SELECT id FROM users WHERE email = ${q(email)}`);
  const never = uniqueEmail('never'); const held = uniqueEmail('held');
  await signUp(new Client(), { name: 'Never Confirmed', email: never, confirm: false });
  await signUp(new Client(), { name: 'Held Unconfirmed', email: held, confirm: false });
  const neverId = one(`SELECT id FROM users WHERE email = ${q(never)}`);
  const heldId = one(`SELECT id FROM users WHERE email = ${q(held)}`);
  const mark = `ret-${process.pid}-${Date.now()}`;

  // One aged row of each kind, beside a fresh one that must stay.
  sql(`UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL ${AGED} DAY, created_at = created_at - INTERVAL ${AGED} DAY
       WHERE user_id = ${uid} ORDER BY id LIMIT 1`);
  sql(`INSERT INTO signin_failures (email, ip, created_at) VALUES
       ('${mark}@old.test', '192.0.2.1', UTC_TIMESTAMP() - INTERVAL ${AGED} DAY),
       ('${mark}@new.test', '192.0.2.1', UTC_TIMESTAMP())`);
  sql(`INSERT INTO rate_counts (key_hash, win_end, hits) VALUES
       (UNHEX(SHA2('${mark}-old', 256)), UNIX_TIMESTAMP() - ${AGED} * 86400, 1),
       (UNHEX(SHA2('${mark}-new', 256)), UNIX_TIMESTAMP() + 3600, 1)`);
  sql(`UPDATE account_tokens SET expires_at = expires_at - INTERVAL ${AGED} DAY,
       created_at = created_at - INTERVAL ${AGED} DAY, used_at = used_at - INTERVAL ${AGED} DAY WHERE user_id = ${uid}`);
  const tokens = Number(one(`SELECT COUNT(*) FROM account_tokens WHERE user_id = ${uid}`));
  sql(`UPDATE outbox SET sent_at = sent_at - INTERVAL ${AGED} DAY WHERE to_addr = ${q(email)} AND sent_at IS NOT NULL`);
  const mails = Number(one(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${q(email)} AND sent_at IS NOT NULL`));
  sql(`UPDATE audit_log SET created_at = created_at - INTERVAL ${AGED} DAY WHERE workspace_id IS NULL AND actor_id = ${uid}`);
  const audits = Number(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id IS NULL AND actor_id = ${uid}`));
  sql(`UPDATE users SET created_at = created_at - INTERVAL ${AGED} DAY WHERE id IN (${neverId}, ${heldId})`);
  sql(`INSERT INTO legal_holds (workspace_id, scope, user_id, reason, placed_at)
       VALUES (${wsId(A.slug)}, 'person', ${heldId}, 'Fraud inquiry', UTC_TIMESTAMP())`);
  assert.ok(tokens >= 1 && mails >= 1 && audits >= 1);

  const sessions = one(`SELECT COUNT(*) FROM sessions WHERE user_id = ${uid}`);
  const dry = retention(['--dry-run']);
  assert.equal(dry['- sessions'], 1);
  assert.equal(dry['- signin_failures'], 1);
  assert.equal(dry['- rate_counts'], 1);
  assert.equal(dry['- tokens'], tokens);
  assert.equal(dry['- outbox'], mails);
  assert.equal(dry['- audit_no_workspace'], audits);
  assert.equal(dry['- unconfirmed_accounts'], 1, 'the held account is not counted');
  assert.equal(one(`SELECT COUNT(*) FROM sessions WHERE user_id = ${uid}`), sessions, '--dry-run changed nothing');

  const run = retention();
  for (const k of ['sessions', 'signin_failures', 'rate_counts', 'tokens', 'outbox', 'audit_no_workspace', 'unconfirmed_accounts']) {
    assert.equal(run[`- ${k}`], dry[`- ${k}`], k);
  }
  assert.equal(one(`SELECT COUNT(*) FROM sessions WHERE user_id = ${uid}`), String(Number(sessions) - 1));
  assert.equal((await other.get('/account')).status, 200, 'the live session still works');
  assert.deepEqual(sql(`SELECT email FROM signin_failures WHERE email LIKE '${mark}%'`), [[`${mark}@new.test`]]);
  assert.equal(one(`SELECT COUNT(*) FROM rate_counts WHERE key_hash IN (UNHEX(SHA2('${mark}-old', 256)), UNHEX(SHA2('${mark}-new', 256)))`), '1');
  assert.equal(one(`SELECT COUNT(*) FROM account_tokens WHERE user_id = ${uid}`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${q(email)} AND sent_at IS NOT NULL`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE workspace_id IS NULL AND actor_id = ${uid} AND created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY`), '0');
  assert.deepEqual(sql(`SELECT name, deleted_at IS NOT NULL, email = ${q(never)} FROM users WHERE id = ${neverId}`), [['Deleted user', '1', '0']]);
  assert.deepEqual(sql(`SELECT name, deleted_at IS NULL FROM users WHERE id = ${heldId}`), [['Held Unconfirmed', '1']]);

  const second = retention();
  for (const k of ['sessions', 'signin_failures', 'rate_counts', 'tokens', 'outbox', 'audit_no_workspace', 'unconfirmed_accounts']) {
    assert.equal(second[`- ${k}`], 0, `${k}: a second pass does nothing`);
  }
});
