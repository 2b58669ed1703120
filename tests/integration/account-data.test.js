// "Your data" (/account/data), the right of access: a person signed in
// from two browsers at two addresses sees both sessions in words with
// their addresses, their sign-ins and a failed one, their consents and
// what they wrote; signs one browser out, then all others; and sees
// nothing of anyone else. And the correction of one's name on /account.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, uniqueEmail, signUp } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { uniqueSlug, invite } = require('../lib/fixtures');

const UA = {
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  android: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) '
    + 'Chrome/120.0.6099.144 Mobile Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 '
    + '(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.2; rv:121.0) Gecko/20100101 Firefox/121.0',
};

// A client that sends a browser's User-Agent on every request, from a
// loopback address of the test's choosing.
class Browser extends Client {
  constructor(ua, localAddress) {
    super({ localAddress });
    this.ua = ua;
  }

  request(method, path, opts = {}) {
    return super.request(method, path, { ...opts, headers: { 'user-agent': this.ua, ...(opts.headers || {}) } });
  }
}

// Addresses of this run: 127.N.10.x, N picked once, so a run's addresses
// are its own.
const NET = `127.${10 + Math.floor(Math.random() * 200)}.10`;
const PW = 'correct horse battery';
const main = (body) => (body.match(/<main\b[^>]*>[\s\S]*<\/main>/) || [''])[0];
const idOf = (email) => Number(sql(`SELECT id FROM users WHERE email = ${q(email)}`)[0][0]);

async function signIn(c, email, password = PW) {
  return c.submit('/signin', '/signin', { email, password });
}

// Whether c is signed in: /account answers it, or sends it to sign in.
async function signedIn(c) {
  const res = await c.get('/account');
  assert.ok(res.status === 200 || res.status === 303, `/account: ${res.status}`);
  return res.status === 200;
}

// The session ids the data page offers to sign out.
const endable = (body) => [...body.matchAll(/action="\/account\/sessions\/(\d+)\/end"/g)].map((m) => m[1]);

const file = (filename, data) => ({ name: 'files', filename, contentType: 'text/plain', data });

