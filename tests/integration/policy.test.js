// The privacy policy's own pages and promises (issue 10): the policy,
// terms, contact and cookies pages from the configured files, linked
// from every footer and the sign-up form; sign-up records the version
// accepted; optional processing is off until granted, can be withdrawn,
// and every choice is kept with its time and policy version.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, signUp } = require('../lib/client');
const { sql, q, conf } = require('../lib/db');

const VERSION = conf().policy_version || '2026-01-16';
const idOf = (email) => sql(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0];

test('the policy, terms, contact and cookies pages are served, each with the version', async () => {
  const c = new Client();
  const pages = {
    '/privacy': /<h1>Privacy policy<\/h1>/,
    '/terms': /<h1>Terms of service<\/h1>/,
    '/contact': /<h1>Contact<\/h1>/,
    '/cookies': /<h1>Cookies<\/h1>/,
  };
  for (const [path, h1] of Object.entries(pages)) {
    const res = await c.get(path);
    assert.equal(res.status, 200, path);
    assert.match(res.body, h1, path);
    assert.ok(res.body.includes(VERSION), `${path} shows version ${VERSION}`);
  }
});

test('the policy is the seed text as a page: its sections, no scrape debris, the configured contact', async () => {
  const body = (await new Client().get('/privacy')).body;
  for (const h of ['1. Introduction', '2. Information we collect', '2.1 Information you provide',
    '3. How we use your information', '4. Legal basis for processing', '5. Sharing of information',
    '6. Data security and retention', '7. Your rights', '8. Contact us']) {
    assert.match(body, new RegExp(`<h[23]>${h.replace(/\./g, '\\.')}</h[23]>`), h);
  }
  assert.match(body, /<li>Exporting your data in a portable format, where applicable\.<\/li>/);
  for (const junk of ['App icon', 'Loading...', 'leap-img', 'leapimg', 'Email address']) {
    assert.ok(!body.includes(junk), `no "${junk}"`);
  }
  const contact = conf().contact_email;
  assert.ok(contact, 'the test stack configures contact_email');
  // A link since Markdown has GitHub's autolinks (issue 13).
  assert.ok(body.includes(`<p><a href="mailto:${contact}">${contact}</a></p>`), 'section 8 names the configured address');
  const page = (await new Client().get('/contact')).body;
  assert.ok(page.includes(`>${contact}</a>`), 'the contact page shows it');
  assert.match(page, /href="mailto:/);
});

test('every footer and the sign-up form link the policy pages; the old 404 link is gone', async () => {
  const anon = new Client();
  const { email } = await signUp(new Client());
  const user = new Client();
  await user.submit('/signin', '/signin', { email, password: 'correct horse battery' });
  for (const [c, path] of [[anon, '/signin'], [anon, '/signup'], [anon, '/nothing-here'], [user, '/workspaces'],
    [user, '/account'], [anon, '/privacy']]) {
    const body = (await c.get(path)).body;
    const foot = (body.match(/<footer[\s\S]*<\/footer>/) || [''])[0];
    for (const href of ['/privacy', '/terms', '/cookies', '/contact']) {
      assert.ok(foot.includes(`href="${href}"`), `${path}'s footer links ${href}`);
    }
    assert.ok(!body.includes('/static/privacy.html'), path);
  }
  const form = (await anon.get('/signup')).body;
  const inForm = (form.match(/<form method="post" action="\/signup"[\s\S]*?<\/form>/) || [''])[0];
  assert.match(inForm, /By creating an account you accept the <a href="\/terms">terms of service<\/a> and the <a href="\/privacy">privacy policy<\/a>/);
});

test('sign-up records the version accepted, and the new account sees no notice', async () => {
  const c = new Client();
  const { res, email } = await signUp(c);
  assert.equal(res.status, 303);
  const id = idOf(email);
  assert.deepEqual(sql(`SELECT version, how FROM policy_acks WHERE user_id = ${id}`), [[VERSION, 'signup']]);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE actor_id = ${id} AND action = 'user.policy_accept'`)[0][0], '1');
  const page = await c.get('/workspaces');
  assert.doesNotMatch(page.body, /We updated our/);
});

test('a person without a record of the current version sees the notice once, and it is recorded', async () => {
  const c = new Client();
  const { email } = await signUp(c);
  const id = idOf(email);
  // As if they had signed up under an older version.
  sql(`UPDATE policy_acks SET version = 'old-version' WHERE user_id = ${id}`);
  // The core's own 404 (before a handler) neither shows nor records it.
  assert.doesNotMatch((await c.get('/no-such-page')).body, /We updated our/);
  assert.equal(sql(`SELECT COUNT(*) FROM policy_acks WHERE user_id = ${id} AND version = ${q(VERSION)}`)[0][0], '0');
  const first = await c.get('/workspaces');
  assert.match(first.body, /We updated our <a href="\/privacy">privacy policy<\/a>/);
  assert.deepEqual(sql(`SELECT how FROM policy_acks WHERE user_id = ${id} AND version = ${q(VERSION)}`), [['notice']]);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE actor_id = ${id} AND action = 'user.policy_notice'`)[0][0], '1');
  for (const path of ['/workspaces', '/account', '/privacy']) {
    assert.doesNotMatch((await c.get(path)).body, /We updated our/, `not again on ${path}`);
  }
});

