// The general rate limiter (issue 11, lib/domain/ratelimit.h): each
// limited action answers 429 with Retry-After past its bound, says when
// to try again, keeps what was typed, and lets the next window through;
// bounds hold per account and per client address. And repeated failed
// sign-ins mail the account's owner once per window, with a reset link
// that works, telling the person signing in nothing.
//
// The shared test stack sets high limits (tools/stack), so this file runs
// a private stack with small ones, and points the test helpers at it
// before loading them. Windows are a week long (aligned to the epoch),
// so no test crosses one by itself; the next window is reached by ageing
// the counters with UPDATE.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startStack, stackDir } = require('../lib/stack');

const WEEK = 604800;
const LIMITS = {
  HELPDESK_LIMIT_SIGNUP: `2/${WEEK}`,
  HELPDESK_LIMIT_PASSWORD: `2/${WEEK}`,
  HELPDESK_LIMIT_TICKET_CREATE: `2/${WEEK}`,
  HELPDESK_LIMIT_REPLY: `2/${WEEK}`,
  HELPDESK_LIMIT_UPLOAD: `1/${WEEK}`,
  // The fixture's admin invites two members itself.
  HELPDESK_LIMIT_INVITE: `3/${WEEK}`,
  HELPDESK_LIMIT_JOIN: `1/${WEEK}`,
  HELPDESK_SIGNIN_ALERT_AFTER: '3',
  HELPDESK_LIMIT_SIGNIN_ALERT: `1/${WEEK}`,
};

const dir = stackDir();
let stack;
let H; // the helpers, loaded once they point at the private stack

