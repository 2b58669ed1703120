// A person signs up, signs out and signs in again, in a real browser with
// JavaScript off (the pages are plain forms and must work without it).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shotPath } = require('../lib/browser');
const { BASE, uniqueEmail } = require('../lib/client');

test('sign-up, sign-out and sign-in work in a browser without JavaScript', async () => {
  const { browser, close } = await launch();
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    const email = uniqueEmail('browser');
    const password = 'browser password 1';

    await page.goto(`${BASE}/`);
    // The landing page for visitors (first-run.test.js), then sign-in's.
    await page.click('main a:text("Sign in")');
    assert.match(page.url(), /\/signin$/);
    await page.click('text=Create an account');
    await page.fill('#name', 'Bea Browser');
    await page.fill('#email', email);
    await page.fill('#password', 'short');
    await page.click('button[type=submit]');
    // Refused: the name and email stay, the password does not.
    assert.match(await page.textContent('.field-error'), /at least 10 characters/);
    assert.equal(await page.inputValue('#name'), 'Bea Browser');
    assert.equal(await page.inputValue('#email'), email);
    assert.equal(await page.inputValue('#password'), '');

    await page.fill('#password', password);
    await page.click('button[type=submit]');
    assert.equal(await page.textContent('header nav a[href="/account"]'), 'Bea Browser');
    await page.screenshot({ path: shotPath('home'), fullPage: true });

    await page.click('text=Sign out');
    assert.match(page.url(), /\/signin$/);
    assert.equal(await page.textContent('h1'), 'Sign in');

    await page.fill('#email', email);
    await page.fill('#password', 'not the password');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.alert'), /do not match an account/);
    assert.equal(await page.inputValue('#email'), email);

    await page.fill('#password', password);
    await page.click('button[type=submit]');
    assert.equal(await page.textContent('header nav a[href="/account"]'), 'Bea Browser');
    await ctx.close();
  } finally {
    await close();
  }
});
