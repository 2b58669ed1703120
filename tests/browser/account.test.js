// A new user in a real browser (JavaScript off): signs up, confirms the
// address from the link in the mail the stack's catcher received, signs
// out, forgets the password, resets it from the mail and is signed in.
// Each page is photographed at 390 and 1280 px wide (shots in
// tests/lib/browser.js) and may scroll sideways at neither.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots } = require('../lib/browser');
const { BASE, uniqueEmail } = require('../lib/client');
const { waitForMail, linkIn } = require('../lib/inbox');

test('sign up, confirm from the mail, forget the password, reset it from the mail', async () => {
  const { browser, close } = await launch();
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    const email = uniqueEmail('journey');
    const password = 'first password 1';
    const newPassword = 'second password 2';

    await page.goto(`${BASE}/signup`);
    await page.fill('#name', 'Jo Journey');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('main button[type=submit]');
    assert.match(await page.textContent('.confirm-banner'), /Confirm your email address/);
    await page.goto(`${BASE}/account`);
    assert.match(await page.textContent('main dl'), /not confirmed/);
    await shots(page, 'account-unconfirmed');

    const confirm = linkIn(await waitForMail(email, { subject: /Confirm your email address/ }), '/email/confirm/');
    assert.equal(confirm.origin, new URL(BASE).origin);
    await page.goto(confirm.href);
    assert.equal(await page.textContent('h1'), 'Confirm your email address');
    await shots(page, 'account-confirm');
    await page.click('main button[type=submit]');
    assert.match(page.url(), /\/account$/);
    assert.match(await page.textContent('.notice'), /confirmed/);
    assert.equal(await page.$('.confirm-banner'), null);
    await shots(page, 'account-confirmed');

    await page.click('text=Sign out');
    await page.click('text=Forgot your password?');
    assert.equal(await page.textContent('h1'), 'Forgot your password?');
    await page.fill('#email', email);
    await shots(page, 'password-forgot');
    await page.click('main button[type=submit]');
    assert.equal(await page.textContent('h1'), 'Check your email');
    await shots(page, 'password-forgot-sent');

    const reset = linkIn(await waitForMail(email, { subject: /Reset your password/ }), '/password/reset/');
    await page.goto(reset.href);
    assert.equal(await page.textContent('h1'), 'Choose a new password');
    await page.fill('#password', newPassword);
    await shots(page, 'password-reset');
    await page.click('main button[type=submit]');
    assert.match(page.url(), /\/account$/);
    assert.equal(await page.textContent('header nav a[href="/account"]'), 'Jo Journey');
    assert.match(await page.textContent('.notice'), /new password is set/);
    await shots(page, 'password-reset-done');

    // The new password is the one that works.
    await page.click('text=Sign out');
    await page.fill('#email', email);
    await page.fill('#password', newPassword);
    await page.click('main button[type=submit]');
    assert.equal(await page.textContent('header nav a[href="/account"]'), 'Jo Journey');
    await ctx.close();
  } finally {
    await close();
  }
});
