// The quarantine of incoming mail in chromium without JavaScript: the
// settings page's inbound address and count, the list, a message with a
// long unbroken line and a wide HTML body, the refusal of an unconfirmed
// action and a release; each of its pages fits a phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q } = require('../lib/db');
const { message, quarantine } = require('../lib/quarantine');

test('quarantine pages: settings, list, message, refusal and release, each fitting a phone', async () => {
  const W = await workspaceWithMembers();
  const ws = Number(sql(`SELECT id FROM workspaces WHERE slug = ${q(W.slug)}`)[0][0]);
  const long = `https://example.org/${'very-long-path-segment-'.repeat(12)}`;
  const text = `Hello,\n\nmy order never came: ${long}\n${'x'.repeat(300)}\n\nOn Monday, Support wrote:\n> Thanks for your order\n> It ships today\n`;
  quarantine(message({ subject: 'Where is my parcel?' }).raw, { ws, from_addr: 'a.very.long.sender.address.for.a.phone@subdomain.example.org',
    from_name: 'Ann Example', subject: 'Where is my parcel? '.repeat(6), body_text: text, reply_len: text.indexOf('On Monday'),
    reason: 'The sender may not open tickets here: portal sign-up is off.' });
  const html = quarantine(message().raw, { ws, from_addr: 'bob@example.org', subject: 'Newsletter',
    body_text: 'Wide', body_html: `<table><tr>${'<td>cell with words</td>'.repeat(20)}</tr></table><p>${'y'.repeat(200)}</p>` });
  const { browser, close } = await launch();
  try {
    const page = await (await contextAs(browser, BASE, W.admin)).newPage();
    await page.goto(`${BASE}/w/${W.slug}/admin/settings`);
    await page.fill('#inbound_address', `help-${crypto.randomBytes(3).toString('hex')}@example.org`);
    await page.click('button:has-text("Save settings")');
    assert.match(await page.textContent('#mail-in'), /2 messages that could not be read or routed/);
    await shots(page, 'quarantine-settings');
    await page.click('#mail-in a:has-text("Quarantine")');
    assert.match(await page.textContent('main'), /Mail comes in at help-/);
    await shots(page, 'quarantine-list');
    await page.click('a:has-text("Where is my parcel?")');
    assert.match(await page.textContent('.mail-body'), /my order never came/);
    await shots(page, 'quarantine-message');
    await page.click('button:has-text("Release into a ticket")');
    assert.match(await page.textContent('main'), /Nothing was released/);
    await shots(page, 'quarantine-refused');
    await page.goto(`${BASE}/w/${W.slug}/admin/mail/quarantine/${html}`);
    await shots(page, 'quarantine-html');
    await page.check('form[action$="/release"] input[name="confirm"]');
    await page.click('button:has-text("Release into a ticket")');
    assert.match(page.url(), new RegExp(`/w/${W.slug}/tickets/\\d+$`));
    assert.match(await page.textContent('main'), /original\.eml/);
    // (The ticket page is the tickets program's: not photographed here.)
  } finally {
    await close();
  }
});
