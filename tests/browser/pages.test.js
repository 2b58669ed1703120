// Every page type, at a phone's width (390 px) and a desktop's (1280 px)
// (issue 13, Proof and Accessibility): axe-core finds no WCAG 2.0, 2.1 or
// 2.2 A/AA violation, nor any of its best practices; the page does not
// scroll sideways (the document is exactly as wide as the viewport); and
// a full-page screenshot of each is written to tests/screenshots/
// (HD_SHOTS elsewhere; git-ignored) for a person to look at after a run.
//
// One table, PAGES, drives all three: a row is a name, who looks (a key of
// the people below, null for a visitor) and a path, or a function that
// takes the page there by a form (pages that answer a POST: a refused
// form, a confirmation, the recovery codes), and the HTTP status when it
// is not 200. Adding a page type is one row.
//
// Each width has two browser contexts: `seen`, JavaScript off with the
// page's own Content-Security-Policy, as a person gets it (overflow and
// screenshot); and `axe`, with bypassCSP, only so that axe-core's script
// can be put into the page (the CSP allows no script but our own files).
// The app has no script, so both draw the same page.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { launch, shotPath } = require('../lib/browser');
const { BASE, Client, signUp, uniqueEmail } = require('../lib/client');
const { workspaceWithMembers, invite } = require('../lib/fixtures');
const { waitForMail, linkIn } = require('../lib/inbox');
const { sql, q } = require('../lib/db');
const { quarantine, message } = require('../lib/quarantine');
const { totp } = require('../lib/totp');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// WCAG 2.0, 2.1 and 2.2, A and AA; and axe's best practices (heading
// order, landmarks, empty table headers...), which its default run has.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
const WIDTHS = [390, 1280];

// The page types. S is the set-up below: S.ws is the workspace's path.
const PAGES = (S) => [
  ['home', null, '/'],
  ['signin', null, '/signin'],
  ['signup', null, '/signup'],
  ['signup-refused', null, refusedSignup],
  ['forgot', null, '/password/forgot'],
  ['reset', null, S.reset],
  ['privacy', null, '/privacy'],
  ['terms', null, '/terms'],
  ['cookies', null, '/cookies'],
  ['contact', null, '/contact'],
  ['not-found', null, '/no-such-page', 404],
  ['email-confirm', null, S.emailConfirm],
  ['deleted', null, '/account/deleted'],
  ['2fa-signin-code', null, signinCode],
  ['requester-queue', 'requester', `${S.ws}/tickets`],
  ['requester-ticket', 'requester', S.ticket],
  ['requester-new-ticket', 'requester', `${S.ws}/tickets/new`],
  ['account', 'requester', '/account'],
  ['account-data', 'requester', '/account/data'],
  ['account-privacy', 'requester', '/account/privacy'],
  ['account-delete', 'requester', '/account/delete'],
  ['workspaces', 'requester', '/workspaces'],
  ['leave', 'requester', `${S.ws}/leave`],
  ['forbidden', 'requester', `${S.ws}/admin/settings`, 403],
  ['agent-queue', 'agent', `${S.ws}/tickets`],
  ['agent-queue-filtered', 'agent', `${S.ws}/tickets?status=open&priority=high`],
  ['agent-search', 'agent', `${S.ws}/tickets?q=printer`],
  ['agent-ticket', 'agent', S.ticket],
  ['agent-ticket-markdown', 'agent', S.mdTicket],
  ['agent-new-ticket', 'agent', `${S.ws}/tickets/new`],
  ['admin-members', 'admin', `${S.ws}/admin/members`],
  ['admin-settings', 'admin', `${S.ws}/admin/settings`],
  ['admin-audit', 'admin', `${S.ws}/admin/audit`],
  ['admin-usage', 'admin', `${S.ws}/admin/usage`],
  ['admin-mail', 'admin', `${S.ws}/admin/mail`],
  ['admin-quarantine', 'admin', `${S.ws}/admin/mail/quarantine`],
  ['admin-quarantine-message', 'admin', S.quarantined],
  ['admin-holds', 'admin', `${S.ws}/admin/holds`],
  ['admin-hold-lift', 'admin', S.holdLift],
  ['admin-erase', 'admin', S.erase],
  ['admin-delete', 'admin', `${S.ws}/admin/delete`],
  ['admin-confirm', 'admin', confirmPage],
  ['invitation', 'outsider', S.invitation],
  ['join', 'outsider', `${S.ws}/join`],
  ['2fa-off', 'admin', '/account/2fa'],
  ['2fa-setup', 'enrolling', '/account/2fa'],
  ['2fa-codes', null, recoveryCodes],
];

const MD_BODY = [
  'Checkout fails on **Safari 17** since `4.12.0`; see www.example.com/status.',
  '',
  '```',
  `curl -s https://api.example.com/v2/orders?status=failed${'&expand=payment'.repeat(18)}`,
  '```',
  '',
  '> We cleared the cache. It did not help.',
  '',
  '| Browser | Version | Works? |',
  '|---------|:-------:|-------:|',
  '| Safari  | 17.1    | ~~yes~~ no |',
  '',
  '- [x] Checked the status page',
  '- [ ] Rolled back the release',
].join('\n');

