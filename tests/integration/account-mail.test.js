// The account's mail, read from the stack's mail catcher and followed as
// a person would: password reset, address confirmation and what an
// unconfirmed address may not do, and changing one's address.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Client, BASE, uniqueEmail, signUp, confirmEmail } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { mailsTo, waitForMail, linkIn } = require('../lib/inbox');
const { uniqueSlug, invite } = require('../lib/fixtures');

const PW = 'correct horse battery';
const NEW_PW = 'a brand new passphrase';
const idOf = (email) => Number(sql(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0]);
const main = (body) => (body.match(/<main\b[^>]*>[\s\S]*<\/main>/) || [''])[0];

// Asks for a reset link for email from client c; the mail's link (a URL).
async function askReset(c, email, count = 1) {
  const res = await c.submit('/password/forgot', '/password/forgot', { email });
  assert.equal(res.status, 200, 'the same page whatever the address');
  const mail = await waitForMail(email, { subject: /Reset your password/, count });
  const link = linkIn(mail, '/password/reset/');
  assert.ok(link, 'the mail has the reset link');
  return { res, mail, link };
}

test('the sign-in page offers "Forgot your password?"', async () => {
  const res = await new Client().get('/signin');
  assert.match(res.body, /<a href="\/password\/forgot">Forgot your password\?<\/a>/);
});

test('password reset end to end: an absolute link, a new password, every other session signed out', async () => {
  const first = new Client();
  const { email, name } = await signUp(first, { name: 'Rita Reset' });
  assert.equal((await first.get('/account')).status, 200);

  const other = new Client();
  const { mail, link } = await askReset(other, email);
  // Headers and both parts; the link is absolute, built from base_url.
  assert.equal(mail.headers['Auto-Submitted'], 'auto-generated');
  assert.match(mail.headers.To, new RegExp(email.replace(/[.+]/g, '\\$&')));
  assert.deepEqual(mail.parts.map((p) => p.type), ['text/plain', 'text/html']);
  assert.equal(link.origin, new URL(BASE).origin);
  assert.match(link.pathname, /^\/password\/reset\/[0-9a-f]{64}$/);
  assert.ok(mail.html.includes(`href="${link.href}"`), 'the HTML part has the same link');
  assert.match(mail.text, new RegExp(`Hello ${name}`));
  assert.match(mail.text, /You get this mail because/, 'the mail says why it was sent');
  assert.match(mail.text, /60 minutes/);

  // Only the token's SHA-256 is stored.
  const token = link.pathname.split('/').pop();
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  const rows = sql(`SELECT LOWER(HEX(token_hash)) FROM account_tokens WHERE user_id = ${idOf(email)} AND kind = 'reset'`);
  assert.deepEqual(rows.map((r) => r[0]), [hash]);
  assert.equal(sql(`SELECT COUNT(*) FROM account_tokens WHERE token_hash = ${q(token)}`)[0][0], '0');

  const form = await other.get(link.pathname);
  assert.equal(form.status, 200);
  assert.match(form.body, /Choose a new password/);
  const short = await other.post(link.pathname, { password: 'short' });
  assert.equal(short.status, 400, 'the new password is checked like sign-up\'s');
  const done = await other.post(link.pathname, { password: NEW_PW });
  assert.equal(done.status, 303);
  assert.equal(done.headers.location, '/account');
  const acc = await other.get(done.headers.location);
  assert.equal(acc.status, 200, 'this browser is signed in');
  assert.match(acc.body, /Your new password is set/);

  const before = await first.get('/account');
  assert.equal(before.status, 303, 'the other session was signed out');
  assert.match(before.headers.location, /^\/signin/);
  assert.equal((await new Client().submit('/signin', '/signin', { email, password: PW })).status, 400);
  assert.equal((await new Client().submit('/signin', '/signin', { email, password: NEW_PW })).status, 303);

  const audit = sql(`SELECT action FROM audit_log WHERE object_type = 'user' AND object_id = ${idOf(email)} ORDER BY id`).map((r) => r[0]);
  assert.ok(audit.includes('user.reset_request') && audit.includes('user.password_reset'), audit.join());
});

