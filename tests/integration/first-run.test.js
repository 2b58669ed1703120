// First run (issue 13): what a visitor, a new workspace and an admin
// inviting their team see. "/" is a landing page for visitors (signed-in
// people still go on to their workspaces); a workspace without a ticket
// shows next steps instead of "No tickets match." (not when tickets
// exist, nor for a filter that matches none); every form with a file
// input says the limits, and each refusal names its own; inviting answers a
// page with the absolute link in a read-only field and a Copy button for
// the optional script; suspending and lifting a suspension ask first.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, BASE } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers, uniqueSlug, newUser } = require('../lib/fixtures');

const main = (body) => (body.match(/<main\b[^>]*>[\s\S]*<\/main>/) || [''])[0];
const unescape = (s) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const STEPS = 'No tickets yet: getting started';
const FIRST_REQUEST = 'Open your first request';

// A new workspace of a new admin: [admin client, slug].
async function freshWorkspace() {
  const { client } = await newUser('admin');
  const slug = uniqueSlug('first');
  const res = await client.submit('/workspaces', '/workspaces', { name: `First ${slug}`, slug });
  assert.equal(res.status, 303);
  return [client, slug];
}

async function openTicket(c, slug, subject) {
  const res = await c.submit(`/w/${slug}/tickets/new`, `/w/${slug}/tickets/new`, { subject, body: 'Text' });
  assert.equal(res.status, 303, `opening ${subject}`);
}

test('a visitor at / reads what this is, with sign-in, sign-up and the policy; a signed-in person goes on as before', async () => {
  const res = await new Client().get('/');
  assert.equal(res.status, 200);
  assert.match(res.body, /<title>A privacy-first helpdesk · Helpdesk<\/title>/);
  const m = main(res.body);
  assert.match(m, /<h1>A helpdesk that keeps your data yours<\/h1>/);
  for (const words of [/Tickets\./, /Internal notes\./, /Mail in and out\./, /Your data is yours\./]) assert.match(m, words);
  for (const href of ['/signin', '/signup', '/privacy', '/terms']) assert.ok(m.includes(`href="${href}"`), href);
  assert.doesNotMatch(res.body, /<script/, 'no script on the landing page');

  const { client } = await newUser('requester');
  const home = await client.get('/');
  assert.equal(home.status, 303);
  assert.equal(home.headers.location, '/workspaces');
});

test('a new workspace shows its admin the next steps, with the members page, a new ticket and the portal', async () => {
  const [admin, slug] = await freshWorkspace();
  let m = main((await admin.get(`/w/${slug}/tickets`)).body);
  assert.ok(m.includes(STEPS));
  assert.doesNotMatch(m, /No tickets match\./);
  assert.ok(m.includes(`href="/w/${slug}/admin/members">Invite your team</a>`));
  assert.ok(m.includes(`href="/w/${slug}/tickets/new">Open the first ticket</a>`));
  assert.match(m, /The portal is closed/);
  assert.ok(m.includes(`href="/w/${slug}/admin/settings">Open it in Settings</a>`));

  // The portal open and an inbound address set: its absolute link, and
  // the address mail opens tickets at.
  const inbound = `${slug}@support.example.org`;
  const set = await admin.submit(`/w/${slug}/admin/settings`, `/w/${slug}/admin/settings`,
    { name: `First ${slug}`, portal_signup: '1', inbound_address: inbound });
  assert.equal(set.status, 303);
  m = main((await admin.get(`/w/${slug}/tickets`)).body);
  assert.ok(m.includes(`value="${BASE.replace(/\/$/, '')}/w/${slug}/join"`), 'the portal link, absolute');
  assert.ok(m.includes(`<strong class="break">${inbound}</strong>`), 'the inbound address');
  assert.match(m, /<button type="button" class="copy" data-copy="portal-link" [^>]*hidden>/);

  // Also with a filter: there is nothing at all to filter yet.
  assert.ok(main((await admin.get(`/w/${slug}/tickets?status=open`)).body).includes(STEPS));

  // One ticket: the queue as before, and a filter that matches none says so.
  await openTicket(admin, slug, 'The first one');
  m = main((await admin.get(`/w/${slug}/tickets`)).body);
  assert.ok(!m.includes(STEPS));
  assert.match(m, /The first one/);
  m = main((await admin.get(`/w/${slug}/tickets?status=closed`)).body);
  assert.ok(!m.includes(STEPS), 'not for an empty filter result');
  assert.match(m, /No tickets match\./);
  m = main((await admin.get(`/w/${slug}/tickets?q=zebrafinch`)).body);
  assert.ok(!m.includes(STEPS), 'not for a search that finds nothing');
  assert.match(m, /No tickets match\./);
});

