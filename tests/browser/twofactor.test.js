// Two-factor sign-in in a real browser (JavaScript off): a new account
// sets it up from the QR page (the key read from the page, the code
// computed as an app would), keeps its recovery codes, signs out, and
// signs in with the password and then a code. Each page is photographed
// at 390 and 1280 px wide and must not scroll sideways at either.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots } = require('../lib/browser');
const { BASE, uniqueEmail } = require('../lib/client');
const { totp } = require('../lib/totp');

test('set up two-factor sign-in from the QR page, then sign in with a code', async () => {
  const { browser, close } = await launch();
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    const email = uniqueEmail('2fa-browser');
    const password = 'two factor password';

    await page.goto(`${BASE}/signup`);
    await page.fill('#name', 'Otto Twofactor');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('main button[type=submit]');

    await page.goto(`${BASE}/account`);
    await page.click('text=Two-factor sign-in settings');
    assert.equal(await page.textContent('h1'), 'Two-factor sign-in');
    await shots(page, '2fa-off');
    await page.click('text=Set up two-factor sign-in');
    const qr = await page.$('.qr-box svg');
    assert.ok(qr, 'the QR code is on the page');
    const box = await qr.boundingBox();
    assert.ok(box.width >= 150, `the QR code is large enough to scan (${box.width} px)`);
    await shots(page, '2fa-enrol');
    const secret = (await page.textContent('code.secret')).trim();

    await page.fill('#code', totp(secret));
    await page.click('text=Turn on two-factor sign-in');
    assert.equal(await page.textContent('h1'), 'Two-factor sign-in is on');
    assert.equal((await page.$$('.recovery-codes li')).length, 10);
    await shots(page, '2fa-codes');

    await page.click('text=Sign out');
    await page.goto(`${BASE}/signin`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('main button[type=submit]');
    assert.match(page.url(), /\/signin\/code$/);
    assert.match(await page.textContent('main label[for=code]'), /Enter the 6-digit code/);
    await shots(page, '2fa-signin-code');
    await page.fill('#code', totp(secret, 1));
    await page.click('main button[type=submit]');
    assert.doesNotMatch(page.url(), /\/signin/);
    await page.goto(`${BASE}/account/2fa`);
    assert.match(await page.textContent('main'), /On\s+since/);
    await shots(page, '2fa-on');
  } finally {
    await close();
  }
});
