// Debian's chromium driven by playwright-core: headless, no sandbox (we
// run as root in CI), no network beyond loopback; playwright gives each
// launch a fresh temporary profile.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';

async function launch() {
  const browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
  const close = async () => {
    await browser.close();
  };
  return { browser, close };
}

// Where screenshots go, for a person to look at after a run:
// tests/screenshots/ (git-ignored), or HD_SHOTS.
function shotPath(name) {
  const dir = process.env.HD_SHOTS || path.join(__dirname, '..', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

// Photographs page at a phone's and a desktop's width (shotPath) and
// asserts that neither scrolls sideways: a page is done when it fits both.
async function shots(page, name) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: shotPath(`${name}-${width}`), fullPage: true });
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `${name} does not overflow at ${width} px (${over} px)`);
  }
}

// A browser context (JavaScript off) signed in as the test client c: it
// carries c's cookies.
async function contextAs(browser, base, c) {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const url = new URL(base);
  await ctx.addCookies([...c.jar].map(([name, value]) => ({ name, value, domain: url.hostname, path: '/' })));
  return ctx;
}

module.exports = { launch, shotPath, shots, contextAs };