test('an agent sees the steps without the invitation; a requester with no ticket is asked to open one', async () => {
  const W = await workspaceWithMembers();
  let m = main((await W.agent.get(`/w/${W.slug}/tickets`)).body);
  assert.ok(m.includes(STEPS));
  assert.ok(!m.includes('Invite your team'), 'agents do not manage members');
  assert.ok(!m.includes('Settings</a> to'), 'nor settings');

  m = main((await W.requester.get(`/w/${W.slug}/tickets`)).body);
  assert.ok(!m.includes(STEPS));
  assert.ok(m.includes(`<a class="button" href="/w/${W.slug}/tickets/new">${FIRST_REQUEST}</a>`));
  assert.doesNotMatch(m, /No tickets match\./);

  // The agent opens a ticket for someone else: the workspace is not
  // empty any more, but the requester still has none of their own.
  await openTicket(W.agent, W.slug, 'An agent\'s own ticket');
  assert.ok(!main((await W.agent.get(`/w/${W.slug}/tickets`)).body).includes(STEPS));
  assert.ok(main((await W.requester.get(`/w/${W.slug}/tickets`)).body).includes(FIRST_REQUEST));
  await openTicket(W.requester, W.slug, 'My first request');
  m = main((await W.requester.get(`/w/${W.slug}/tickets`)).body);
  assert.ok(!m.includes(FIRST_REQUEST));
  assert.match(m, /My first request/);
  m = main((await W.requester.get(`/w/${W.slug}/tickets?status=closed`)).body);
  assert.ok(!m.includes(FIRST_REQUEST), 'not for an empty filter result');
  assert.match(m, /No tickets match\./);
});

test('every form with a file input says the limits, and too many files are refused naming the limit', async () => {
  const W = await workspaceWithMembers();
  // The stack's defaults: 10 files of 25 MB, 50 MB (max_request) in all.
  const LIMITS = '<p class="hint" id="files-hint">Up to 10 files, 25 MB each, 50 MB in all.</p>';
  const INPUT = '<input id="files" name="files" type="file" multiple aria-describedby="files-hint">';
  const form = (await W.requester.get(`/w/${W.slug}/tickets/new`)).body;
  assert.ok(form.includes(INPUT) && form.includes(LIMITS), 'new ticket');
  await openTicket(W.requester, W.slug, 'With a reply form');
  const num = sql(`SELECT number FROM tickets WHERE subject = 'With a reply form'
    AND requester_id = ${W.users.requester.id}`)[0][0];
  for (const c of [W.requester, W.agent]) {
    const page = (await c.get(`/w/${W.slug}/tickets/${num}`)).body;
    assert.ok(page.includes(INPUT) && page.includes(LIMITS), 'reply and note form');
  }

  const files = Array.from({ length: 11 }, (_, i) => ({ name: 'files', filename: `f${i}.txt`, data: 'x' }));
  await W.requester.get(`/w/${W.slug}/tickets/new`);
  const res = await W.requester.postMultipart(`/w/${W.slug}/tickets/new`,
    { subject: 'Eleven files', body: 'Kept' }, files);
  assert.equal(res.status, 413);
  assert.match(res.body, /Too many files in one message: the limit is 10\./);
  assert.ok(res.body.includes(LIMITS), 'the limits again beside the input');

  // Three files of 17.5 MB: each under its limit, the message over
  // max_request. Refused before it is read, with the number.
  const big = Buffer.alloc(17.5 * 1024 * 1024, 1);
  await W.requester.get(`/w/${W.slug}/tickets/new`);
  const all = await W.requester.postMultipart(`/w/${W.slug}/tickets/new`, { subject: 'Too much', body: 'x' },
    [1, 2, 3].map((i) => ({ name: 'files', filename: `part${i}.bin`, data: big })));
  assert.equal(all.status, 413);
  assert.match(main(all.body), /The message and its files are larger than 50 MB, the limit for all of them together\./);
});