test('privacy choices: off by default, granted, withdrawn, each kept with time and version, audited', async () => {
  const c = new Client();
  const { email } = await signUp(c);
  const id = idOf(email);
  const acc = await c.get('/account');
  assert.match(acc.body, /href="\/account\/privacy"/, 'the account page links the choices');

  let page = await c.get('/account/privacy');
  assert.equal(page.status, 200);
  const state = (body, p) => (body.match(new RegExp(`id="consent-${p}"[\\s\\S]*?class="consent-state">(\\w+)<`)) || [])[1];
  assert.equal(state(page.body, 'usage'), 'Off');
  assert.equal(state(page.body, 'product_mail'), 'Off');
  assert.match(page.body, /Usage analytics/);
  assert.match(page.body, /Product email/);
  assert.match(page.body, /You have not made any choice yet/);

  let res = await c.post('/account/privacy', { purpose: 'usage', granted: '1' });
  assert.equal(res.status, 303);
  page = await c.get(res.headers.location);
  assert.equal(state(page.body, 'usage'), 'Allowed');
  assert.equal(state(page.body, 'product_mail'), 'Off', 'one purpose at a time');

  res = await c.post('/account/privacy', { purpose: 'usage', granted: '0' });
  assert.equal(res.status, 303);
  page = await c.get(res.headers.location);
  assert.equal(state(page.body, 'usage'), 'Off');
  const rows = [...page.body.matchAll(/<li><span class="nowrap"><time datetime="[\dT:-]+Z" title="[^"]+ UTC">[^<]+<\/time><\/span>: ([^<]+) <strong>(\w+)<\/strong> <span class="muted">\(policy version ([^)]+)\)<\/span><\/li>/g)]
    .map((m) => [m[1], m[2], m[3]]);
  assert.deepEqual(rows, [['Usage analytics', 'withdrawn', VERSION], ['Usage analytics', 'allowed', VERSION]]);

  assert.deepEqual(sql(`SELECT purpose, granted, policy_version FROM consents WHERE user_id = ${id} ORDER BY id`),
    [['usage', '1', VERSION], ['usage', '0', VERSION]]);
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE actor_id = ${id} AND action LIKE 'consent.%' ORDER BY id`),
    [['consent.grant'], ['consent.withdraw']]);

  const bad = await c.post('/account/privacy', { purpose: 'advertising', granted: '1' });
  assert.equal(bad.status, 400, 'an unknown purpose is refused');
  const none = await new Client().get('/account/privacy');
  assert.equal(none.status, 303, 'signed out: to sign in');
  assert.equal(sql(`SELECT COUNT(*) FROM consents WHERE user_id = ${id}`)[0][0], '2');
});
