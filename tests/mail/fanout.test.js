// Notifications through events (issue 14; lib/domain/notify.h): a change
// writes one notify_events row in its own transaction and no mail; the
// real mailer (build/bin/mailer --fanout) turns it into one outbox row
// per recipient and deletes it in one transaction. On a private stack
// without the stack's mailer (STACK_MAIL=off), so each test decides when
// fan-outs run: once per event when run twice, when killed in the middle
// (a trigger makes each outbox row slow), and with two mailers racing;
// an erased person's pending events, the export and retention.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { startStack, stackDir } = require('../lib/stack');
const { run, until } = require('../lib/mail');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.resolve(REPO, process.env.HD_BIN || path.join('build', 'bin'));

let stack;
let H;
let conf;

test.before(async () => {
  stack = await startStack(stackDir(), { env: { STACK_MAIL: 'off' } });
  process.env.BASE_URL = stack.base;
  process.env.HD_STACK_DIR = stack.dir;
  conf = path.join(stack.dir, 'helpdesk.conf');
  H = { ...require('../lib/client'), ...require('../lib/db'), ...require('../lib/fixtures') };
  // No mail catcher here: clients do not wait for confirmation mail
  // (lib/db.js keeps the stack it was loaded with); members are
  // confirmed in the database instead (members()).
  delete process.env.HD_STACK_DIR;
});

// A workspace of an admin, an agent and a requester (as the fixtures
// make one), their addresses confirmed in the database: only confirmed
// addresses are mailed (notify.c), and no catcher brings the links.
let seq = 0;
async function members() {
  const by = {};
  for (const role of ['admin', 'agent', 'requester']) {
    seq += 1;
    const client = new H.Client();
    const name = `${role[0].toUpperCase()}${role.slice(1)} ${process.pid} ${seq}`;
    const { res, email, password } = await H.signUp(client, { name, email: H.uniqueEmail(role), confirm: false });
    assert.equal(res.status, 303, `signing up the ${role}`);
    H.sql(`UPDATE users SET email_confirmed_at = UTC_TIMESTAMP() WHERE email = ${H.q(email)}`);
    by[role] = { client, user: { name, email, password } };
  }
  const slug = H.uniqueSlug('fan');
  const made = await by.admin.client.submit('/workspaces', '/workspaces', { name: `Workspace ${slug}`, slug });
  assert.equal(made.status, 303, 'creating the workspace');
  for (const role of ['agent', 'requester']) {
    await H.accept(by[role].client, await H.invite(by.admin.client, slug, by[role].user.email, role));
  }
  const users = {};
  for (const [role, b] of Object.entries(by)) {
    users[role] = { ...b.user, id: count(`SELECT id FROM users WHERE email = ${H.q(b.user.email)}`) };
  }
  return { slug, users, admin: by.admin.client, agent: by.agent.client, requester: by.requester.client };
}
test.after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), []);
});

