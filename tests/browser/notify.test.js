// The pages of notifications in a real browser at a phone's and a
// desktop's width: the account page's mail settings (turned off by
// clicking), the workspace's new-ticket setting, and the admins' list of
// undelivered mail. Screenshots go to shotPath() for a person to look at.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shotPath } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q } = require('../lib/db');

test('notification settings and undelivered mail, at 390 and 1280 px', { skip: !process.env.HD_STACK_DIR && 'needs HD_STACK_DIR' }, async () => {
  const W = await workspaceWithMembers();
  const ws = sql(`SELECT id FROM workspaces WHERE slug = ${q(W.slug)}`)[0][0];
  sql(`INSERT INTO outbox (workspace_id, kind, to_addr, subject, message_id, message, created_at,
    next_attempt_at, attempts, failed_at, last_error) VALUES (${ws}, 'ticket.reply',
    'a.very.long.address.for.a.phone@customer-mail.example', 'Re: [#12] The printer on the third floor is on fire again',
    ${q(`<shot-${Date.now()}@test>`)}, 'x', NOW() - INTERVAL 2 DAY, NOW(), 12, NOW(),
    'Login denied (67): 535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6')`);
  const { browser, close } = await launch();
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${BASE}/signin`);
    await page.fill('#email', W.users.admin.email);
    await page.fill('#password', W.users.admin.password);
    await page.click('button[type=submit]');
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${BASE}/account`);
      await page.screenshot({ path: shotPath(`notify-account-${width}`), fullPage: true });
      await page.goto(`${BASE}/w/${W.slug}/admin/settings`);
      await page.screenshot({ path: shotPath(`notify-settings-${width}`), fullPage: true });
      await page.goto(`${BASE}/w/${W.slug}/admin/mail`);
      assert.match(await page.textContent('main'), /authentication failed/);
      await page.screenshot({ path: shotPath(`notify-mail-${width}`), fullPage: true });
    }
    // Turning replies off by clicking, as a person would.
    await page.goto(`${BASE}/account`);
    await page.uncheck('input[name=reply]');
    await page.click('#notifications ~ form button[type=submit]');
    assert.match(await page.textContent('main'), /notification settings were saved/);
    assert.equal(await page.isChecked('input[name=reply]'), false);
    assert.equal(await page.isChecked('input[name=solved]'), true);
  } finally {
    await close();
  }
});
