// The main flow in a real browser, JavaScript off: a requester opens a
// ticket with an attachment; an agent replies and adds an internal note;
// the requester sees the reply and the file, and never the note.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { launch, shotPath } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

async function signIn(browser, user) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/signin`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  return { ctx, page };
}

test('requester and agent work a ticket; the note stays internal', async () => {
  const W = await workspaceWithMembers();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hd-up-')), 'screenshot.txt');
  fs.writeFileSync(file, 'the error says E42\n');
  const { browser, close } = await launch();
  try {
    // The requester opens a ticket with a file.
    const req = await signIn(browser, W.users.requester);
    await req.page.goto(`${BASE}/w/${W.slug}/tickets`);
    await req.page.click('.ws-nav >> text=New ticket');
    await req.page.fill('#subject', 'The app shows error E42');
    await req.page.fill('#body', 'It happens **every time** I save.');
    await req.page.setInputFiles('#files', file);
    await req.page.click('main button[type=submit]');
    assert.match(await req.page.textContent('h1'), /The app shows error E42/);
    const url = req.page.url();

    // The agent finds it in the queue, replies, and writes a note.
    const agent = await signIn(browser, W.users.agent);
    await agent.page.goto(`${BASE}/w/${W.slug}/tickets`);
    await agent.page.click('text=The app shows error E42');
    assert.equal(agent.page.url(), url);
    await agent.page.fill('#body', 'Thanks! A fix is on its way.');
    await agent.page.click('form.reply button[type=submit]');
    await agent.page.fill('#body', 'Root cause: the cache of build 7.');
    await agent.page.check('input[name=internal]');
    await agent.page.click('form.reply button[type=submit]');
    assert.equal(await agent.page.locator('article.note').count(), 1);
    assert.match(await agent.page.textContent('article.note'), /Root cause/);
    await agent.page.screenshot({ path: shotPath('ticket-agent'), fullPage: true });

    // The requester sees the reply and the file, not the note.
    await req.page.goto(url);
    const body = await req.page.textContent('main');
    assert.match(body, /A fix is on its way/);
    assert.doesNotMatch(body, /Root cause|internal note/);
    assert.equal(await req.page.locator('article.note').count(), 0);
    assert.equal(await req.page.locator('input[name=internal]').count(), 0);
    await req.page.screenshot({ path: shotPath('ticket-requester'), fullPage: true });
    const [download] = await Promise.all([
      req.page.waitForEvent('download'),
      req.page.click('text=screenshot.txt'),
    ]);
    assert.equal(download.suggestedFilename(), 'screenshot.txt');
    assert.equal(fs.readFileSync(await download.path(), 'utf8'), 'the error says E42\n');
    await req.ctx.close();
    await agent.ctx.close();
  } finally {
    await close();
  }
});
