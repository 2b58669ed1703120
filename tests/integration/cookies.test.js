// The cookies page lists every cookie the app can set (issue 10): every
// flow that can set one is driven (sign-up, confirmation, sign-in, a
// failed sign-in, sign-out, a password reset, two-factor sign-in, forms
// before sign-in, workspace, ticket, admin and account pages, errors),
// every Set-Cookie of every response is kept, and each name must be on
// /cookies.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, signUp } = require('../lib/client');
const { waitForMail, linkIn } = require('../lib/inbox');
const { workspaceWithMembers } = require('../lib/fixtures');
const { totp } = require('../lib/totp');

// Every cookie name any client of this file was sent, and where.
const seen = new Map();
const keep = Client.prototype.keepCookies;
Client.prototype.keepCookies = function record(res) {
  for (const line of res.headers['set-cookie'] || []) {
    const name = line.slice(0, line.indexOf('=')).trim();
    if (!seen.has(name)) seen.set(name, `${res.req.method} ${res.req.path}`);
  }
  return keep.call(this, res);
};

test('no response sets a cookie that the cookies page does not list', async () => {
  const anon = new Client();
  for (const path of ['/', '/signin', '/signup', '/password/forgot', '/privacy', '/terms', '/contact', '/cookies', '/nope']) {
    await anon.get(path);
  }
  // A form refused, a POST without its token.
  await anon.submit('/signup', '/signup', { name: '', email: 'bad', password: 'x' });
  await new Client().post('/signin', { email: 'a@b.example', password: 'whatever' });

  // Sign-up and confirmation through the real mail, sign-out, a failed
  // and a good sign-in.
  const c = new Client();
  const { email, password } = await signUp(c, { name: 'Cookie Counter' });
  await c.get('/account');
  await c.submit('/account', '/signout', {});
  await c.submit('/signin', '/signin', { email, password: 'not the password' });
  await c.submit('/signin', '/signin', { email, password });

  // A password reset from another browser, through the mailed link.
  const other = new Client();
  await other.submit('/password/forgot', '/password/forgot', { email });
  const mail = await waitForMail(email, { subject: /Reset your password/ });
  const link = linkIn(mail, '/password/reset/');
  assert.ok(link, 'the reset mail has its link');
  await other.get(link.pathname);
  await other.post(link.pathname, { password: 'a brand new password' });
  await other.get('/account');
  await other.submit('/account/privacy', '/account/privacy', { purpose: 'usage', granted: '1' });

  // A workspace with every role: its pages, a ticket, admin pages.
  const w = await workspaceWithMembers();
  const base = `/w/${w.slug}`;
  const made = await w.requester.submit(`${base}/tickets/new`, `${base}/tickets/new`, { subject: 'Cookie crumbs', body: 'In the keyboard.' });
  assert.equal(made.status, 303, 'the ticket is opened');
  const ticket = made.headers.location;
  for (const [client, path] of [[w.admin, `${base}/tickets`], [w.agent, ticket], [w.requester, ticket],
    [w.admin, `${base}/admin/members`], [w.admin, `${base}/admin/settings`], [w.admin, `${base}/admin/audit`],
    [w.outsider, `${base}/tickets`], [w.admin, '/workspaces'], [w.agent, '/account']]) {
    await client.get(path);
  }
  await w.agent.submit(ticket, `${ticket}/comments`, { body: 'Found them.', internal: '0' });

  // Two-factor sign-in (issue 11): set up, then the password and the
  // code page in between, from another browser.
  // (The reset above signed c out: `other` is signed in.)
  await other.submit('/account/2fa', '/account/2fa/setup', {});
  const secret = (await other.get('/account/2fa')).body.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
  assert.equal((await other.post('/account/2fa/confirm', { code: totp(secret) })).status, 200);
  const twoStep = new Client();
  await twoStep.submit('/signin', '/signin', { email, password: 'a brand new password' });
  await twoStep.get('/signin/code');
  assert.equal((await twoStep.post('/signin/code', { code: totp(secret, 1) })).status, 303);

  const listed = [...(await new Client().get('/cookies')).body.matchAll(/<code class="cookie-name">([^<]+)<\/code>/g)]
    .map((m) => m[1]);
  assert.ok(listed.length > 0, 'the cookies page lists cookies');
  for (const [name, where] of seen) {
    assert.ok(listed.includes(name), `${name} (set by ${where}) is on the cookies page (${listed.join(', ')})`);
  }
  // The flows above did reach every cookie we know of.
  for (const name of ['hd_session', 'hd_anon', 'hd_device', 'hd_2fa', 'hd_flash']) {
    assert.ok(seen.has(name), `${name} was set by some flow`);
  }
});
