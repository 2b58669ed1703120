// Two-factor sign-in (issue 11): enrolment with the QR code and the key
// shown once, sign-in that asks for the code after the password, codes
// computed in node from the key the page showed (tests/lib/totp.js), a
// wrong or reused code refused, recovery codes used once, throttling,
// removal, a workspace that requires it of agents and admins, the audit
// rows, the export and the erasure.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Client, signUp, uniqueEmail } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q } = require('../lib/db');
const { totp, wrongCode, base32Decode } = require('../lib/totp');
const { waitForMail, linkIn } = require('../lib/inbox');

const PW = 'correct horse battery';

function userId(email) {
  return Number(sql(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0]);
}

function auditCount(uid, action) {
  return Number(sql(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'user'
    AND object_id = ${uid} AND action = ${q(action)}`)[0][0]);
}

// Turns two-factor on for the signed-in client: { secret, codes }.
// The confirming code is this step's, so the next sign-in uses step +1.
async function enrol(c) {
  const off = await c.get('/account/2fa');
  assert.equal(off.status, 200);
  assert.match(off.body, /Two-factor sign-in is <strong>off<\/strong>/);
  const setup = await c.post('/account/2fa/setup', {});
  assert.equal(setup.status, 303);
  const page = await c.get('/account/2fa');
  assert.match(page.body, /<svg[^>]*viewBox="0 0 \d+ \d+"[^>]*>.*<path fill="#000" d="M/s, 'a QR code drawn inline');
  const m = page.body.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/);
  assert.ok(m, 'the key is shown in text');
  const secret = m[1];
  assert.equal(secret.replace(/ /g, '').length, 32, '160 bits of key');
  assert.match(secret, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'in groups of four');
  const res = await c.post('/account/2fa/confirm', { code: totp(secret) });
  assert.equal(res.status, 200, 'the first code turns it on');
  assert.equal(res.headers['cache-control'], 'no-store');
  const codes = [...res.body.matchAll(/<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code><\/li>/g)].map((x) => x[1]);
  assert.equal(codes.length, 10, 'ten recovery codes, shown once');
  assert.equal(new Set(codes).size, 10);
  return { secret, codes };
}

async function person(tag) {
  const c = new Client();
  const p = await signUp(c, { name: `Tess ${tag} Factor`, email: uniqueEmail(`2fa-${tag}`) });
  assert.equal(p.res.status, 303);
  return { c, email: p.email, id: userId(p.email) };
}

// Password only: the browser is sent to the code page, with no session.
async function password(email, c = new Client()) {
  const res = await c.submit('/signin', '/signin', { email, password: PW });
  assert.equal(res.status, 303);
  return { c, res };
}

async function signedIn(c) {
  return (await c.get('/account')).status === 200;
}

test('enrolment: QR code and key until confirmed, a wrong first code refused, never shown again', async () => {
  const p = await person('enrol');
  await p.c.get('/account/2fa');
  await p.c.post('/account/2fa/setup', {});
  const page = await p.c.get('/account/2fa');
  const secret = page.body.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
  const bad = await p.c.post('/account/2fa/confirm', { code: wrongCode(secret) });
  assert.equal(bad.status, 400, 'a wrong code does not turn it on');
  assert.match(bad.body, /not the code your app shows/);
  assert.equal(sql(`SELECT enabled_at IS NULL FROM user_totp WHERE user_id = ${p.id}`)[0][0], '1');
  const res = await p.c.post('/account/2fa/confirm', { code: totp(secret) });
  assert.equal(res.status, 200);
  const after = await p.c.get('/account/2fa');
  assert.match(after.body, /<span class="badge">On<\/span>/);
  assert.ok(!after.body.includes(secret), 'the key is never shown again');
  assert.doesNotMatch(after.body, /<svg/);
  // Stored sealed: neither the key nor its base32 is in the row.
  const [[hex, len]] = sql(`SELECT HEX(secret), LENGTH(secret) FROM user_totp WHERE user_id = ${p.id}`);
  assert.equal(Number(len), 20 + 28, 'nonce, ciphertext and tag');
  assert.ok(!hex.includes(base32Decode(secret).toString('hex').toUpperCase()), 'the key is encrypted');
  // Recovery codes are stored as hashes only.
  const [[n, lens]] = sql(`SELECT COUNT(*), GROUP_CONCAT(DISTINCT LENGTH(code_hash)) FROM totp_recovery WHERE user_id = ${p.id}`);
  assert.equal(n, '10');
  assert.equal(lens, '32');
  assert.equal(auditCount(p.id, '2fa.enrol'), 1, 'enrolment is audited');
  // Setting up again while on changes nothing.
  await p.c.post('/account/2fa/setup', {});
  assert.equal(sql(`SELECT enabled_at IS NOT NULL FROM user_totp WHERE user_id = ${p.id}`)[0][0], '1');
});

test('sign-in: the password alone is not enough; the right code is; a wrong or reused one is refused', async () => {
  const p = await person('signin');
  const { secret } = await enrol(p.c);
  const { c, res } = await password(p.email);
  assert.equal(res.headers.location, '/signin/code');
  assert.ok(!c.jar.has('hd_session'), 'no session after the password');
  assert.ok(c.jar.has('hd_2fa'), 'only the signed pending state');
  assert.equal((await c.get('/account')).status, 303, 'not signed in yet');
  const form = await c.get('/signin/code');
  assert.equal(form.status, 200);
  assert.match(form.body, /Enter the 6-digit code/);

  const wrong = await c.post('/signin/code', { code: wrongCode(secret) });
  assert.equal(wrong.status, 400, 'a wrong code');
  assert.ok(!(await signedIn(c)));
  assert.equal(auditCount(p.id, '2fa.fail'), 1, 'the failure is audited');

  await c.get('/signin/code');
  const code = totp(secret, 1);	// the next step: enrolment used this one
  const ok = await c.post('/signin/code', { code });
  assert.equal(ok.status, 303, 'the code signs in');
  assert.ok(await signedIn(c));
  assert.ok(!c.jar.has('hd_2fa'), 'the pending state is removed');
  assert.equal(auditCount(p.id, '2fa.use'), 1);
  assert.ok(auditCount(p.id, 'user.signin') >= 1);

  // The same code again, from another browser with the password: refused.
  const again = await password(p.email);
  await again.c.get('/signin/code');
  const reused = await again.c.post('/signin/code', { code });
  assert.equal(reused.status, 400, 'a used code never works twice');
  assert.ok(!(await signedIn(again.c)));

  // The enrolment's own code (an older step) is refused as well.
  await again.c.get('/signin/code');
  assert.equal((await again.c.post('/signin/code', { code: totp(secret, 0) })).status, 400);
});

test('the pending state cannot be forged, and without it the code page sends back to the password', async () => {
  const p = await person('forge');
  const { secret } = await enrol(p.c);
  const c = new Client();
  assert.equal((await c.get('/signin/code')).headers.location, '/signin');
  await c.get('/signin');
  const res = await c.post('/signin/code', { code: totp(secret, 1) });
  assert.equal(res.status, 400);
  assert.match(res.body, /Sign in again/);
  c.jar.set('hd_2fa', `${p.id}.${Math.floor(Date.now() / 1000) + 100}.${'0'.repeat(64)}`);
  await c.get('/signin');
  assert.equal((await c.post('/signin/code', { code: totp(secret, 1) })).status, 400, 'a forged state');
  assert.ok(!(await signedIn(c)));
});

test('a recovery code signs in once', async () => {
  const p = await person('recovery');
  const { codes } = await enrol(p.c);
  const { c } = await password(p.email);
  await c.get('/signin/code');
  const res = await c.post('/signin/code', { code: codes[3].toUpperCase() });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/account/2fa');
  assert.ok(await signedIn(c));
  assert.match((await c.get('/account/2fa')).body, /9 of 10 recovery codes are unused/);
  assert.equal(auditCount(p.id, '2fa.recovery_use'), 1);

  const again = await password(p.email);
  await again.c.get('/signin/code');
  assert.equal((await again.c.post('/signin/code', { code: codes[3] })).status, 400, 'used up');
  assert.ok(!(await signedIn(again.c)));
});

test('wrong codes are throttled like wrong passwords', async () => {
  const p = await person('throttle');
  const { secret } = await enrol(p.c);
  const { c } = await password(p.email);
  let res;
  let tries = 0;
  for (; tries < 12; tries++) {
    await c.get('/signin/code');
    res = await c.post('/signin/code', { code: wrongCode(secret) });
    if (res.status === 429) break;
  }
  assert.equal(res.status, 429, 'refused for a while');
  assert.ok(tries <= 6, `within the per-account bound (${tries})`);
  assert.ok(Number(res.headers['retry-after']) > 0, 'with Retry-After');
  // Even the right code waits now.
  await c.get('/signin/code');
  assert.equal((await c.post('/signin/code', { code: totp(secret, 1) })).status, 429);
  assert.ok(!(await signedIn(c)));
});

test('turning it off needs the password and a current or recovery code', async () => {
  const p = await person('remove');
  const { secret, codes } = await enrol(p.c);
  await p.c.get('/account/2fa');
  let res = await p.c.post('/account/2fa/remove', { password: 'not the password', code: totp(secret, 1) });
  assert.equal(res.status, 400);
  await p.c.get('/account/2fa');
  res = await p.c.post('/account/2fa/remove', { password: PW, code: wrongCode(secret) });
  assert.equal(res.status, 400);
  assert.equal(sql(`SELECT COUNT(*) FROM user_totp WHERE user_id = ${p.id}`)[0][0], '1', 'still on');
  await p.c.get('/account/2fa');
  res = await p.c.post('/account/2fa/remove', { password: PW, code: codes[0] });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/account/2fa');
  assert.equal(sql(`SELECT COUNT(*) FROM user_totp WHERE user_id = ${p.id}`)[0][0], '0');
  assert.equal(sql(`SELECT COUNT(*) FROM totp_recovery WHERE user_id = ${p.id}`)[0][0], '0');
  assert.equal(auditCount(p.id, '2fa.remove'), 1);
  // The password alone signs in again.
  const { c, res: signin } = await password(p.email);
  assert.equal(signin.headers.location, '/');
  assert.ok(await signedIn(c));
});

test('a workspace that requires it sends agents and admins without it to enrol, and leaves requesters alone', async () => {
  const w = await workspaceWithMembers();
  const base = `/w/${w.slug}`;
  await enrol(w.admin);
  const set = await w.admin.submit(`${base}/admin/settings`, `${base}/admin/settings`,
    { name: w.wsName, require_2fa: '1', new_ticket_to: 'agents', erase_text: 'keep' });
  assert.equal(set.status, 303);
  assert.equal(sql(`SELECT require_2fa FROM workspaces WHERE slug = ${q(w.slug)}`)[0][0], '1');
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log a JOIN workspaces w ON w.id = a.workspace_id
    WHERE w.slug = ${q(w.slug)} AND a.action = 'settings.require_2fa'`)[0][0]), 1, 'the change is audited');

  for (const path of [`${base}/tickets`, `${base}/tickets/new`]) {
    const res = await w.agent.get(path);
    assert.equal(res.status, 403, `the agent is stopped at ${path}`);
    assert.match(res.body, /Two-factor sign-in required/);
    assert.match(res.body, /href="\/account\/2fa"/);
  }
  assert.equal((await w.requester.get(`${base}/tickets`)).status, 200, 'requesters are not affected');
  assert.equal((await w.admin.get(`${base}/tickets`)).status, 200, 'the admin has it on');
  assert.match((await w.admin.get(`${base}/admin/settings`)).body, /name="require_2fa" value="1" checked/);

  await enrol(w.agent);
  assert.equal((await w.agent.get(`${base}/tickets`)).status, 200, 'once enrolled, the agent is in');
});

