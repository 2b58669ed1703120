// No request leaves the origin (issue 10, the policy's promise that
// nothing is shared by the pages themselves): every page type is loaded
// in chromium with JavaScript on, every request it makes is recorded, and
// each must be to the helpdesk's own origin: no third-party script,
// font, image, stylesheet or analytics. The policy pages and the privacy
// choices are also looked at on a phone (390 px) and a desktop (1280 px):
// nothing wider than the screen.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shotPath } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

const ORIGIN = new URL(BASE).origin;

// A context whose every request is kept.
async function recording(browser, requests, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport });
  ctx.on('request', (r) => requests.push(r.url()));
  return ctx;
}

async function signIn(ctx, user) {
  const page = await ctx.newPage();
  await page.goto(`${BASE}/signin`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  return page;
}

test('every page type loads only from its own origin', async () => {
  const W = await workspaceWithMembers();
  const ws = `${BASE}/w/${W.slug}`;
  const requests = [];
  const { browser, close } = await launch();
  try {
    const anon = await (await recording(browser, requests)).newPage();
    for (const p of ['/signin', '/signup', '/password/forgot', '/privacy', '/terms', '/cookies', '/contact',
      '/no-such-page', '/static/no-such-file.css']) {
      await anon.goto(`${BASE}${p}`);
    }

    const req = await signIn(await recording(browser, requests), W.users.requester);
    await req.goto(`${ws}/tickets/new`);
    await req.fill('#subject', 'Where do my requests go?');
    await req.fill('#body', 'Only to **this** server, I hope.');
    await Promise.all([req.waitForNavigation(), req.click('main button[type=submit]')]);
    const ticket = req.url();
    assert.match(ticket, /\/tickets\/\d+$/);
    for (const p of [`${ws}/tickets`, ticket, `${BASE}/workspaces`, `${BASE}/account`, `${BASE}/account/privacy`]) {
      await req.goto(p);
    }

    const admin = await signIn(await recording(browser, requests), W.users.admin);
    for (const p of [`${ws}/tickets`, ticket, `${ws}/tickets/new`, `${ws}/admin/members`, `${ws}/admin/settings`,
      `${ws}/admin/audit`, `${BASE}/account`, `${BASE}/workspaces`, `${ws}/tickets/999999`]) {
      await admin.goto(p);
    }

    assert.ok(requests.length > 30, `pages were loaded (${requests.length} requests)`);
    const foreign = requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== ORIGIN);
    assert.deepEqual(foreign, [], 'every request stays on the origin');
    assert.ok(requests.some((u) => u === `${ORIGIN}/static/app.css`), 'the stylesheet was among them');
  } finally {
    await close();
  }
});

test('the policy pages and privacy choices fit a phone and a desktop', async () => {
  const W = await workspaceWithMembers();
  const { browser, close } = await launch();
  try {
    for (const width of [390, 1280]) {
      const requests = [];
      const ctx = await recording(browser, requests, { width, height: 900 });
      const page = await signIn(ctx, W.users.agent);
      // Allowed on the phone, withdrawn on the desktop: the form works.
      await page.goto(`${BASE}/account/privacy`);
      const was = await page.textContent('#consent-usage .consent-state');
      await Promise.all([page.waitForNavigation(), page.click('#consent-usage button[type=submit]')]);
      assert.equal(await page.textContent('#consent-usage .consent-state'), was === 'Off' ? 'Allowed' : 'Off');
      for (const p of ['account/privacy', 'privacy', 'terms', 'cookies', 'contact', 'signup']) {
        if (p === 'signup') await ctx.clearCookies();
        await page.goto(`${BASE}/${p}`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= width, `/${p} is ${wide} px wide at ${width} px`);
        await page.screenshot({ path: shotPath(`policy-${p.replace('/', '-')}-${width}`), fullPage: true });
      }
      await ctx.close();
    }
  } finally {
    await close();
  }
});
