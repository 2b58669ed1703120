// The Preferences of the account page in a real browser (JavaScript
// off): an agent chooses New York's time zone and a default queue view
// from the selects, saves, is told so, and then reads a ticket's times in
// that zone, named, with the absolute time on hover (the title). The
// form, refused and saved, and the ticket page are photographed at 390
// and 1280 px (shots in tests/lib/browser.js) and overflow at neither.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { sql, q } = require('../lib/db');
const { workspaceWithMembers } = require('../lib/fixtures');

test('an agent chooses a time zone and a queue view, and sees times in that zone', async () => {
  const W = await workspaceWithMembers();
  const T = `/w/${W.slug}/tickets`;
  const opened = await W.requester.submit(`${T}/new`, `${T}/new`, { subject: 'Times in New York', body: 'Which hour is it?' });
  const num = Number(opened.headers.location.match(/\/tickets\/(\d+)$/)[1]);
  sql(`UPDATE tickets SET created_at = '2026-01-15 15:04:05' WHERE number = ${num}
    AND workspace_id = (SELECT id FROM workspaces WHERE slug = ${q(W.slug)})`);

  const { browser, close } = await launch();
  try {
    const ctx = await contextAs(browser, BASE, W.agent);
    const page = await ctx.newPage();
    await page.goto(`${BASE}/account#preferences`);
    assert.equal(await page.inputValue('#time_zone'), 'UTC', 'UTC until chosen');
    assert.equal(await page.inputValue('#lang'), '');
    await shots(page, 'preferences');

    await ctx.close();

    // A zone not in the list, as a forged form would send it (a select
    // cannot): refused, the field marked.
    const bad = await W.agent.submit('/account', '/account/preferences',
      { lang: '', time_zone: 'Mars/Olympus_Mons', queue_view: 'mine' });
    assert.equal(bad.status, 400);
    const ctx2 = await contextAs(browser, BASE, W.agent);
    const p2 = await ctx2.newPage();
    await p2.setContent(bad.body.replace('<head>', `<head><base href="${BASE}/">`));
    await shots(p2, 'preferences-refused');
    await ctx2.close();

    const ctx3 = await contextAs(browser, BASE, W.agent);
    const p3 = await ctx3.newPage();
    await p3.goto(`${BASE}/account`);
    await p3.selectOption('#time_zone', 'America/New_York');
    await p3.selectOption('#queue_view', 'mine');
    await p3.click('form[action="/account/preferences"] button[type=submit]');
    assert.match(p3.url(), /\/account$/);
    assert.equal(await p3.textContent('.notice.flash p'), 'Your preferences were saved.');
    assert.equal(await p3.inputValue('#time_zone'), 'America/New_York');
    assert.equal(await p3.inputValue('#queue_view'), 'mine');
    await shots(p3, 'preferences-saved');

    await p3.goto(`${BASE}${T}/${num}`);
    const time = p3.locator('time[datetime="2026-01-15T15:04:05Z"]').first();
    assert.equal(await time.textContent(), '15 Jan 2026, 10:04 EST');
    assert.equal(await time.getAttribute('title'), '15 Jan 2026, 10:04 EST (America/New_York)');
    await shots(p3, 'ticket-new-york');
    await p3.goto(`${BASE}${T}`);
    await shots(p3, 'queue-new-york');
    await ctx3.close();
  } finally {
    await close();
  }
});