function unpack(raw) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-2fa-export-'));
  fs.writeFileSync(path.join(dir, 'a.zip'), raw);
  execFileSync('unzip', ['-q', 'a.zip', '-d', 'out'], { cwd: dir });
  const text = fs.readFileSync(path.join(dir, 'out', 'export.json'), 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return { text, json: JSON.parse(text) };
}

test('the person\'s data: the access page and export say it is on, never the secret; erasure removes it', async () => {
  const p = await person('data');
  const before = await p.c.get('/account/data');
  assert.match(before.body, /<dt>Two-factor sign-in<\/dt><dd>Off/);
  const { secret, codes } = await enrol(p.c);
  assert.match((await p.c.get('/account/data')).body, /<dt>Two-factor sign-in<\/dt><dd>On since/);

  await p.c.get('/account');
  const res = await p.c.post('/account/export', {});
  assert.equal(res.status, 200);
  const { text, json } = unpack(res.raw);
  assert.equal(json.two_factor.enabled, 1);
  assert.match(json.two_factor.enabled_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(json.two_factor.recovery_codes_unused, 10);
  assert.ok(!text.includes(secret.replace(/ /g, '')) && !text.includes(codes[0]), 'never the secret or a code');

  await p.c.get('/account/delete');
  const del = await p.c.post('/account/delete', { current: PW });
  assert.equal(del.status, 303);
  assert.equal(sql(`SELECT COUNT(*) FROM user_totp WHERE user_id = ${p.id}`)[0][0], '0', 'the secret is gone');
  assert.equal(sql(`SELECT COUNT(*) FROM totp_recovery WHERE user_id = ${p.id}`)[0][0], '0', 'and the codes');
});

test('a password reset link does not skip the code', async () => {
  const p = await person('reset');
  const { secret } = await enrol(p.c);
  const c = new Client();
  await c.submit('/password/forgot', '/password/forgot', { email: p.email });
  const mail = await waitForMail(p.email, { subject: /Reset your password/ });
  const link = linkIn(mail, '/password/reset/');
  await c.get(link.pathname);
  const res = await c.post(link.pathname, { password: 'a new password here' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/signin/code', 'the code is asked for');
  assert.ok(!(await signedIn(c)), 'the new password alone does not sign in');
  await c.get('/signin/code');
  assert.equal((await c.post('/signin/code', { code: totp(secret, 1) })).status, 303);
  assert.ok(await signedIn(c));
});
