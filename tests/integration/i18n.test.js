// Languages (issue 13): with Accept-Language: de every page type (a
// visitor's, a requester's, an agent's, an admin's) is German: no text of
// the page (text nodes, and the placeholder, title, aria-label and alt
// attributes and submit buttons' values) is an English string of
// po/helpdesk.pot that has a different German translation, and <html
// lang="de">. The person's own setting (users.lang) wins over the header;
// the footer's switch (?lang=, kept in hd_lang) works for a visitor; a
// form error, an error page and a notification mail to a German user are
// German; responses say Vary: Accept-Language.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Client, uniqueEmail } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, invite, newUser } = require('../lib/fixtures');
const { waitForMail, part } = require('../lib/inbox');
const po = require('../lib/po');

const de = po.translations(path.join(__dirname, '..', '..', 'po', 'de.po'));
// English msgids whose German differs ("Status", "Ticket" are the same).
const english = new Set([...de].filter(([id, t]) => id !== t).map(([id]) => id));
const DE = { headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } };

const squash = (s) => s.replace(/\s+/g, ' ').trim();

// What a person reads on the page, as the HTML has it (entities kept,
// as msgids keep them): text nodes and the attributes that are read.
function texts(html) {
  const page = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<!--[\s\S]*?-->/g, '')
    .replace(/<textarea\b[^>]*>[\s\S]*?<\/textarea>/g, '<textarea>');
  const out = [];
  for (const m of page.matchAll(/>([^<]+)</g)) out.push(squash(m[1]));
  for (const m of page.matchAll(/\s(?:placeholder|title|aria-label|alt|data-label)="([^"]*)"/g)) out.push(squash(m[1]));
  for (const m of page.matchAll(/<input\b[^>]*type="(?:submit|button)"[^>]*>/g)) {
    const v = m[0].match(/\svalue="([^"]*)"/);
    if (v) out.push(squash(v[1]));
  }
  return out.filter((t) => t !== '');
}

// allow: data that is English because it was made so (the subject of a
// mail sent before, as it was sent).
function assertGerman(res, where, allow = []) {
  assert.match(res.body, /<html lang="de">/, `${where}: <html lang="de">`);
  const left = texts(res.body).filter((t) => english.has(t) && !allow.includes(t));
  assert.deepEqual([...new Set(left)], [], `${where}: English left on the page`);
}

async function german(client, url, status = 200, allow = []) {
  const res = await client.get(url, DE);
  assert.equal(res.status, status, url);
  assertGerman(res, url, allow);
  return res;
}

test('the catalogue has German for most strings (the check has it all)', () => {
  assert.ok(english.size > 500, `${english.size} strings differ in German`);
});

test('a visitor\'s pages are German with Accept-Language: de, and say so', async () => {
  const c = new Client();
  for (const url of ['/signin', '/signup', '/password/forgot', '/privacy', '/terms', '/cookies', '/contact']) {
    const res = await german(c, url);
    assert.match(res.headers.vary || '', /Accept-Language/, `${url}: Vary`);
  }
  await german(c, '/no/such/page', 404);
  // Without the header: English.
  const en = await new Client().get('/signin');
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /<h1>Sign in<\/h1>/);
});

test('a form error and an error page are German', async () => {
  const c = new Client();
  await c.get('/signin', DE);
  const res = await c.post('/signin', { email: 'nobody@example.com', password: 'wrong password here' }, DE);
  assert.equal(res.status, 400);
  assertGerman(res, 'POST /signin');
  assert.match(res.body, /Diese E-Mail-Adresse und dieses Passwort passen zu keinem Konto\./);
  await c.get('/signup', DE);
  const bad = await c.post('/signup', { name: '', email: 'not-an-address', password: 'x' }, DE);
  assert.equal(bad.status, 400);
  assertGerman(bad, 'POST /signup');
  assert.match(bad.body, /Name ist erforderlich\./);
  assert.match(bad.body, /E-Mail muss eine E-Mail-Adresse wie name@example\.com sein\./);
  assert.match(bad.body, /Passwort muss mindestens 10 Zeichen lang sein\./);
  // A form that did not come from us: the core's own error page.
  const forged = await c.post('/signin', { csrf: '0'.repeat(64), email: 'a@b.c', password: 'x' }, DE);
  assert.equal(forged.status, 403);
  assertGerman(forged, 'a forged form');
  assert.match(forged.body, /Dieses Formular ist abgelaufen/);
});