test('a reset link works once', async () => {
  const { email } = await signUp(new Client());
  const c = new Client();
  const { link } = await askReset(c, email);
  await c.get(link.pathname);
  assert.equal((await c.post(link.pathname, { password: NEW_PW })).status, 303);
  const again = new Client();
  const page = await again.get(link.pathname);
  assert.equal(page.status, 410);
  assert.match(page.body, /expired or was already used/);
  await again.get('/password/forgot');
  assert.equal((await again.post(link.pathname, { password: 'yet another passphrase' })).status, 410);
  assert.equal((await new Client().submit('/signin', '/signin', { email, password: NEW_PW })).status, 303,
    'the second use changed nothing');
});

test('an expired reset link is refused, and a newer link replaces an older one', async () => {
  const { email } = await signUp(new Client());
  const c = new Client();
  const { link: older } = await askReset(c, email);
  const { link: newer } = await askReset(c, email, 2);
  assert.notEqual(older.pathname, newer.pathname);
  assert.equal((await c.get(older.pathname)).status, 410, 'only the newest link works');
  assert.equal((await c.get(newer.pathname)).status, 200);
  sql(`UPDATE account_tokens SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE user_id = ${idOf(email)}`);
  assert.equal((await c.get(newer.pathname)).status, 410);
  await c.get('/password/forgot');
  assert.equal((await c.post(newer.pathname, { password: NEW_PW })).status, 410);
  assert.equal((await new Client().submit('/signin', '/signin', { email, password: PW })).status, 303);
});

test('an unknown address gets the same answer and no mail', async () => {
  const { email } = await signUp(new Client());
  const unknown = uniqueEmail('nobody');
  const known = await new Client().submit('/password/forgot', '/password/forgot', { email });
  const none = await new Client().submit('/password/forgot', '/password/forgot', { email: unknown });
  assert.equal(none.status, known.status);
  const strip = (b) => main(b).replace(/value="[0-9a-f]{64}"/g, '');
  assert.equal(strip(none.body), strip(known.body));
  await waitForMail(email, { subject: /Reset your password/ });
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${q(unknown)}`)[0][0], '0');
  assert.deepEqual(await mailsTo(unknown), []);
});

test('reset requests are throttled per address and per client', async () => {
  const { email } = await signUp(new Client());
  for (let i = 0; i < 3; i++) {
    const r = await new Client().submit('/password/forgot', '/password/forgot', { email });
    assert.equal(r.status, 200, `request ${i + 1}`);
  }
  const limited = await new Client().submit('/password/forgot', '/password/forgot', { email });
  assert.equal(limited.status, 429, 'the fourth for one address within the hour');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE to_addr = ${q(email)} AND kind = 'password.reset'`)[0][0], '3');

  const c = new Client();
  let status = 0;
  for (let i = 0; i < 21; i++) {
    status = (await c.submit('/password/forgot', '/password/forgot', { email: uniqueEmail('spray') })).status;
    if (i < 20) assert.equal(status, 200, `request ${i + 1} from one client`);
  }
  assert.equal(status, 429, 'the 21st from one client within the hour');
});

