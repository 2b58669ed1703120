// Languages in a browser (issue 13): chromium asking for German
// (locale de-DE, so Accept-Language: de-DE) gets German pages that fit a
// phone (390 px) and a laptop (1280 px) although German words are longer;
// a visitor switches with the footer's links, JavaScript off.
// Screenshots: HD_SHOTS (default /tmp/hd-shots), i18n-*.png.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

async function germanContext(browser, client) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
  if (client) {
    const url = new URL(BASE);
    await ctx.addCookies([...client.jar].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })));
  }
  return ctx;
}

test('German pages fit 390 and 1280 px; the footer switches languages', async () => {
  const W = await workspaceWithMembers();
  await W.requester.get(`/w/${W.slug}/tickets/new`);
  const res = await W.requester.post(`/w/${W.slug}/tickets/new`,
    { subject: 'Rechnungsadresse im Kundenkonto lässt sich nicht ändern', body: 'Die Schaltfläche bleibt grau.' });
  assert.equal(res.status, 303);
  const num = res.headers.location.match(/(\d+)$/)[1];
  const { browser, close } = await launch();
  try {
    // A visitor: German from the browser's language, then English and
    // back with the footer's links.
    const visitor = await (await germanContext(browser)).newPage();
    await visitor.goto(`${BASE}/signin`);
    assert.equal(await visitor.getAttribute('html', 'lang'), 'de');
    assert.equal(await visitor.textContent('h1'), 'Anmelden');
    await shots(visitor, 'i18n-signin');
    await visitor.goto(`${BASE}/signup`);
    await shots(visitor, 'i18n-signup');
    await visitor.click('footer a[hreflang="en"]');
    assert.equal(await visitor.getAttribute('html', 'lang'), 'en');
    assert.equal(await visitor.textContent('h1'), 'Create your account');
    await visitor.goto(`${BASE}/signin`);
    assert.equal(await visitor.textContent('h1'), 'Sign in', 'the choice sticks (hd_lang)');
    await visitor.click('footer a[hreflang="de"]');
    assert.equal(await visitor.textContent('h1'), 'Anmelden');

    // An agent's queue, a ticket, and an admin's settings and members.
    const agent = await (await germanContext(browser, W.agent)).newPage();
    await agent.goto(`${BASE}/w/${W.slug}/tickets`);
    assert.equal(await agent.getAttribute('html', 'lang'), 'de');
    await shots(agent, 'i18n-queue');
    await agent.goto(`${BASE}/w/${W.slug}/tickets/${num}`);
    await shots(agent, 'i18n-ticket');
    const admin = await (await germanContext(browser, W.admin)).newPage();
    for (const p of ['settings', 'members']) {
      await admin.goto(`${BASE}/w/${W.slug}/admin/${p}`);
      assert.equal(await admin.getAttribute('html', 'lang'), 'de');
      await shots(admin, `i18n-admin-${p}`);
    }
    await admin.goto(`${BASE}/account`);
    await shots(admin, 'i18n-account');
  } finally {
    await close();
  }
});
