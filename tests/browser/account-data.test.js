// "Your data" in a real browser, as a person uses it: signed in from two
// browsers, they see both, sign the other out by clicking, and correct
// their name on the account page. At 390 and 1280 px the page never
// scrolls sideways (wide tables scroll inside their card). Screenshots go
// to shotPath() for a person to look at.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shotPath } = require('../lib/browser');
const { BASE, Client, signUp, uniqueEmail } = require('../lib/client');

async function signIn(page, email, password) {
  await page.goto(`${BASE}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('main button[type=submit]');
}

test('Your data: two browsers, one signed out by clicking; the name corrected; no sideways scroll', { skip: !process.env.HD_STACK_DIR && 'needs HD_STACK_DIR' }, async () => {
  const { email, password } = await signUp(new Client(), { name: 'Dana Datapage', email: uniqueEmail('bdata') });
  const { browser, close } = await launch();
  try {
    const mine = await (await browser.newContext()).newPage();
    const phone = await (await browser.newContext({
      userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) '
        + 'Chrome/120.0.0.0 Mobile Safari/537.36',
    })).newPage();
    await signIn(mine, email, password);
    await signIn(phone, email, password);

    await mine.goto(`${BASE}/account`);
    await mine.click('a[href="/account/data"]');
    for (const width of [390, 1280]) {
      await mine.setViewportSize({ width, height: 900 });
      await mine.goto(`${BASE}/account/data`);
      const wide = await mine.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `the page scrolls sideways by ${wide}px at ${width}`);
      await mine.screenshot({ path: shotPath(`account-data-${width}`), fullPage: true });
    }
    assert.match(await mine.textContent('main'), /Chrome on an Android phone/);
    assert.match(await mine.textContent('main'), /this browser/);

    await mine.click('form[action$="/end"] button');
    // The confirmation step (issue 13), then the message after it.
    assert.match(await mine.textContent('main h1'), /^Sign out .+\?$/);
    await mine.click('main form button.danger');
    assert.match(await mine.textContent('main'), /That session was signed out/);
    await phone.goto(`${BASE}/account`);
    assert.match(phone.url(), /\/signin/, 'the phone must sign in again');

    await mine.goto(`${BASE}/account`);
    await mine.fill('#name', 'Dana Corrected');
    await mine.click('form[action="/account/name"] button');
    assert.match(await mine.textContent('main'), /Your name was changed/);
    assert.equal(await mine.textContent('header nav a[href="/account"]'), 'Dana Corrected');
  } finally {
    await close();
  }
});