test('every page type of a workspace is German: requester, agent, admin', async () => {
  const w = await workspaceWithMembers();
  const T = `/w/${w.slug}/tickets`;
  await w.requester.get(`${T}/new`, DE);
  const opened = await w.requester.post(`${T}/new`, { subject: 'Drucker druckt nicht', body: 'Seit heute Morgen.' }, DE);
  assert.equal(opened.status, 303);
  const num = opened.headers.location.match(/(\d+)$/)[1];
  const shown = await german(w.requester, opened.headers.location);
  assert.match(shown.body, new RegExp(`Ticket #${num} eröffnet\\.`), 'the flash message');

  for (const url of ['/workspaces', '/account', '/account/privacy', '/account/delete',
    T, `${T}/new`, `${T}/${num}`]) await german(w.requester, url);
  // Its mail list shows the sign-up mail's subject as it was sent.
  await german(w.requester, '/account/data', 200, ['Confirm your email address']);
  await w.agent.get(`${T}/${num}`, DE);
  const replied = await w.agent.post(`${T}/${num}/comments`, { body: 'Wir sehen es uns an.' }, DE);
  assert.equal(replied.status, 303);
  for (const url of [T, `${T}/${num}`, `${T}?status=open`, '/account/2fa']) await german(w.agent, url);
  for (const url of ['members', 'settings', 'audit', 'usage', 'holds', 'mail', 'mail/quarantine', 'delete']) {
    await german(w.admin, `/w/${w.slug}/admin/${url}`);
  }
  // A confirmation page before a destructive action (nothing is removed
  // until confirm=1 comes back).
  await w.admin.get(`/w/${w.slug}/admin/members`, DE);
  const ask = await w.admin.post(`/w/${w.slug}/admin/members/${w.users.agent.id}/remove`, {}, DE);
  assert.equal(ask.status, 200);
  assertGerman(ask, 'the confirmation before removing a member');
  assert.match(ask.body, /Mitglied entfernen/);
  // The question names the person and the workspace, in German too.
  assert.match(ask.body, new RegExp(`${w.users.agent.name} aus [^<]+ entfernen\\?`));
  const susp = await w.admin.post(`/w/${w.slug}/admin/members/${w.users.agent.id}/suspend`, {}, DE);
  assert.equal(susp.status, 200);
  assertGerman(susp, 'the confirmation before suspending a member');
  assert.match(susp.body, new RegExp(`${w.users.agent.name} in [^<]+ sperren\\?`));
});

test('the person\'s own language wins over Accept-Language', async () => {
  const w = await workspaceWithMembers();
  sql(`UPDATE users SET lang = 'de' WHERE id = ${w.users.requester.id}`);
  sql(`UPDATE users SET lang = 'en' WHERE id = ${w.users.agent.id}`);
  const mine = await w.requester.get('/workspaces');
  assertGerman(mine, 'users.lang = de, no header');
  const theirs = await w.agent.get('/workspaces', DE);
  assert.match(theirs.body, /<html lang="en">/, 'users.lang = en beats Accept-Language: de');
  assert.match(theirs.body, /Your workspaces/);
  // Unset: the header again.
  await german(w.admin, '/workspaces');
});