test('inviting answers a page with the absolute link in a read-only field and a Copy button for the script', async () => {
  const [admin, slug] = await freshWorkspace();
  const res = await admin.submit(`/w/${slug}/admin/members`, `/w/${slug}/admin/members/invite`,
    { email: `invitee-${slug}@example.org`, role: 'agent' });
  assert.equal(res.status, 200, 'a page, not a redirect that would lose the link');
  const m = main(res.body);
  assert.match(m, /<div class="notice flash invite-made" role="status">\s*<p>Invitation created/);
  const field = m.match(/<input id="invite-link" class="invite-link" type="text" readonly value="([^"]+)"/);
  assert.ok(field, 'the link in a read-only field');
  const base = BASE.replace(/\/$/, '');
  assert.match(field[1], new RegExp(`^${base.replace(/[.]/g, '\\.')}/invite/[0-9a-f]{64}$`), 'absolute, from base_url');
  assert.match(m, /<label for="invite-link">Invitation link<\/label>/);
  // Without the script the button is hidden: nothing that does nothing.
  assert.match(m, /<button type="button" class="copy" data-copy="invite-link" [^>]*hidden>Copy link<\/button>/);
  assert.match(res.body, /<script src="\/static\/copy\.js" defer><\/script>/);

  const js = await new Client().get('/static/copy.js');
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  // The page's policy allows scripts from this origin only.
  assert.match(res.headers['content-security-policy'], /script-src 'self';/);

  assert.equal(sql(`SELECT COUNT(*) FROM invitations WHERE email = ${q(`invitee-${slug}@example.org`)}`)[0][0], '1');
  // The members page afterwards no longer shows it (one showing).
  assert.ok(!main((await admin.get(`/w/${slug}/admin/members`)).body).includes('id="invite-link"'));
});

test('suspending a member and lifting it ask first, change nothing until confirmed, then say so', async () => {
  const W = await workspaceWithMembers();
  const S = `/w/${W.slug}/admin/members`;
  const R = W.users.requester;
  const suspended = () => sql(`SELECT suspended_at IS NOT NULL FROM memberships WHERE user_id = ${R.id}`)[0][0];
  await W.admin.get(S);

  let res = await W.admin.post(`${S}/${R.id}/suspend`, {});
  assert.equal(res.status, 200);
  let m = unescape(main(res.body));
  assert.match(m, new RegExp(`<h1>Suspend ${R.name} in ${W.wsName}\\?</h1>`));
  assert.match(m, /<input type="hidden" name="confirm" value="1">/);
  assert.match(m, /<button type="submit" class="danger">Suspend member<\/button>/);
  assert.ok(m.includes(`href="${S}">Cancel</a>`));
  assert.equal(suspended(), '0', 'nothing changed yet');

  res = await W.admin.post(`${S}/${R.id}/suspend`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(suspended(), '1');
  m = main((await W.admin.get(res.headers.location)).body);
  assert.match(m, /<div class="notice flash" role="status"><p>[^<]*suspended[^<]*<\/p><\/div>/);

  res = await W.admin.post(`${S}/${R.id}/unsuspend`, {});
  assert.equal(res.status, 200);
  assert.match(unescape(main(res.body)), new RegExp(`<h1>Lift the suspension of ${R.name}\\?</h1>`));
  assert.equal(suspended(), '1', 'still suspended until confirmed');
  res = await W.admin.post(`${S}/${R.id}/unsuspend`, { confirm: '1' });
  assert.equal(res.status, 303);
  assert.equal(suspended(), '0');
  m = main((await W.admin.get(res.headers.location)).body);
  assert.match(m, /<div class="notice flash" role="status"><p>[^<]*<\/p><\/div>/);

  // Suspending oneself is refused before any question.
  res = await W.admin.post(`${S}/${W.users.admin.id}/suspend`, {});
  assert.equal(res.status, 409);
});