test('a new account confirms its address from the mail; until then it may not join a portal', async () => {
  const c = new Client();
  const { email, res } = await signUp(c, { name: 'Una Confirmed', confirm: false });
  assert.equal(res.status, 303);
  assert.equal(sql(`SELECT email_confirmed_at IS NULL FROM users WHERE email = ${q(email)}`)[0][0], '1');
  const acc = await c.get('/account');
  assert.match(acc.body, /not confirmed/);
  assert.match(acc.body, /class="confirm-banner"/);
  assert.match(acc.body, /action="\/account\/confirm"/, 'the notice offers the link again');

  // A portal open to anyone, made by a confirmed admin.
  const admin = new Client();
  await signUp(admin);
  const slug = uniqueSlug('portal');
  assert.equal((await admin.submit('/workspaces', '/workspaces', { name: 'Portal', slug })).status, 303);
  assert.equal((await admin.submit(`/w/${slug}/admin/settings`, `/w/${slug}/admin/settings`, { name: 'Portal', portal_signup: '1' })).status, 303);
  const form = await c.get(`/w/${slug}/join`);
  assert.equal(form.status, 403);
  assert.match(form.body, /confirm it first/);
  assert.equal((await c.post(`/w/${slug}/join`, {})).status, 403);
  assert.equal(sql(`SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ${q(email)}`)[0][0], '0');

  const mail = await waitForMail(email, { subject: /Confirm your email address/ });
  assert.match(mail.text, /Hello Una Confirmed/);
  const link = linkIn(mail, '/email/confirm/');
  assert.equal(link.origin, new URL(BASE).origin);
  const page = await new Client().get(link.pathname);
  assert.equal(page.status, 200, 'the link opens without signing in');
  assert.match(page.body, /Confirm this address/);
  const done = await c.post(link.pathname, {});
  assert.equal(done.status, 303);
  assert.equal(done.headers.location, '/account');
  assert.doesNotMatch((await c.get('/account')).body, /confirm-banner/);
  assert.equal((await c.get(link.pathname)).status, 410, 'a confirmation link works once');

  assert.equal((await c.get(`/w/${slug}/join`)).status, 200, 'confirming lifts it');
  assert.equal((await c.post(`/w/${slug}/join`, {})).status, 303);
  const audit = sql(`SELECT action FROM audit_log WHERE object_id = ${idOf(email)} AND object_type = 'user'`).map((r) => r[0]);
  assert.ok(audit.includes('user.email_confirm'), audit.join());
});

test('an unconfirmed address may not accept an invitation, be copied, or have a ticket opened for it', async () => {
  // Una signs up unconfirmed and makes her own workspace (she may), and
  // invites a confirmed agent, who then tries to name her.
  const una = new Client();
  const { email } = await signUp(una, { name: 'Una Named', confirm: false });
  const slug = uniqueSlug('unconf');
  assert.equal((await una.submit('/workspaces', '/workspaces', { name: 'Unconfirmed Co', slug })).status, 303);
  const agent = new Client();
  const { email: agentEmail } = await signUp(agent, { name: 'Agent Ada' });
  await agent.get('/workspaces');
  const link = await invite(una, slug, agentEmail, 'agent');
  assert.equal((await agent.submit(link, link, {})).status, 303, 'a confirmed agent accepts');

  const opened = await agent.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, {
    subject: 'For Una', body: 'Opened on her behalf', requester: email,
  });
  assert.equal(opened.status, 400);
  assert.match(opened.body, /has not confirmed their email address/);
  const mine = await agent.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, { subject: 'Mine', body: 'x' });
  assert.equal(mine.status, 303);
  const num = mine.headers.location.split('/').pop();
  const triage = async () => {
    const page = await agent.get(`/w/${slug}/tickets/${num}`);
    const version = (page.body.match(/name="version" value="(\d+)"/) || [])[1];
    return agent.post(`/w/${slug}/tickets/${num}`, {
      version, status: 'open', priority: 'normal', assignee: 'none', tags: '', cc: email,
    });
  };
  const copied = await triage();
  assert.equal(copied.status, 400);
  assert.match(copied.body, /confirmed their email address can be copied/);

  // An invitation to her address, from another workspace.
  const other = new Client();
  const { email: otherEmail } = await signUp(other);
  void otherEmail;
  const slug2 = uniqueSlug('inv');
  assert.equal((await other.submit('/workspaces', '/workspaces', { name: 'Inviting Co', slug: slug2 })).status, 303);
  const inv = await invite(other, slug2, email, 'requester');
  const refused = await una.get(inv);
  assert.equal(refused.status, 403);
  assert.match(refused.body, /confirm yours first/);
  assert.equal((await una.post(inv, {})).status, 403);

  // The banner's "send the link again", then the link: each refusal lifts.
  await una.get('/account');
  assert.equal((await una.post('/account/confirm', {})).status, 303);
  await waitForMail(email, { subject: /Confirm your email address/, count: 2 });
  await confirmEmail(una, email);
  assert.equal((await una.submit(inv, inv, {})).status, 303, 'the invitation is accepted');
  const again = await agent.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, {
    subject: 'For Una', body: 'Opened on her behalf', requester: email,
  });
  assert.equal(again.status, 303, 'a ticket is opened for her');
  assert.equal((await triage()).status, 303, 'she is copied');
});

