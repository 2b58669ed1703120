// Debian's chromium driven by playwright-core: headless, no sandbox (we
// run as root in CI), no network beyond loopback; playwright gives each
// launch a fresh temporary profile.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
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

// Where screenshots go, for a person to look at after a run.
function shotPath(name) {
  const dir = process.env.HD_SHOTS || path.join(os.tmpdir(), 'hd-shots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

module.exports = { launch, shotPath };
