// The workspace settings page with its retention choices, in chromium
// without JavaScript: it fits a phone, and a refused value is shown again
// with its message.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q } = require('../lib/db');

test('retention settings: chosen through the form, refused values kept, the page fits a phone', async () => {
  const W = await workspaceWithMembers();
  const { browser, close } = await launch();
  try {
    const page = await (await contextAs(browser, BASE, W.admin)).newPage();
    await page.goto(`${BASE}/w/${W.slug}/admin/settings`);
    await shots(page, 'retention-settings');
    await page.fill('#retain_audit_days', '7');
    await page.fill('#retain_closed_days', '180');
    await page.check('input[name="retain_closed_action"][value="delete"]');
    await page.click('button:has-text("Save settings")');
    assert.match(await page.textContent('#retention'), /must be a whole number from 30 to 3650/);
    assert.equal(await page.inputValue('#retain_closed_days'), '180', 'what was typed stays');
    await shots(page, 'retention-settings-refused');
    await page.fill('#retain_audit_days', '90');
    await page.click('button:has-text("Save settings")');
    assert.match(await page.textContent('main'), /The settings were saved/);
    assert.deepEqual(sql(`SELECT retain_audit_days, retain_closed_days, retain_closed_action,
      retain_close_solved_days IS NULL FROM workspaces WHERE slug = ${q(W.slug)}`), [['90', '180', 'delete', '1']]);
  } finally {
    await close();
  }
});