test.before(async () => {
  stack = await startStack(dir, { workers: 2, env: LIMITS });
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

// Every counter moves to its previous window.
function age() {
  H.sql(`UPDATE rate_counts SET win_end = win_end - ${WEEK}`);
}

// A 429 that says when to try again, in its header and its words.
function limited(res, what) {
  assert.equal(res.status, 429, `${what}: ${res.status}`);
  const wait = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait > 0 && wait <= WEEK, `${what}: Retry-After ${res.headers['retry-after']}`);
  assert.match(res.body, /in a short time\. Try again in \d+ (second|minute|hour|day)s?\./, what);
}

// The same signed-in account from another client address.
function sameAccount(client, localAddress) {
  const other = new H.Client(localAddress ? { localAddress } : {});
  other.jar = new Map(client.jar);
  return other;
}

function audits(action) {
  return Number(H.sql(`SELECT COUNT(*) FROM audit_log WHERE action = ${H.q(action)}`)[0][0]);
}

test('sign-up: per address, the form kept, the next window let through', async () => {
  const c = new H.Client();
  for (let i = 0; i < 2; i++) {
    const fresh = new H.Client({ localAddress: c.localAddress });
    assert.equal((await H.signUp(fresh, { confirm: false })).res.status, 303);
  }
  const email = H.uniqueEmail('limited');
  const res = await c.submit('/signup', '/signup', { name: 'Typed Name', email, password: 'correct horse battery' });
  limited(res, 'third sign-up from one address');
  assert.match(res.body, /value="Typed Name"/, 'what was typed is kept');
  assert.equal(H.sql(`SELECT COUNT(*) FROM users WHERE email = ${H.q(email)}`)[0][0], '0');
  assert.ok(audits('limit.signup') >= 1, 'the refusal is audited');

  assert.equal((await H.signUp(new H.Client(), { confirm: false })).res.status, 303, 'another address is not limited');
  age();
  const again = await c.submit('/signup', '/signup', { name: 'Typed Name', email, password: 'correct horse battery' });
  assert.equal(again.status, 303, 'the next window');
});

test('new tickets: per account and per address', async () => {
  const W = await H.workspaceWithMembers();
  const S = `/w/${W.slug}`;
  const open = (client, subject) => client.submit(`${S}/tickets/new`, `${S}/tickets/new`, { subject, body: 'text' });
  for (let i = 0; i < 2; i++) assert.equal((await open(W.requester, `Allowed ${i}`)).status, 303);
  const res = await open(W.requester, 'Typed subject');
  limited(res, 'third ticket');
  assert.match(res.body, /value="Typed subject"/, 'what was typed is kept');
  assert.equal(H.sql(`SELECT COUNT(*) FROM tickets WHERE subject = 'Typed subject'`)[0][0], '0');

  // The same account from elsewhere: the account's bound.
  limited(await open(sameAccount(W.requester), 'Elsewhere'), 'same account, other address');
  // Another account from the same address: the address's bound only.
  limited(await open(sameAccount(W.agent, W.requester.localAddress), 'Same address'), 'other account, same address');
  // That account from its own address is not limited.
  assert.equal((await open(W.agent, 'Agent own')).status, 303);
  assert.ok(audits('limit.ticket_create') >= 1, 'the refusal is audited');

  age();
  assert.equal((await open(W.requester, 'Next window')).status, 303, 'the next window');
});

test('replies, and uploads on their own bound', async () => {
  age();
  const W = await H.workspaceWithMembers();
  const S = `/w/${W.slug}`;
  const made = await W.requester.submit(`${S}/tickets/new`, `${S}/tickets/new`, { subject: 'Reply here', body: 'x' });
  assert.equal(made.status, 303);
  const num = made.headers.location.match(/(\d+)$/)[1];
  const reply = (body) => W.agent.submit(`${S}/tickets/${num}`, `${S}/tickets/${num}/comments`, { body });
  for (let i = 0; i < 2; i++) assert.equal((await reply(`reply ${i}`)).status, 303);
  const res = await reply('Typed reply text');
  limited(res, 'third reply');
  assert.match(res.body, /Typed reply text<\/textarea>/, 'the reply is kept');
  age();
  assert.equal((await reply('next window')).status, 303, 'the next window');

  // One request with files per window; the ticket bound is not reached.
  const file = { name: 'files', filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('hello') };
  await W.requester.get(`${S}/tickets/new`);
  const up1 = await W.requester.postMultipart(`${S}/tickets/new`, { subject: 'File one', body: 'x' }, [file]);
  assert.equal(up1.status, 303);
  await W.requester.get(`${S}/tickets/new`);
  const up2 = await W.requester.postMultipart(`${S}/tickets/new`, { subject: 'File two', body: 'x' }, [file]);
  limited(up2, 'second upload');
  assert.match(up2.body, /You have sent many files/);
  assert.match(up2.body, /value="File two"/, 'what was typed is kept');
  assert.ok(audits('limit.upload') >= 1, 'the refusal is audited');
  age();
  await W.requester.get(`${S}/tickets/new`);
  const up3 = await W.requester.postMultipart(`${S}/tickets/new`, { subject: 'File three', body: 'x' }, [file]);
  assert.equal(up3.status, 303, 'the next window');
});

test('invitations and portal joins', async () => {
  age();
  const W = await H.workspaceWithMembers({ portal: true });
  const S = `/w/${W.slug}`;
  const inv = (email) => W.admin.submit(`${S}/admin/members`, `${S}/admin/members/invite`, { email, role: 'requester' });
  assert.equal((await inv(H.uniqueEmail('inv'))).status, 200);
  const typed = H.uniqueEmail('typed');
  const res = await inv(typed);
  limited(res, 'fourth invitation');
  assert.ok(res.body.includes(`value="${typed}"`), 'the address typed is kept');
  assert.ok(audits('limit.invite') >= 1, 'the refusal is audited');
  age();
  assert.equal((await inv(typed)).status, 200, 'the next window');

  // Joins: one per window; the second portal refuses with a plain 429.
  const W2 = await H.workspaceWithMembers({ portal: true });
  const joiner = W.outsider;
  assert.equal((await joiner.submit(`${S}/join`, `${S}/join`, {})).status, 303);
  const second = await joiner.submit(`/w/${W2.slug}/join`, `/w/${W2.slug}/join`, {});
  limited(second, 'second join');
  assert.ok(audits('limit.join') >= 1, 'the refusal is audited');
  age();
  assert.equal((await joiner.submit(`/w/${W2.slug}/join`, `/w/${W2.slug}/join`, {})).status, 303, 'the next window');
});

test('password change: per account', async () => {
  age();
  const c = new H.Client();
  const { res: made, email, password } = await H.signUp(c);
  assert.equal(made.status, 303);
  const change = (client) => client.submit('/account', '/account/password', { current: 'not my password', password: 'another long password' });
  for (let i = 0; i < 2; i++) assert.equal((await change(c)).status, 400);
  limited(await change(c), 'third password change');
  limited(await change(sameAccount(c)), 'same account, other address');
  age();
  assert.equal((await change(c)).status, 400, 'the next window: checked again');

  // Deleting the account deletes its counters.
  const id = H.sql(`SELECT id FROM users WHERE email = ${H.q(email)}`)[0][0];
  const rows = () => Number(H.sql(`SELECT COUNT(*) FROM rate_counts WHERE key_hash = UNHEX(SHA2('password:user:${id}', 256))`)[0][0]);
  assert.equal(rows(), 1, 'this window (the aged one went when it began)');
  await c.get('/account/delete');
  assert.equal((await c.post('/account/delete', { current: password })).status, 303);
  assert.equal(rows(), 0, 'erased with the account');
});

test('failed sign-ins mail the owner once per window, with a reset link that works', async () => {
  const owner = new H.Client();
  const { email, res: made } = await H.signUp(owner, { name: 'Owner Person' });
  assert.equal(made.status, 303);
  const kind = `kind = 'user.signin_alert' AND to_addr = ${H.q(email)}`;
  const mails = () => Number(H.sql(`SELECT COUNT(*) FROM outbox WHERE ${kind}`)[0][0]);

  const guess = async (client, who) => {
    await client.get('/signin');
    return client.post('/signin', { csrf: client.csrf(), email: who, password: 'wrong password here' });
  };
  const strip = (body) => body.replace(/name="csrf" value="[^"]*"/g, '').replace(/value="[^"]*@test\.example"/g, '');
  const a = new H.Client();
  const b = new H.Client();
  const nobody = H.uniqueEmail('nobody');
  // Two failures: no mail yet.
  for (let i = 0; i < 2; i++) assert.equal((await guess(a, email)).status, 400);
  assert.equal(mails(), 0);
  // The third, from another address: the owner is told, once.
  const third = await guess(b, email);
  const unknown = await guess(b, nobody);
  assert.equal(third.status, 400);
  assert.equal(strip(third.body), strip(unknown.body), 'the same page whether or not the account exists');
  assert.equal(mails(), 1);
  assert.equal(audits('user.signin_alert') >= 1, true);
  const mail = await H.waitForMail(email, { subject: /Failed sign-ins/ });
  assert.match(mail.text, /failed to sign in to your helpdesk account 3 times/);

  // More failures in the window: no second mail.
  for (let i = 0; i < 2; i++) assert.equal((await guess(b, email)).status, 400);
  for (let i = 0; i < 3; i++) await guess(a, nobody);
  assert.equal(mails(), 1, 'one mail per window');
  assert.equal(Number(H.sql(`SELECT COUNT(*) FROM outbox WHERE kind = 'user.signin_alert' AND to_addr = ${H.q(nobody)}`)[0][0]), 0);

  // The link works: a new password, and the owner signs in with it.
  const link = H.linkIn(mail, '/password/reset/');
  assert.ok(link, 'a reset link');
  const fresh = new H.Client();
  assert.equal((await fresh.get(link.pathname)).status, 200);
  const reset = await fresh.post(link.pathname, { csrf: fresh.csrf(), password: 'a brand new password' });
  assert.equal(reset.status, 303);
  const back = new H.Client();
  await back.get('/signin');
  const ok = await back.post('/signin', { csrf: back.csrf(), email, password: 'a brand new password' });
  assert.equal(ok.status, 303, 'signed in with the new password');

  // The next window: failures mail again.
  age();
  H.sql(`UPDATE signin_failures SET created_at = created_at - INTERVAL 1 HOUR`);
  for (let i = 0; i < 3; i++) await guess(new H.Client(), email);
  assert.equal(mails(), 2, 'the next window mails again');
});
