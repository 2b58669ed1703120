// First run in a real browser (issue 13): the landing page at /, a new
// workspace's next steps (admin and requester) and the page inviting
// answers, each photographed at 390 and 1280 px (shotPath) and fitting a
// phone, and the question before suspending a member. The invitation's
// Copy button: with JavaScript it appears and copies the absolute link;
// without, it is not there and the read-only field still holds the link
// to select.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers, uniqueSlug } = require('../lib/fixtures');

// A context with JavaScript on, signed in as c, allowed the clipboard.
async function scriptedAs(browser, c) {
  const ctx = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const url = new URL(BASE);
  await ctx.addCookies([...c.jar].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })));
  return ctx;
}

async function inviteThroughForm(page, slug, email) {
  await page.goto(`${BASE}/w/${slug}/admin/members`);
  await page.fill('#email', email);
  await page.selectOption('#role', 'agent');
  await page.click('form[action$="/admin/members/invite"] button[type=submit]');
  assert.equal(page.url(), `${BASE}/w/${slug}/admin/members/invite`, 'the POST answered a page');
}

test('the landing page, an empty workspace and the invitation page fit a phone and a laptop', async () => {
  const W = await workspaceWithMembers({ portal: true });
  const { browser, close } = await launch();
  try {
    const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await visitor.goto(`${BASE}/`);
    assert.equal(await visitor.title(), 'A privacy-first helpdesk · Helpdesk');
    await shots(visitor, 'first-landing');
    await visitor.click('main a:text("Sign up")');
    assert.equal(visitor.url(), `${BASE}/signup`);

    const admin = await (await contextAs(browser, BASE, W.admin)).newPage();
    await admin.goto(`${BASE}/w/${W.slug}/tickets`);
    assert.equal(await admin.textContent('main h2'), 'No tickets yet: getting started');
    assert.equal(await admin.inputValue('#portal-link'), `${BASE.replace(/\/$/, '')}/w/${W.slug}/join`);
    assert.equal(await admin.isVisible('button[data-copy="portal-link"]'), false, 'no Copy button without JavaScript');
    await shots(admin, 'first-empty-admin');
    await admin.click('main a:text("Invite your team")');
    assert.equal(admin.url(), `${BASE}/w/${W.slug}/admin/members`);

    const requester = await (await contextAs(browser, BASE, W.requester)).newPage();
    await requester.goto(`${BASE}/w/${W.slug}/tickets`);
    await shots(requester, 'first-empty-requester');
    await requester.click('main a:text("Open your first request")');
    assert.equal(requester.url(), `${BASE}/w/${W.slug}/tickets/new`);
    assert.equal(await requester.textContent('#files-hint'), 'Up to 10 files, 25 MB each, 50 MB in all.');
    await shots(requester, 'first-new-ticket-limits');

    // Without JavaScript: the link in a read-only field, no button.
    await inviteThroughForm(admin, W.slug, `plain-${uniqueSlug('i')}@example.org`);
    const link = await admin.inputValue('#invite-link');
    assert.match(link, new RegExp(`^${BASE.replace(/\/$/, '').replace(/[.]/g, '\\.')}/invite/[0-9a-f]{64}$`));
    assert.equal(await admin.getAttribute('#invite-link', 'readonly'), '');
    assert.equal(await admin.isVisible('button[data-copy="invite-link"]'), false);
    await shots(admin, 'first-invite-nojs');

    // Suspending asks first; Cancel leads back and changes nothing.
    await admin.goto(`${BASE}/w/${W.slug}/admin/members`);
    await admin.click(`form[action$="/members/${W.users.requester.id}/suspend"] button`);
    assert.equal(await admin.textContent('main h1'), `Suspend ${W.users.requester.name} in ${W.wsName}?`);
    await shots(admin, 'first-confirm-suspend');
    await admin.click('main a:text("Cancel")');
    assert.equal(admin.url(), `${BASE}/w/${W.slug}/admin/members`);
    assert.equal(await admin.locator(`form[action$="/members/${W.users.requester.id}/suspend"]`).count(), 1, 'not suspended');
  } finally {
    await close();
  }
});

test('with JavaScript the Copy button appears and puts the absolute link on the clipboard', async () => {
  const W = await workspaceWithMembers();
  const { browser, close } = await launch();
  try {
    const page = await (await scriptedAs(browser, W.admin)).newPage();
    await inviteThroughForm(page, W.slug, `copied-${uniqueSlug('i')}@example.org`);
    const button = 'button[data-copy="invite-link"]';
    assert.equal(await page.isVisible(button), true, 'the script shows the button');
    const link = await page.inputValue('#invite-link');
    await page.click(button);
    await page.waitForFunction(() => document.getElementById('invite-link-copied').textContent !== '');
    assert.equal(await page.textContent('#invite-link-copied'), 'Copied.');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    await shots(page, 'first-invite-js');
    // Focusing the field selects all of it, to copy by hand.
    await page.focus('#invite-link');
    assert.equal(await page.evaluate(() => {
      const f = document.getElementById('invite-link');
      return f.value.slice(f.selectionStart, f.selectionEnd);
    }), link);
  } finally {
    await close();
  }
});