test('a visitor switches with the footer\'s link, and it sticks (hd_lang)', async () => {
  const c = new Client();
  const en = await c.get('/signin');
  assert.match(en.body, /<a href="\?lang=de" lang="de" hreflang="de">Deutsch<\/a>/);
  const res = await c.get('/signin?lang=de');
  assertGerman(res, '/signin?lang=de');
  const set = (res.headers['set-cookie'] || []).find((l) => l.startsWith('hd_lang='));
  assert.match(set || '', /^hd_lang=de; Path=\/; HttpOnly; SameSite=Lax; Max-Age=31536000/);
  assertGerman(await c.get('/signup'), 'the next page, by the cookie');
  // The cookie beats the header; an unknown ?lang= changes nothing.
  assertGerman(await c.get('/signup', { headers: { 'accept-language': 'en' } }), 'cookie over header');
  const odd = await c.get('/signup?lang=xx');
  assert.ok(!(odd.headers['set-cookie'] || []).some((l) => l.startsWith('hd_lang=')), 'no cookie for xx');
  const back = await c.get('/signin?lang=en');
  assert.match(back.body, /<html lang="en">/);
  assert.match(back.body, /<h1>Sign in<\/h1>/);
});

test('a notification to a German user is German, to an English one English', async () => {
  const w = await workspaceWithMembers();
  sql(`UPDATE users SET lang = 'de' WHERE id = ${w.users.requester.id}`);
  const T = `/w/${w.slug}/tickets`;
  // The requester writes in German; the agent, whose page is English,
  // answers: the mail to the requester is still German.
  const opened = await w.requester.submit(`${T}/new`, `${T}/new`, { subject: 'Rechnung fehlt', body: 'Bitte senden.' });
  const num = opened.headers.location.match(/(\d+)$/)[1];
  const toAgent = await waitForMail(w.users.agent.email, { subject: new RegExp(`\\[#${num}\\]`) });
  assert.match(part(toAgent, 'text/plain'), /opened a new ticket/, 'the agent (no language): English');
  const r = await w.agent.submit(`${T}/${num}`, `${T}/${num}/comments`, { body: 'Ist unterwegs.' });
  assert.equal(r.status, 303);
  const m = await waitForMail(w.users.requester.email, { subject: /^AW: / });
  assert.match(m.headers.Subject, new RegExp(`^AW: \\[#${num}\\] Rechnung fehlt$`));
  const text = part(m, 'text/plain');
  const html = part(m, 'text/html');
  assert.match(text, /hat geantwortet:/);
  assert.match(text, /Sie erhalten diese E-Mail, weil Sie dieses Ticket eröffnet haben\./);
  assert.match(html, /<html lang="de">/);
  assert.doesNotMatch(text, /You get this mail/);
});

test('the pages around a workspace are German too: invitation, portal, erasure, leaving, links gone', async () => {
  const w = await workspaceWithMembers({ portal: true });
  const S = `/w/${w.slug}`;
  const { client: guest, user } = await newUser('guest');
  const link = await invite(w.admin, w.slug, user.email, 'agent');
  const inv = await german(guest, link);
  assert.match(inv.body, /als <strong>Agent<\/strong> eingeladen/, 'the role in German');
  await german(w.outsider, `${S}/join`);
  await german(w.requester, `${S}/leave`);
  await german(w.admin, `${S}/admin/members/${w.users.requester.id}/erase`);
  await german(new Client(), '/password/reset/0123456789abcdef', 410);
  await german(new Client(), '/account/deleted');
});

test('mail a person causes themself is in the language of their request', async () => {
  const c = new Client();
  const email = uniqueEmail('sprache');
  await c.get('/signup', DE);
  const res = await c.post('/signup', { name: 'Jana Beispiel', email, password: 'ein langes Passwort' }, DE);
  assert.equal(res.status, 303);
  const m = await waitForMail(email, { subject: /^Bestätigen Sie Ihre E-Mail-Adresse$/ });
  const text = part(m, 'text/plain');
  assert.match(text, /Hallo Jana Beispiel,/);
  assert.match(text, /Um zu bestätigen, dass die Adresse Ihnen gehört, öffnen Sie diesen Link:/);
  assert.match(part(m, 'text/html'), /<html lang="de">/);
});