test('Your data: sessions in words, sign-ins, a failure, consents and counts; one session and then all others signed out', async () => {
  // Someone else, with a distinctive browser and address of their own.
  const other = new Browser(UA.iphone, `${NET}.25`);
  const o = await signUp(other, { name: 'Olga Otherperson', email: uniqueEmail('other') });
  assert.equal(o.res.status, 303);
  assert.equal((await signIn(new Browser(UA.iphone, `${NET}.26`), o.email, 'wrong password!')).status, 400);

  const a = new Browser(UA.firefox, `${NET}.23`);
  const me = await signUp(a, { name: 'Ada Accessright', email: uniqueEmail('access') });
  assert.equal(me.res.status, 303);
  const b = new Browser(UA.android, `${NET}.24`);
  assert.equal((await signIn(b, me.email)).status, 303, 'signed in from the phone');
  // One failed sign-in against my address, from a third place.
  const bad = await signIn(new Browser(UA.mac, `${NET}.27`), me.email, 'not my password');
  assert.equal(bad.status, 400);

  // What I wrote: a ticket in my workspace, a reply with a file.
  const slug = uniqueSlug('data');
  assert.equal((await a.submit('/workspaces', '/workspaces', { name: `Data ${slug}`, slug })).status, 303);
  await a.get(`/w/${slug}/tickets/new`);
  const t = await a.postMultipart(`/w/${slug}/tickets/new`, { subject: 'Printer on fire', body: 'It is on fire.' });
  assert.equal(t.status, 303);
  await a.get(t.headers.location);
  const r = await a.postMultipart(`${t.headers.location}/comments`, { body: 'Still burning.', internal: '0' },
    [file('log.txt', 'smoke\n')]);
  assert.equal(r.status, 303);

  // A consent given and withdrawn (the consent page is another part's).
  const id = idOf(me.email);
  sql(`INSERT INTO consents (user_id, purpose, granted, policy_version, created_at) VALUES
       (${id}, 'usage', 1, 'v-test-1', UTC_TIMESTAMP() - INTERVAL 1 HOUR),
       (${id}, 'usage', 0, 'v-test-1', UTC_TIMESTAMP())`);

  // A policy version accepted (recorded by the sign-up of another part).
  sql(`INSERT INTO policy_acks (user_id, version, how, created_at) VALUES (${id}, 'v-test-1', 'signup', UTC_TIMESTAMP())`);
  // Invited to someone else's workspace, not yet accepted.
  const host = new Client();
  await signUp(host, { name: 'Hal Host' });
  const hostSlug = uniqueSlug('host');
  assert.equal((await host.submit('/workspaces', '/workspaces', { name: `Hosted ${hostSlug}`, slug: hostSlug })).status, 303);
  await invite(host, hostSlug, me.email, 'agent');
  // A new address asked for, waiting for its link.
  const newAddr = uniqueEmail('moved');
  assert.equal((await a.submit('/account', '/account/email', { email: newAddr, email_current: PW })).status, 303);

  // The account page links it.
  assert.match((await a.get('/account')).body, /<a href="\/account\/data">Your data<\/a>/);
  const res = await a.get('/account/data');
  assert.equal(res.status, 200);
  const page = main(res.body);
  // Profile and workspace.
  assert.ok(page.includes('Ada Accessright') && page.includes(me.email));
  assert.match(page, /\(confirmed\)/);
  assert.match(page, new RegExp(`<dt>New address, waiting for its link</dt><dd>${newAddr.replace(/[.+]/g, '\\$&')} `));
  assert.match(page, new RegExp(`Data ${slug}</a></td><td>admin</td>`));
  // Both sessions, in words, with their addresses; this one marked.
  assert.match(page, /<td>Firefox on Windows <span class="badge">this browser<\/span><\/td>\s*<td>[\d.]+\.23<\/td>/);
  assert.ok(page.includes(`${NET}.23`), 'this browser\'s address');
  assert.match(page, new RegExp(`<td>Chrome on an Android phone</td>\\s*<td>${NET.replace(/\./g, '\\.')}\\.24</td>`));
  // The sign-in from the phone, and the failure from the third place.
  assert.match(page, new RegExp(`<td>${NET.replace(/\./g, '\\.')}\\.24</td><td>Chrome on an Android phone</td>`));
  assert.match(page, new RegExp(`<td class="nowrap"><time datetime="[\\dT:-]+Z" title="[^"]+ UTC">[^<]+</time></td><td>${NET.replace(/\./g, '\\.')}\\.27</td></tr>`));
  assert.match(page, /1 kept: a wrong password/);
  // Consents, newest first.
  assert.match(page, /<td>Usage analytics<\/td>\s*<td>Withdrawn<\/td>[\s\S]*<td>Usage analytics<\/td>\s*<td>Granted<\/td>/);
  assert.ok(page.includes('v-test-1'));
  // The policy version, the invitation and the mail to my address.
  assert.match(page, /<td>v-test-1<\/td><td>Accepted at sign-up<\/td>/);
  assert.match(page, new RegExp(`<td>Hosted ${hostSlug}</td><td>agent</td><td class="nowrap"><time datetime="[\\dT:-]+Z" title="[^"]+ UTC">[^<]+</time></td><td>Open</td>`));
  assert.match(page, /<td>Confirm your email address<\/td><td>(Sent|Waiting)<\/td>/);
  assert.ok(!page.includes('Confirm your new email address'), 'the mail to the new address is not mine yet');
  assert.ok(!page.includes('Hal Host'), 'the inviter is not named');
  // What I wrote.
  assert.match(page, /<strong>1<\/strong> tickets requested/);
  assert.match(page, /<strong>1<\/strong> replies/);
  assert.match(page, /<strong>0<\/strong> internal notes/);
  assert.match(page, /<strong>1<\/strong> files uploaded/);
  // Nothing of the other person: not their name, address, places, browser.
  for (const s of ['Olga', o.email, `${NET}.25`, `${NET}.26`, 'iPhone']) {
    assert.ok(!page.includes(s), `the page shows ${s}`);
  }
  // Only other sessions have a sign-out button; the raw header is not shown.
  const ids = endable(page);
  assert.equal(ids.length, 1, 'one other session');
  assert.ok(!page.includes('Gecko/20100101'), 'words, not the header');

  // Another person's session: 404, and it stays alive.
  const [[otherSession]] = sql(`SELECT id FROM sessions WHERE user_id = ${idOf(o.email)} ORDER BY id DESC LIMIT 1`);
  const theirs = await a.post(`/account/sessions/${otherSession}/end`, { confirm: '1' });
  assert.equal(theirs.status, 404);
  assert.ok(await signedIn(other), 'the other person is still signed in');

  // Signing the phone out: its next request is anonymous.
  await a.get('/account/data');
  const end = await a.post(`/account/sessions/${ids[0]}/end`, { confirm: '1' });
  assert.equal(end.status, 303);
  assert.equal(end.headers.location, '/account/data');
  // The message shows on the page the redirect leads to (flash.test.js).
  const after = main((await a.get('/account/data')).body);
  assert.equal(await signedIn(b), false, 'the phone is signed out');
  assert.ok(await signedIn(a), 'this browser is still signed in');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE actor_id = ${id} AND action = 'user.session_end'
                    AND object_id = ${ids[0]}`)[0][0], '1');
  assert.match(after, /That session was signed out\./);
  assert.ok(!after.includes(`${NET}.24</td>\n    <td class="nowrap">`), 'the phone\'s session is gone');
  assert.deepEqual(endable(after), []);
  assert.ok(!after.includes('Sign out all other sessions'), 'no others, no button');

  // Two more browsers; "sign out all others" ends both, not this one.
  const c = new Browser(UA.mac, `${NET}.28`);
  assert.equal((await signIn(b, me.email)).status, 303);
  assert.equal((await signIn(c, me.email)).status, 303);
  const two = main((await a.get('/account/data')).body);
  assert.equal(endable(two).length, 2);
  assert.match(two, /Firefox on macOS/);
  const all = await a.post('/account/sessions/others', { confirm: '1' });
  assert.equal(all.status, 303);
  assert.equal(all.headers.location, '/account/data');
  assert.match(main((await a.get('/account/data')).body), /Every other session was signed out\./);
  assert.equal(await signedIn(b), false);
  assert.equal(await signedIn(c), false);
  assert.ok(await signedIn(a));
  assert.ok(await signedIn(other), 'nobody else was signed out');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE actor_id = ${id}
                    AND action = 'user.sessions_end_others'`)[0][0], '1');
});