const one = (query) => H.sql(query)[0][0];
const count = (query) => Number(one(query));
const fanout = (env = {}) => run(path.join(BIN, 'mailer'), ['--fanout'], { env: { HELPDESK_CONFIG: conf, ...env } });
// A long-running fan-out: the child process.
function fanoutProcess() {
  const child = spawn(path.join(BIN, 'mailer'), ['--fanout'], {
    env: { ...process.env, HELPDESK_CONFIG: conf }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.log = '';
  child.stderr.on('data', (d) => { child.log += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  return child;
}

async function open(W, subject, body = 'It smokes.') {
  await W.requester.get(`/w/${W.slug}/tickets/new`);
  const res = await W.requester.post(`/w/${W.slug}/tickets/new`, { subject, body });
  assert.equal(res.status, 303, res.body);
  const num = Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
  const id = count(`SELECT t.id FROM tickets t JOIN workspaces w ON w.id = t.workspace_id
    WHERE w.slug = ${H.q(W.slug)} AND t.number = ${num}`);
  return { num, id };
}

async function reply(c, W, num, body) {
  await c.get(`/w/${W.slug}/tickets/${num}`);
  assert.equal((await c.post(`/w/${W.slug}/tickets/${num}/comments`, { body })).status, 303);
}

const events = (where = '1') => count(`SELECT COUNT(*) FROM notify_events WHERE ${where}`);
// ticket.new rows per recipient of ticket id: { addr: n }.
function newMail(id) {
  return Object.fromEntries(H.sql(`SELECT to_addr, COUNT(*) FROM outbox WHERE ticket_id = ${id}
    AND kind = 'ticket.new' GROUP BY to_addr`).map((r) => [r[0], Number(r[1])]));
}
const agents = (W) => ({ [W.users.admin.email]: 1, [W.users.agent.email]: 1 });

// Each outbox row takes ms milliseconds to insert while it exists.
function slowOutbox(ms) {
  const name = `hd_slow_${process.pid}`;
  H.sql(`CREATE TRIGGER ${name} BEFORE INSERT ON outbox FOR EACH ROW
    SET NEW.subject = IF(SLEEP(${ms / 1000}) = 0, NEW.subject, NEW.subject)`);
  return () => H.sql(`DROP TRIGGER ${name}`);
}

// Fans out until no event is left (one a killed mailer held may wait
// for MariaDB to notice the dead connection).
async function drain() {
  await until(async () => {
    const r = await fanout();
    assert.equal(r.code, 0, r.stderr);
    return events() === 0;
  }, 20000, 'every event fanned out');
}

test('a new ticket writes one event and no mail; the fan-out mails each agent once and deletes it', async () => {
  const W = await members();
  const t = await open(W, `One event ${Date.now()}`);
  assert.deepEqual(H.sql(`SELECT kind, actor_id, comment_id, target_id FROM notify_events WHERE ticket_id = ${t.id}`),
    [['ticket_new', String(W.users.requester.id), 'NULL', 'NULL']]);
  assert.deepEqual(newMail(t.id), {}, 'the request rendered no mail');
  const r = await fanout();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /an event became 2 mails/);
  assert.doesNotMatch(r.stderr, /@/, 'no address in the log');
  assert.equal(events(`ticket_id = ${t.id}`), 0);
  assert.deepEqual(newMail(t.id), agents(W));
  // Threaded and signed as before: the mailgate's check of an agent's
  // reply (mailin.c) reads these rows' Message-IDs.
  for (const [mid] of H.sql(`SELECT message_id FROM outbox WHERE ticket_id = ${t.id}`)) {
    assert.match(mid, new RegExp(`^<hd\\.\\d+\\.${t.id}\\.[0-9a-f]{16}\\.[0-9a-f]+@`));
  }
  // A second run finds nothing: once.
  assert.equal((await fanout()).code, 0);
  assert.deepEqual(newMail(t.id), agents(W));

  // Every kind is an event: a reply, an assignment, solving.
  await reply(W.agent, W, t.num, 'On our way.');
  const page = await W.agent.get(`/w/${W.slug}/tickets/${t.num}`);
  const version = page.body.match(/name="version" value="(\d+)"/)[1];
  assert.equal((await W.agent.post(`/w/${W.slug}/tickets/${t.num}`, {
    version, status: 'solved', priority: 'normal', assignee: String(W.users.admin.id), tags: '',
  })).status, 303);
  assert.deepEqual(H.sql(`SELECT kind FROM notify_events WHERE ticket_id = ${t.id} ORDER BY id`).map((x) => x[0]),
    ['reply', 'assigned', 'solved']);
  await drain();
  assert.deepEqual(H.sql(`SELECT kind, to_addr FROM outbox WHERE ticket_id = ${t.id} AND kind <> 'ticket.new'
    ORDER BY id`), [['ticket.reply', W.users.requester.email], ['ticket.assigned', W.users.admin.email],
    ['ticket.solved', W.users.requester.email]]);
});

test('a mailer killed in the middle of a fan-out leaves the event whole: the next run mails it once', async () => {
  const W = await members();
  const t = await open(W, `Killed ${Date.now()}`);
  const fast = slowOutbox(1500);
  let m;
  try {
    m = fanoutProcess();
    // Killed during the first or second row's insert: nothing committed.
    await new Promise((res) => setTimeout(res, 2000));
    m.kill('SIGKILL');
    assert.equal((await m.exited).sig, 'SIGKILL');
  } finally {
    fast();
  }
  assert.doesNotMatch(m.log, /became/, 'it had not finished');
  assert.deepEqual(newMail(t.id), {}, 'no mail of the half-done fan-out');
  assert.equal(events(`ticket_id = ${t.id}`), 1, 'the event is still there');
  await drain();
  assert.deepEqual(newMail(t.id), agents(W));
});

test('two mailers fanning out at once mail each event once', async () => {
  const W = await members();
  const ts = [];
  for (let i = 0; i < 6; i++) ts.push(await open(W, `Race ${i} ${Date.now()}`));
  const fast = slowOutbox(150);
  let a;
  let b;
  try {
    [a, b] = await Promise.all([fanout(), fanout()]);
  } finally {
    fast();
  }
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const made = (r) => (r.stderr.match(/an event became 2 mails/g) || []).length;
  assert.equal(made(a) + made(b), 6, `${a.stderr}\n${b.stderr}`);
  assert.equal(events(), 0);
  for (const t of ts) assert.deepEqual(newMail(t.id), agents(W), `ticket ${t.num}`);
});

test('erasing an account deletes the notifications it caused that wait; the others are mailed without them', async () => {
  const W = await members();
  const R = W.users.requester;
  const mine = await open(W, `Erased requester's ${Date.now()}`, `Written by ${R.name}`);
  const other = await open(W, `Before erasure ${Date.now()}`);
  await drain();
  assert.deepEqual(newMail(mine.id), agents(W), 'mailed as usual while they were there');
  await reply(W.agent, W, other.num, 'A reply to someone about to leave.');
  // Theirs, pending: their new ticket.
  const pending = await open(W, `Pending ${Date.now()}`);
  assert.equal(events(`actor_id = ${R.id}`), 1);
  assert.equal(events(`actor_id = ${W.users.agent.id}`), 1);

  // Their own export lists it (seconds old, but it names them).
  await W.requester.get('/account');
  const exp = await W.requester.post('/account/export', {});
  assert.equal(exp.status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-fanout-'));
  fs.writeFileSync(path.join(dir, 'a.zip'), exp.raw);
  const json = JSON.parse(execFileSync('unzip', ['-p', path.join(dir, 'a.zip'), 'export.json'], { encoding: 'utf8' }));
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(json.pending_notifications.map((e) => [e.workspace, e.ticket, e.kind]),
    [[W.slug, pending.num, 'ticket_new']]);
  assert.match(json.pending_notifications[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  await W.requester.get('/account/delete');
  assert.equal((await W.requester.post('/account/delete', { current: R.password })).status, 303);
  const after = count('SELECT COALESCE(MAX(id), 0) FROM outbox');
  assert.equal(events(`actor_id = ${R.id}`), 0, 'their pending event is gone');
  assert.equal(events(`actor_id = ${W.users.agent.id}`), 1, 'the agent\'s reply is still to be fanned out');
  await drain();
  // The reply had one recipient, now erased: no mail to them, or naming them.
  assert.equal(count(`SELECT COUNT(*) FROM outbox WHERE id > ${after} AND (to_addr = ${H.q(R.email)}
    OR LOCATE(${H.q(R.name)}, message) > 0)`), 0);
  assert.deepEqual(newMail(pending.id), {}, 'their new ticket was not mailed after the erasure');
});

test('retention deletes events no mailer fanned out in retention_outbox_days', async () => {
  const W = await members();
  const old = await open(W, `Stale ${Date.now()}`);
  const fresh = await open(W, `Fresh ${Date.now()}`);
  H.sql(`UPDATE notify_events SET created_at = created_at - INTERVAL 40 DAY WHERE ticket_id = ${old.id}`);
  const c = path.join(stack.dir, `retention-${process.pid}.conf`);
  fs.writeFileSync(c, `${fs.readFileSync(conf, 'utf8')}\nretention_outbox_days = 30\n`, { mode: 0o600 });
  const dry = await run(path.join(BIN, 'retention'), ['--dry-run'], { env: { HELPDESK_CONFIG: c } });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^-\toutbox\t1$/m, 'counted with the outbox');
  const r = await run(path.join(BIN, 'retention'), [], { env: { HELPDESK_CONFIG: c } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(events(`ticket_id = ${old.id}`), 0);
  assert.equal(events(`ticket_id = ${fresh.id}`), 1);
  await drain();
});