// A sign-up refused: the summary at the top, each field marked.
async function refusedSignup(page) {
  await page.goto(`${BASE}/signup`);
  await page.fill('#name', 'Ann');
  await page.fill('#email', 'not-an-address');
  await page.fill('#password', 'short');
  await page.click('main button[type=submit]');
}

// The confirmation step before removing a member.
async function confirmPage(page, S) {
  await page.goto(`${BASE}${S.ws}/admin/members`);
  await page.click(`form[action="${S.ws}/admin/members/${S.requesterId}/remove"] button[type=submit]`);
  assert.match(await page.textContent('main'), /Remove /);
}

// The recovery codes, shown once when two-factor sign-in is turned on: a
// new account each time, set up over HTTP, confirmed in the page.
async function recoveryCodes(page) {
  const c = new Client();
  const p = await signUp(c, { name: 'Rhea Codes', email: uniqueEmail('proof-codes'), confirm: false });
  assert.equal(p.res.status, 303);
  await c.get('/account/2fa');
  assert.equal((await c.post('/account/2fa/setup', {})).status, 303);
  await useClient(page.context(), c);
  await page.goto(`${BASE}/account/2fa`);
  const secret = (await page.textContent('code.secret')).trim();
  await page.fill('#code', totp(secret));
  await page.click('main form[action="/account/2fa/confirm"] button[type=submit]');
  assert.equal(await page.textContent('h1'), 'Two-factor sign-in is on');
}

// The code page between the password and the code: a new password
// sign-in each time (the pending state lasts 5 minutes).
async function signinCode(page, S) {
  const c = new Client();
  const res = await c.submit('/signin', '/signin', S.twoFactor);
  assert.match(res.headers.location, /\/signin\/code$/);
  await useClient(page.context(), c);
  await page.goto(`${BASE}/signin/code`);
}

// Puts client c's cookies (or none, for a visitor) into context ctx.
async function useClient(ctx, c) {
  await ctx.clearCookies();
  if (!c) return;
  const host = new URL(BASE).hostname;
  // Not the client's pending one-time message (hd_flash): it belongs to
  // the client's last request, not to this page.
  const jar = [...c.jar].filter(([name]) => name !== 'hd_flash');
  await ctx.addCookies(jar.map(([name, value]) => ({ name, value, domain: host, path: '/' })));
}

