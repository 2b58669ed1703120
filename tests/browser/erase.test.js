// Erasure in a real browser (JavaScript off): the pages of leaving a
// workspace, erasing a requester, deleting a workspace and deleting one's
// account, each photographed at 390 and 1280 px (shotPath) and none wider
// than the phone's screen; then a person deletes their account through
// the forms and is signed out.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

test('the erasure pages fit a phone, and an account is deleted through the forms', async () => {
  const W = await workspaceWithMembers();
  const { browser, close } = await launch();
  try {
    const admin = await (await contextAs(browser, BASE, W.admin)).newPage();
    await admin.goto(`${BASE}/w/${W.slug}/admin/members/${W.users.requester.id}/erase`);
    assert.match(await admin.textContent('main h1'), /Erase a requester's data/);
    await shots(admin, 'erase-member');
    await admin.goto(`${BASE}/w/${W.slug}/admin/delete`);
    await admin.fill('#confirm_name', 'not the name');
    await admin.click('main button[type=submit]');
    assert.match(await admin.textContent('main'), /not the workspace's name/);
    await shots(admin, 'erase-ws-delete-refused');
    await admin.goto(`${BASE}/w/${W.slug}/leave`);
    assert.match(await admin.textContent('main'), /only admin/);
    await shots(admin, 'erase-leave-last-admin');
    await admin.goto(`${BASE}/account/delete`);
    assert.match(await admin.textContent('main'), /only admin of these workspaces/);
    await shots(admin, 'erase-account-blocked');

    await admin.goto(`${BASE}/w/${W.slug}/admin/settings`);
    await shots(admin, 'erase-settings');

    // The requester's ticket with a file; the admin erases the requester
    // through the form; the ticket page says the file was removed.
    await W.requester.get(`/w/${W.slug}/tickets/new`);
    const t = await W.requester.postMultipart(`/w/${W.slug}/tickets/new`, { subject: 'Broken', body: 'See file' },
      [{ name: 'files', filename: 'log.txt', contentType: 'text/plain', data: Buffer.from('log') }]);
    const num = t.headers.location.match(/(\d+)$/)[1];
    await admin.goto(`${BASE}/w/${W.slug}/admin/members/${W.users.requester.id}/erase`);
    await admin.click('main button.danger');
    assert.match(await admin.textContent('main'), /The requester's data was erased/);
    await admin.goto(`${BASE}/w/${W.slug}/tickets/${num}`);
    assert.match(await admin.textContent('main'), /Deleted user/);
    assert.match(await admin.textContent('main'), /A file, removed at its uploader's request/);
    await shots(admin, 'erase-ticket-after');

    const agent = await (await contextAs(browser, BASE, W.agent)).newPage();
    await agent.goto(`${BASE}/w/${W.slug}/leave`);
    await shots(agent, 'erase-leave');
    await agent.goto(`${BASE}/account/delete`);
    await shots(agent, 'erase-account-delete');
    await agent.fill('#current', W.users.agent.password);
    await agent.click('main button.danger');
    assert.equal(new URL(agent.url()).pathname, '/account/deleted');
    assert.match(await agent.textContent('main h1'), /Your account is deleted/);
    await shots(agent, 'erase-account-deleted');
    await agent.goto(`${BASE}/account`);
    assert.equal(new URL(agent.url()).pathname, '/signin', 'signed out');
  } finally {
    await close();
  }
});