test('signing out this browser from Your data signs it out', async () => {
  const a = new Browser(UA.firefox, `${NET}.30`);
  const me = await signUp(a, { name: 'Sam Self', email: uniqueEmail('self') });
  assert.equal(me.res.status, 303);
  const [[mine]] = sql(`SELECT id FROM sessions WHERE user_id = ${idOf(me.email)}`);
  await a.get('/account/data');
  const res = await a.post(`/account/sessions/${mine}/end`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/signin');
  assert.equal(await signedIn(a), false);
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE id = ${mine}`)[0][0], '0');
});

test('Your data is for the signed-in only; a session id that is not a number is a 404', async () => {
  const anon = new Client();
  const res = await anon.get('/account/data');
  assert.equal(res.status, 303);
  assert.match(res.headers.location, /^\/signin/);
  const a = new Client();
  await signUp(a, { name: 'Nora Number' });
  await a.get('/account/data');
  assert.equal((await a.post('/account/sessions/abc/end', { confirm: '1' })).status, 404);
  assert.equal((await a.post('/account/sessions/0/end', { confirm: '1' })).status, 404);
  assert.equal((await a.post('/account/sessions/99999999999/end', { confirm: '1' })).status, 404);
  assert.ok(await signedIn(a));
});

test('a person corrects their name: checked as at sign-up, audited, the page says so', async () => {
  const a = new Client();
  const me = await signUp(a, { name: 'Wrong Name', email: uniqueEmail('rename') });
  const id = idOf(me.email);

  const empty = await a.submit('/account', '/account/name', { name: '   ' });
  assert.equal(empty.status, 400);
  assert.match(main(empty.body), /class="field-error"/);
  const long = 'x'.repeat(101);
  const tooLong = await a.submit('/account', '/account/name', { name: long });
  assert.equal(tooLong.status, 400);
  assert.ok(tooLong.body.includes(`value="${long}"`), 'what was typed is kept');
  assert.equal(sql(`SELECT name FROM users WHERE id = ${id}`)[0][0], 'Wrong Name');

  const ok = await a.submit('/account', '/account/name', { name: '  Right <Name>  ' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.location, '/account');
  assert.equal(sql(`SELECT name FROM users WHERE id = ${id}`)[0][0], 'Right <Name>');
  const page = await a.get('/account');
  assert.match(main(page.body), /Your name was changed\./);
  assert.ok(page.body.includes('value="Right &lt;Name&gt;"'), 'escaped in the form');
  assert.ok(!page.body.includes('<Name>'));
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE actor_id = ${id} AND action = 'user.name_change'`)[0][0], '1');
  // Anyone else's name is untouched; a request without CSRF is refused.
  const forged = await a.post('/account/name', { csrf: '0'.repeat(64), name: 'Forged' });
  assert.equal(forged.status, 403);
  assert.equal(sql(`SELECT name FROM users WHERE id = ${id}`)[0][0], 'Right <Name>');
});
