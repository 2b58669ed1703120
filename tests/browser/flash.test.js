// Messages after actions and the confirmation step in a real browser
// with JavaScript off (issue 13): a ticket opened through the form says
// so on its page, once; removing a member asks first, Cancel changes
// nothing, Confirm removes and says so. The message and the confirmation
// page are photographed at 390 and 1280 px (shotPath) and fit a phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

const FLASH = 'main > .flash[role="status"]';

test('a message after opening a ticket and after a confirmed removal, a confirmation before it', async () => {
  const W = await workspaceWithMembers();
  const { browser, close } = await launch();
  try {
    const requester = await (await contextAs(browser, BASE, W.requester)).newPage();
    await requester.goto(`${BASE}/w/${W.slug}/tickets/new`);
    await requester.fill('#subject', 'The projector in room 4 shows only blue');
    await requester.fill('#body', 'Since this morning, with every laptop.');
    await requester.click('main button[type=submit]');
    assert.match(requester.url(), /\/tickets\/\d+$/);
    const num = requester.url().match(/(\d+)$/)[1];
    assert.equal(await requester.textContent(FLASH), `Ticket #${num} opened.`);
    await shots(requester, 'flash-ticket-opened');
    await requester.reload();
    assert.equal(await requester.locator(FLASH).count(), 0, 'once: not after a reload');

    const admin = await (await contextAs(browser, BASE, W.admin)).newPage();
    const members = `${BASE}/w/${W.slug}/admin/members`;
    const remove = `form[action$="/members/${W.users.agent.id}/remove"] button`;
    await admin.goto(members);
    await admin.click(remove);
    assert.equal(await admin.textContent('main h1'), `Remove ${W.users.agent.name} from ${W.wsName}?`);
    await shots(admin, 'flash-confirm-remove');
    await admin.click('main a:text("Cancel")');
    assert.equal(admin.url(), members);
    assert.match(await admin.textContent('main'), new RegExp(W.users.agent.email.replace(/[.]/g, '\\.')));
    assert.equal(await admin.locator(FLASH).count(), 0, 'Cancel did nothing to say');

    await admin.click(remove);
    await admin.click('main form button.danger');
    assert.equal(admin.url(), members);
    assert.equal(await admin.textContent(FLASH), 'The member was removed.');
    assert.doesNotMatch(await admin.textContent('main table'), new RegExp(W.users.agent.email.replace(/[.]/g, '\\.')));
    await shots(admin, 'flash-member-removed');
  } finally {
    await close();
  }
});
