// The main flows by keyboard alone (issue 13, Accessibility): no mouse and
// no page.click or page.fill. The focus moves only by Tab and Shift+Tab,
// Enter and Space act, text is typed into whatever has the focus, and
// every element the focus passes through shows it (its computed outline
// is not "none"). JavaScript off, as the app runs. Addresses are typed
// only to open a flow's first page, as one types into the address bar.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

// What has the focus: enough to say which element it is and whether its
// focus shows.
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  const cs = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), id: e.id, text: (e.textContent || '').trim().slice(0, 60),
    outline: cs.outlineStyle, outlineWidth: cs.outlineWidth, value: e.value,
  };
});

// Presses key (Tab or Shift+Tab) until the focused element matches
// selector; at most max presses. Each stop must show its focus.
async function tabTo(page, selector, { key = 'Tab', max = 60 } = {}) {
  const passed = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    passed.push(`${f.tag}#${f.id} "${f.text}"`);
    assert.ok(f.tag !== 'body', `${key} reached the end of the page looking for ${selector}: ${passed.join(', ')}`);
    assert.ok(f.outline !== 'none' && f.outlineWidth !== '0px',
      `the focus shows on ${f.tag}#${f.id} "${f.text}" (outline ${f.outline} ${f.outlineWidth})`);
    if (await page.evaluate((s) => document.activeElement.matches(s), selector)) return f;
  }
  assert.fail(`${selector} not reached in ${max} presses of ${key}: ${passed.join(', ')}`);
}

// Waits for the page that pressing key starts to load.
async function pressAndLoad(page, key) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

test('by keyboard: sign in, open a ticket, reply, change its status', async () => {
  const W = await workspaceWithMembers();
  const ws = `/w/${W.slug}`;
  const created = await W.requester.submit(`${ws}/tickets/new`, `${ws}/tickets/new`,
    { subject: 'The scanner sends empty pages', body: 'Every scan to mail arrives blank.' });
  assert.equal(created.status, 303);
  const ticket = new URL(created.headers.location, BASE).pathname;
  const { browser, close } = await launch();
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();

    // Sign in: Tab to the address, type; Tab to the password and back
    // with Shift+Tab (the address is still there), Tab, type, Enter.
    await page.goto(`${BASE}/signin?next=${encodeURIComponent(`${ws}/tickets`)}`);
    await tabTo(page, '#email');
    await page.keyboard.type(W.users.agent.email);
    await tabTo(page, '#password', { max: 1 });
    const back = await tabTo(page, '#email', { key: 'Shift+Tab', max: 1 });
    assert.equal(back.value, W.users.agent.email);
    await tabTo(page, '#password', { max: 1 });
    await page.keyboard.type(W.users.agent.password);
    await pressAndLoad(page, 'Enter');
    assert.equal(new URL(page.url()).pathname, `${ws}/tickets`, 'signed in, on the queue');

    // Open the ticket from the queue: Tab to its link, Enter.
    await tabTo(page, `main a[href="${ticket}"]`);
    await pressAndLoad(page, 'Enter');
    assert.equal(new URL(page.url()).pathname, ticket);

    // Reply: Tab to the text, type, Tab to Send, Enter.
    await tabTo(page, '#body');
    await page.keyboard.type('Could you try scanning to a USB stick instead?');
    await tabTo(page, 'form.reply button[type=submit]', { max: 5 });
    await pressAndLoad(page, 'Enter');
    assert.equal(new URL(page.url()).pathname, ticket);
    assert.match(await page.textContent('main'), /Could you try scanning to a USB stick instead\?/);

    // Triage: Tab to the status, the arrow key to the next status, Tab
    // to Save, Space.
    // (The agent's reply made the ticket open.)
    const status = await tabTo(page, '#t-status');
    assert.equal(status.value, 'open');
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).value, 'pending', 'the arrow key chose the next status');
    await tabTo(page, 'form.triage button[type=submit]', { max: 8 });
    await pressAndLoad(page, 'Space');
    assert.equal(await page.textContent('.side-col .badge[class*="status-"]'), 'pending');
    await ctx.close();
  } finally {
    await close();
  }
});

test('by keyboard: a refused form puts the focus on its summary, whose link goes to the field', async () => {
  const { browser, close } = await launch();
  try {
    for (const width of [390, 1280]) {
      const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 900 } });
      const page = await ctx.newPage();
      await page.goto(`${BASE}/signup`);
      await tabTo(page, '#name');
      await page.keyboard.type('Ann');
      await tabTo(page, '#email', { max: 1 });
      await page.keyboard.type('not-an-address');
      await tabTo(page, '#password', { max: 1 });
      await page.keyboard.type('short');
      await pressAndLoad(page, 'Enter');

      // The summary has the focus, and shows it; it is an alert, so a
      // screen reader announces it.
      const summary = await focused(page);
      assert.equal(summary.id, 'error-summary', `at ${width} px`);
      assert.notEqual(summary.outline, 'none');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'alert');
      // Its first link is the next Tab; Enter moves the focus to the field.
      const link = await tabTo(page, '#error-summary a', { max: 1 });
      assert.match(link.text, /address/i);
      await page.keyboard.press('Enter');
      const field = await focused(page);
      assert.equal(field.id, 'email', `at ${width} px, the link took the focus to the field`);
      assert.equal(field.value, 'not-an-address', 'what was typed is kept');
      assert.notEqual(field.outline, 'none');
      await ctx.close();
    }
  } finally {
    await close();
  }
});