test('changing one\'s address takes effect when the new address confirms, and the old one is told', async () => {
  const c = new Client();
  const { email: old, name } = await signUp(c, { name: 'Carl Change' });
  const taken = (await signUp(new Client())).email;
  await c.get('/account');
  let r = await c.post('/account/email', { email: taken, email_current: PW });
  assert.equal(r.status, 400);
  assert.match(r.body, /already exists/);
  r = await c.post('/account/email', { email: uniqueEmail('new'), email_current: 'wrong password here' });
  assert.equal(r.status, 400);
  assert.match(r.body, /not your current password/);

  const fresh = uniqueEmail('new');
  r = await c.post('/account/email', { email: fresh, email_current: PW });
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/account');
  assert.equal(sql(`SELECT email FROM users WHERE id = ${idOf(old)}`)[0][0], old, 'nothing changes before the link');
  const mail = await waitForMail(fresh, { subject: /Confirm your new email address/ });
  assert.match(mail.text, new RegExp(`instead of\\s+${old.replace(/[.+]/g, '\\$&')}`));
  const link = linkIn(mail, '/email/confirm/');
  await c.get(link.pathname);
  const done = await c.post(link.pathname, {});
  assert.equal(done.status, 303);
  const acc = await c.get('/account');
  assert.ok(acc.body.includes(fresh), 'the account has the new address');

  const told = await waitForMail(old, { subject: /Your email address was changed/ });
  assert.ok(told.text.includes(fresh));
  assert.match(told.text, new RegExp(`Hello ${name}`));
  assert.doesNotMatch(told.text, /\/(email|password)\//, 'no link in it can undo the change');
  assert.doesNotMatch(told.html, /href=/);

  assert.equal((await new Client().submit('/signin', '/signin', { email: fresh, password: PW })).status, 303);
  assert.equal((await new Client().submit('/signin', '/signin', { email: old, password: PW })).status, 400);
  const audit = sql(`SELECT action FROM audit_log WHERE object_id = ${idOf(fresh)} AND object_type = 'user'`).map((x) => x[0]);
  assert.ok(audit.includes('user.email_change_request') && audit.includes('user.email_change'), audit.join());
});

test('too many failed sign-ins: the 429 page links the password reset', async () => {
  const { email } = await signUp(new Client());
  const c = new Client();
  let res;
  for (let i = 0; i < 7; i++) res = await c.submit('/signin', '/signin', { email, password: 'not the password' });
  assert.equal(res.status, 429);
  assert.match(res.body, /<a href="\/password\/forgot">Reset your password<\/a>/);
});

test('reset and confirmation tokens never reach the logs', async () => {
  const { email } = await signUp(new Client());
  const { link } = await askReset(new Client(), email);
  const token = link.pathname.split('/').pop();
  await new Client().get(link.pathname);
  const dir = path.join(process.env.HD_STACK_DIR, 'log');
  // The stack's nginx log, or the production example's (tests/tls/run).
  const access = process.env.HD_ACCESS_LOG
    || path.join(process.env.HD_STACK_DIR, 'nginx', 'logs', 'access.log');
  for (const f of [...fs.readdirSync(dir).map((x) => path.join(dir, x)), access]) {
    const text = fs.readFileSync(f, 'latin1');
    assert.ok(!text.includes(token), `${f} does not hold the token`);
  }
  assert.match(fs.readFileSync(path.join(dir, 'app.log'), 'utf8'), /GET \/password\/reset\/\[secret\]/);
  assert.match(fs.readFileSync(access, 'utf8'), /GET \/password\/reset\/\[secret\] /);
});