// The workspace and everything the pages show: tickets with a reply, an
// internal note and attachments, a quarantined message, a hold, a pending
// invitation, a reset link, two-factor sign-in half done and half set up.
async function setUp() {
  const W = await workspaceWithMembers({ portal: true });
  const ws = `/w/${W.slug}`;
  const file = (filename, data, contentType) => ({ name: 'files', filename, contentType, data });
  await W.requester.get(`${ws}/tickets/new`);
  let res;
  const created = await W.requester.postMultipart(`${ws}/tickets/new`,
    { subject: 'The printer on floor 3 jams on every second page', body: 'Since Monday the printer by the kitchen jams.\n\nThe display says **E-203**.' },
    [file('printer-log.txt', 'E-203 paper jam tray 2\n'.repeat(20), 'text/plain')]);
  assert.equal(created.status, 303);
  const ticket = new URL(created.headers.location, BASE).pathname;
  await W.requester.submit(`${ws}/tickets/new`, `${ws}/tickets/new`,
    { subject: 'Invoice PDF will not open', body: 'Acrobat says the file is damaged.' });
  // Every kind of Markdown the stylesheet styles (issue 13), with a code
  // line far wider than a phone.
  await W.requester.get(`${ws}/tickets/new`);
  res = await W.requester.post(`${ws}/tickets/new`, { subject: 'Checkout fails on Safari', body: MD_BODY });
  assert.equal(res.status, 303, 'the Markdown ticket');
  const mdTicket = new URL(res.headers.location, BASE).pathname;
  await W.agent.get(ticket);
  res = await W.agent.postMultipart(`${ticket}/comments`,
    { body: 'Thanks, Ann. Could you send a photo of the display next time it jams?' },
    [file('jam-steps.csv', 'step,action\n1,open tray 2\n2,remove paper\n', 'text/csv')]);
  assert.equal(res.status, 303);
  await W.agent.get(ticket);
  res = await W.agent.postMultipart(`${ticket}/comments`, { body: 'Tray 2 roller is worn; ordered a new one.', internal: '1' });
  assert.equal(res.status, 303);
  const version = (await W.agent.get(ticket)).body.match(/name="version" value="(\d+)"/)[1];
  res = await W.agent.post(ticket, { version, status: 'open', priority: 'high', assignee: 'none', tags: 'printer hardware', cc: '' });
  assert.equal(res.status, 303, 'triage');

  const [[wsId]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(W.slug)}`);
  const { raw, messageId } = message({ from: 'Bob Stranger <bob@example.net>', subject: 'Re: printer' });
  const qid = quarantine(raw, { ws: Number(wsId), from_addr: 'bob@example.net', from_name: 'Bob Stranger',
    subject: 'Re: printer', message_id: messageId, body_text: 'The printer is on fire.\n', reply_len: 24 });

  res = await W.admin.submit(`${ws}/admin/holds`, `${ws}/admin/holds`,
    { scope: 'ticket', ticket: ticket.split('/').pop(), reason: 'A warranty claim against the printer vendor.' });
  assert.equal(res.status, 303, 'placing a hold');
  const [[holdId]] = sql(`SELECT MAX(id) FROM legal_holds WHERE workspace_id = ${Number(wsId)}`);

  const invitation = await invite(W.admin, W.slug, W.users.outsider.email, 'agent');

  const asker = new Client();
  await asker.submit('/password/forgot', '/password/forgot', { email: W.users.requester.email });
  const mail = await waitForMail(W.users.requester.email, { subject: /Reset your password/ });
  const reset = linkIn(mail, '/password/reset/').pathname;

  // Two-factor: one account with it on (for the code page); one that has
  // asked for the QR code but not confirmed it.
  const tf = new Client();
  const tfUser = await signUp(tf, { name: 'Tess Factor', email: uniqueEmail('proof-2fa'), confirm: false });
  await tf.get('/account/2fa');
  await tf.post('/account/2fa/setup', {});
  const secret = (await tf.get('/account/2fa')).body.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)[1];
  assert.equal((await tf.post('/account/2fa/confirm', { code: totp(secret) })).status, 200);
  const enrolling = new Client();
  const enid = await signUp(enrolling, { name: 'Enid Rolling', email: uniqueEmail('proof-enrol'), confirm: false });
  const confirmMail = await waitForMail(enid.email, { subject: /Confirm your/ });
  const emailConfirm = linkIn(confirmMail, '/email/confirm/').pathname;
  await enrolling.get('/account/2fa');
  assert.equal((await enrolling.post('/account/2fa/setup', {})).status, 303);

  return {
    ws, ticket, mdTicket, reset, invitation, emailConfirm, requesterId: W.users.requester.id,
    twoFactor: { email: tfUser.email, password: tfUser.password },
    quarantined: `${ws}/admin/mail/quarantine/${qid}`,
    holdLift: `${ws}/admin/holds/${holdId}/lift`,
    erase: `${ws}/admin/members/${W.users.requester.id}/erase`,
    people: {
      requester: W.requester, agent: W.agent, admin: W.admin, outsider: W.outsider,
      enrolling,
    },
  };
}

// Takes page to row's page as row's person; the HTTP status when by path.
async function open(page, [, who, where], S) {
  await useClient(page.context(), who ? S.people[who] : null);
  if (typeof where === 'function') {
    await where(page, S);
    return null;
  }
  const res = await page.goto(`${BASE}${where}`);
  return res.status();
}

// How much wider than the viewport the document is (0: no sideways scroll).
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// axe-core's violations on the page, as "rule (impact): target, ..." lines.
async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  const found = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')),
  }))), TAGS);
  return found.map((v) => `${v.id} (${v.impact}, ${v.help}): ${v.targets.slice(0, 5).join(', ')}`);
}

test('the harness: axe and the overflow check see faults put into a page', async () => {
  const { browser, close } = await launch();
  try {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${BASE}/signin`);
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await overflow(page), 0);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/favicon.ico';
      img.width = 600;
      img.height = 10;
      document.querySelector('main').append(img);
    });
    const found = await axeViolations(page);
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /^image-alt /);
    assert.ok(await overflow(page) > 0, 'a 600 px image widens a 390 px page');
  } finally {
    await close();
  }
});

test('every page type: no axe violation, no sideways scroll, a screenshot, at 390 and 1280 px', async () => {
  const S = await setUp();
  const rows = PAGES(S);
  assert.equal(new Set(rows.map((r) => r[0])).size, rows.length, 'page names are unique');
  const { browser, close } = await launch();
  const problems = [];
  try {
    for (const width of WIDTHS) {
      const viewport = { width, height: 900 };
      const seen = await browser.newContext({ javaScriptEnabled: false, viewport });
      const axe = await browser.newContext({ bypassCSP: true, viewport });
      const [sp, ap] = [await seen.newPage(), await axe.newPage()];
      for (const row of rows) {
        const name = `${row[0]} at ${width} px`;
        // What a person sees and what axe finds, side by side.
        const [status, over] = await Promise.all([
          (async () => {
            const st = await open(sp, row, S);
            const o = await overflow(sp);
            await sp.screenshot({ path: shotPath(`page-${row[0]}-${width}`), fullPage: true });
            return [st, o];
          })(),
          (async () => {
            await open(ap, row, S);
            for (const v of await axeViolations(ap)) problems.push(`${name}: ${v}`);
          })(),
        ]).then(([seenOut]) => seenOut);
        const want = row[3] || 200;
        if (status !== null && status !== want) problems.push(`${name}: HTTP ${status}`);
        if (over !== 0) problems.push(`${name}: ${over} px wider than the viewport`);
      }
      await seen.close();
      await axe.close();
    }
  } finally {
    await close();
  }
  assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
});
